import { ingressTexts } from './ingress-texts.ts'

// One SMS forwarded to the relay (relay-wire.md §5.1): what a gateway phone POSTs to /v3/publish,
// or what our own SMPP binds received for a relay number. The rules are upstream's
// (payload_service._validate_payload_fields and what decode_and_publish does before routing),
// with Python's truthiness: a field that is absent, null, false, 0, "" or an empty list or object
// is missing. Unknown keys are ignored.

/** A JSON value as the body held it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** A forward that passed the field rules. `date` and `dateSent` are kept as given (ms, as a number or a string). */
export interface Forward {
  /** The SMS text: base64 of a RelaySMS payload, or an image-text segment. */
  readonly text: string
  /** The sender's number as the phone saw it: MSISDN when truthy, else address. */
  readonly sender: string
  readonly date: JsonValue
  readonly dateSent: JsonValue
}

/** Ours: a sender is a phone number or a short alphanumeric name; longer is refused rather than stored. */
export const MAX_SENDER_BYTES = 128

/** A refusal: the HTTP status and the `error` text of the answer. */
export interface Refusal {
  readonly status: 400 | 500
  readonly error: string
}

export type ForwardReading = { readonly ok: true, readonly forward: Forward } | { readonly ok: false, readonly refusal: Refusal }

const refuse = (status: 400 | 500, error: string): ForwardReading => ({ ok: false, refusal: { status, error } })

/**
 * Reads a forward from a parsed JSON body. A JSON string is parsed once more, as upstream's
 * decode_and_publish does with a str ("Invalid JSON format" when it is not JSON). The order of the
 * checks is upstream's: text, sender, date, date_sent. A text that is a number or a boolean, a
 * sender that is not a string, and a body that is no object fail inside upstream's code (500, the
 * catch-all text); a text that is a list or an object fails its base64 decoding.
 */
export function readForward (body: JsonValue): ForwardReading {
  let fields: JsonValue = body
  if (typeof fields === 'string') {
    try {
      fields = JSON.parse(fields) as JsonValue
    } catch {
      return refuse(400, ingressTexts.invalidJson)
    }
  }
  if (!isObject(fields)) return refuse(500, ingressTexts.internal)
  const text = fields.text
  const sender = isTruthy(fields.MSISDN) ? fields.MSISDN : fields.address
  const date = fields.date
  const dateSent = fields.date_sent
  if (!isTruthy(text)) return refuse(400, ingressTexts.missingText)
  if (!isTruthy(sender)) return refuse(400, ingressTexts.missingSender)
  if (!isTruthy(date)) return refuse(400, ingressTexts.missingDate)
  if (!isTruthy(dateSent)) return refuse(400, ingressTexts.missingDateSent)
  if (typeof text === 'number' || typeof text === 'boolean' || typeof sender !== 'string') return refuse(500, ingressTexts.internal)
  if (typeof text !== 'string') return refuse(400, ingressTexts.invalidBase64)
  if (Buffer.byteLength(sender, 'utf8') > MAX_SENDER_BYTES) return refuse(400, ingressTexts.senderTooLong)
  return { ok: true, forward: { text, sender, date: date as JsonValue, dateSent: dateSent as JsonValue } }
}

/**
 * A date as the publisher's metadata carries it (payload_service._convert_timestamp): what
 * Python's int() reads as an integer becomes `str(value // 1000)` (milliseconds to whole seconds,
 * rounded down); anything else is passed on as its text. int() takes a JSON number (a fraction is
 * cut towards zero first), true (1), and a string of decimal digits with an optional sign,
 * surrounding whitespace and single underscores between digits. Ours: a list or an object is
 * passed on as its JSON, where upstream passes Python's repr.
 */
export function metadataDateOf (value: JsonValue): string {
  if (typeof value === 'number') return Number.isFinite(value) ? floorDivide(BigInt(Math.trunc(value))) : String(value)
  if (value === true) return '0'
  if (typeof value === 'string') {
    const digits = /^\s*([+-]?\d(?:_?\d)*)\s*$/.exec(value)?.[1]
    return digits === undefined ? value : floorDivide(BigInt(digits.replaceAll('_', '')))
  }
  return JSON.stringify(value)
}

/** Python's `//` by 1000: rounds towards negative infinity, where BigInt division truncates. */
function floorDivide (value: bigint): string {
  const quotient = value / 1000n
  return String(value < 0n && quotient * 1000n !== value ? quotient - 1n : quotient)
}

/** Python's truthiness of a JSON value. */
export function isTruthy (value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false
  if (Array.isArray(value)) return value.length > 0
  if (typeof value === 'object') return Object.keys(value).length > 0
  return true
}

function isObject (value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
