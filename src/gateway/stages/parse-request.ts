// Stage 1: the value of a `send-sms` record into a SendRequest (spec §2, §5 rows 1–3).
//   {"client-id": "test", "correl-id": "C123", "deadline": "2100-01-01T00:00:00Z", "payload": "ENCBA…"}

import { someJsonValue } from '../../domain/json-walk.ts'

/**
 * Values longer than this are refused unread, as not a request. A sealed SMS is about 1 KiB of
 * base64 (a long one a few KiB), so this leaves room without letting one record cost much.
 */
export const MAX_REQUEST_BYTES = 64 * 1024

/**
 * Values nested deeper than this are not requests: Jackson's default limit (2.15+), and far
 * below the depth at which JSON.parse's reviver runs out of stack, so the outcome does not
 * depend on the stack size.
 */
export const MAX_REQUEST_NESTING = 1000

/** A request that names its client and correlation: enough to address a status to. */
export interface SendRequest {
  readonly clientId: string
  readonly correlId: string
  /** As sent; validateRequest parses it. */
  readonly deadline?: string
  /** The sealed SMS as sent (base64); openRequest opens it. */
  readonly payload?: string
}

export type ParsedRequest =
  | { readonly kind: 'request', readonly request: SendRequest }
  /** No status can be produced (there is no one to address it to): log the reason. */
  | { readonly kind: 'rejected', readonly reason: string }

export const requestRejections = {
  notJson: 'Failed to parse request JSON',
  noClientId: 'Request lacks Client ID field',
  noCorrelId: 'Request lacks Correlation ID field'
} as const

const fieldNames = { clientId: 'client-id', correlId: 'correl-id', deadline: 'deadline', payload: 'payload' } as const

// Strict: bad UTF-8 is not a request (rather than a request with U+FFFD in it). A leading BOM is dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses a `send-sms` value. Never throws: anything that is not a request is `rejected` with
 * the contract's text (rows 1–3).
 *
 * - Surrounding whitespace and a UTF-8 BOM are ignored (kcat flattens JSON to one line with a
 *   trailing space). Anything else around the object, such as a second object, is not a request.
 * - A field's value is taken as text when it is a JSON string, number or boolean (a number as its
 *   exact source text, so 12345678901234567890 and 1.50 stay as written; a boolean as `true` or
 *   `false`), as the older gateway's Jackson did. JSON null, an object or an array counts as a
 *   missing field (ours: Jackson refused the whole value, so the client heard nothing; a missing
 *   payload or deadline gets it a status). An empty client-id or correl-id counts as missing; an
 *   empty deadline or payload does not (validation reports it, as the older gateway did).
 * - Unknown fields are ignored (ours); of repeated fields the last counts.
 */
export function parseSendRequest (value: Uint8Array | string | null | undefined): ParsedRequest {
  const text = decodeValue(value)
  if (text === null) return rejected(requestRejections.notJson)
  let parsed: unknown
  try {
    // A plain parse first (a loop in V8: no depth overflows it); the reviver, 2-4x its cost and
    // recursive, only for a value whose fields hold a number, whose source text only it gives.
    parsed = JSON.parse(text)
  } catch {
    return rejected(requestRejections.notJson)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return rejected(requestRejections.notJson)
  if (someJsonValue(parsed, nestedTooDeep)) return rejected(requestRejections.notJson)
  const plain: object = parsed
  // Below the nesting limit, the reviver cannot run out of stack.
  const fields = Object.values(fieldNames).some(name => typeof textFieldValue(plain, name) === 'number') ? JSON.parse(text, scalarsAsText) as object : plain
  const clientId = textField(fields, fieldNames.clientId)
  if (clientId === undefined || clientId === '') return rejected(requestRejections.noClientId)
  const correlId = textField(fields, fieldNames.correlId)
  if (correlId === undefined || correlId === '') return rejected(requestRejections.noCorrelId)
  const deadline = textField(fields, fieldNames.deadline)
  const payload = textField(fields, fieldNames.payload)
  return {
    kind: 'request',
    request: {
      clientId,
      correlId,
      ...(deadline === undefined ? {} : { deadline }),
      ...(payload === undefined ? {} : { payload })
    }
  }
}

const rejected = (reason: string): ParsedRequest => ({ kind: 'rejected', reason })

/** The value as trimmed text, or null when it is absent, too long or not UTF-8. */
function decodeValue (value: Uint8Array | string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') {
    // A UTF-16 code unit takes at least one byte in UTF-8: the cheap test first.
    if (value.length > MAX_REQUEST_BYTES || Buffer.byteLength(value, 'utf8') > MAX_REQUEST_BYTES) return null
    return value.trim()
  }
  if (value.byteLength > MAX_REQUEST_BYTES) return null
  try {
    return utf8.decode(value).trim()
  } catch {
    return null
  }
}

/**
 * A JSON.parse reviver that turns numbers and booleans into their source text (JSON.parse source
 * text access, Node 22+), so no digit of a long number is lost to a double. Every value of the
 * document passes here, nested ones too; only the top-level fields are read afterwards.
 */
function scalarsAsText (_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return context?.source ?? String(value)
  return value
}

/** A container deeper than MAX_REQUEST_NESTING: no request (the document itself is depth 1). */
const nestedTooDeep = (value: unknown, depth: number): boolean => depth > MAX_REQUEST_NESTING && typeof value === 'object' && value !== null

function textFieldValue (fields: object, name: string): unknown {
  return Object.hasOwn(fields, name) ? (fields as Record<string, unknown>)[name] : undefined
}

/** A field as text: a string as it is, a boolean as `true` or `false` (scalarsAsText gave a number's source text). */
function textField (fields: object, name: string): string | undefined {
  const value = textFieldValue(fields, name)
  if (typeof value === 'boolean') return String(value)
  return typeof value === 'string' ? value : undefined
}
