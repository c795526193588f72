import { jsonFields } from '../../domain/json-fields.ts'
import { formatTimestamp, parseTimestamp } from '../../domain/timestamp.ts'
import { allowedUserDataEncodings, type UserDataEncoding } from '../../sms/encoding/index.ts'

// The JSON of one mobile-originated SMS on the inbound topic (`kafka.topics.inbound`, spec §7):
//   {"sender":"+4915112345678","recipient":"+4940123456","text":"…","received":"2026-11-21T10:00:00Z",
//    "connection":"smsc-a","parts":2,"encoding":"gsm7","incomplete":true,"missing":[2]}
// in that field order; `incomplete` and `missing` only for a message whose parts did not all
// arrive in time. `received` is written like the status timestamp (§4): UTC, whole seconds.

/**
 * One mobile-originated SMS, whole or as much of it as arrived. `sender`, `recipient` and `text`
 * are personal data and plaintext: never log them, never persist them outside the inbound topic.
 */
export interface InboundSms {
  /** E.164 with `+` when the SMSC gave an international number; otherwise as the SMSC wrote it. */
  readonly sender: string
  readonly recipient: string
  /** The decoded text; for `encoding: 'binary'` the payload as lower-case hex. */
  readonly text: string
  /** When its first part arrived. */
  readonly receivedAt: Date
  /** The SMPP connection it arrived on. */
  readonly connectionId: string
  /** How many parts the sender split it into (1 for a single SMS), arrived or not. */
  readonly parts: number
  /** True when parts are missing: the text is the parts that did arrive, in order. */
  readonly incomplete?: boolean
  /** The numbers (1–parts, ascending) of the parts that never arrived; with `incomplete`. */
  readonly missingParts?: readonly number[]
  /** How the text was read from the user data. */
  readonly encoding: UserDataEncoding
}

const fieldNames = {
  sender: 'sender',
  recipient: 'recipient',
  text: 'text',
  received: 'received',
  connection: 'connection',
  parts: 'parts',
  encoding: 'encoding',
  incomplete: 'incomplete',
  missing: 'missing'
} as const

const MAX_PARTS = 255

/** The inbound JSON of `sms`, fields in the documented order. */
export function encodeInboundSms (sms: InboundSms): string {
  // JSON.stringify keeps insertion order for keys that are not array indices, as these are. It
  // escapes a lone surrogate (a pair a sender split and whose other half never came) as \udXXX,
  // so the output is always valid UTF-8.
  const fields: Record<string, unknown> = {
    [fieldNames.sender]: sms.sender,
    [fieldNames.recipient]: sms.recipient,
    [fieldNames.text]: sms.text,
    [fieldNames.received]: formatTimestamp(sms.receivedAt),
    [fieldNames.connection]: sms.connectionId,
    [fieldNames.parts]: sms.parts,
    [fieldNames.encoding]: sms.encoding
  }
  if (sms.incomplete === true) {
    fields[fieldNames.incomplete] = true
    fields[fieldNames.missing] = sms.missingParts ?? []
  }
  return JSON.stringify(fields)
}

/**
 * Reads an inbound JSON as `encodeInboundSms` writes it; null for anything else: bad UTF-8 or
 * JSON, a missing or non-string sender, recipient, text or connection, a `received` not in the
 * §4 form, `parts` not an integer 1–255, an unknown encoding, or a `missing` list that is not
 * ascending part numbers. Unknown fields are ignored. Never throws.
 */
export function decodeInboundSms (value: string | Uint8Array): InboundSms | null {
  const field = jsonFields(value)
  if (field === null) return null
  const sender = field(fieldNames.sender)
  const recipient = field(fieldNames.recipient)
  const text = field(fieldNames.text)
  const received = field(fieldNames.received)
  const connectionId = field(fieldNames.connection)
  const parts = field(fieldNames.parts)
  const encoding = field(fieldNames.encoding)
  if (typeof sender !== 'string' || typeof recipient !== 'string' || typeof text !== 'string') return null
  if (typeof connectionId !== 'string' || typeof received !== 'string') return null
  if (typeof parts !== 'number' || !Number.isInteger(parts) || parts < 1 || parts > MAX_PARTS) return null
  if (!allowedUserDataEncodings.includes(encoding as UserDataEncoding)) return null
  const receivedAt = parseTimestamp(received)
  if (receivedAt === null) return null
  const sms: InboundSms = { sender, recipient, text, receivedAt, connectionId, parts, encoding: encoding as UserDataEncoding }
  const incomplete = field(fieldNames.incomplete)
  if (incomplete === undefined || incomplete === false) return sms
  const missingParts = field(fieldNames.missing)
  if (incomplete !== true || !isPartNumberList(missingParts, parts)) return null
  return { ...sms, incomplete: true, missingParts }
}

/** Ascending part numbers 1–parts: at least one is missing, and at least one arrived. */
function isPartNumberList (value: unknown, parts: number): value is number[] {
  if (!Array.isArray(value) || value.length === 0 || value.length >= parts) return false
  return value.every((number: unknown, index) =>
    typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= parts &&
    (index === 0 || number > (value[index - 1] as number)))
}
