import { jsonFields } from './json-fields.ts'
import { formatTimestamp, parseTimestamp } from './timestamp.ts'

// The status JSON on `sms-status` (spec §4):
//   {"client-id":"test","correl-id":"C123","timestamp":"2026-11-21T10:00:00Z",
//    "sms-status":"SENT","recall-id":"4711","error-text":"…"}
// in that field order; `recall-id` and `error-text` are left out when empty.

export const smsStatuses = {
  sent: 'SENT',
  delivered: 'DELIVERED',
  expired: 'EXPIRED',
  invalid: 'INVALID',
  failed: 'FAILED'
} as const

export type SmsStatus = typeof smsStatuses[keyof typeof smsStatuses]
export const allowedSmsStatuses: readonly SmsStatus[] = Object.values(smsStatuses)

export function isSmsStatus (value: unknown): value is SmsStatus {
  return allowedSmsStatuses.includes(value as SmsStatus)
}

/** True for every status but SENT: nothing follows it for the same request (§4). */
export function isFinalStatus (status: SmsStatus): boolean {
  return status !== smsStatuses.sent
}

/** One status of one request, as produced on `sms-status` and in the client log. */
export interface StatusEvent {
  readonly clientId: string
  readonly correlId: string
  /** When the status arose; written in whole seconds. */
  readonly timestamp: Date
  readonly status: SmsStatus
  /** The SMSC's message id (of the last segment), once the SMSC accepted the message. */
  readonly recallId?: string
  /** The contract's error text (§5, §6, §7); may echo the recipient where the contract says so. */
  readonly errorText?: string
}

const fieldNames = {
  clientId: 'client-id',
  correlId: 'correl-id',
  timestamp: 'timestamp',
  status: 'sms-status',
  recallId: 'recall-id',
  errorText: 'error-text'
} as const

/** The status JSON of `event`, fields in the contract's order, empty optional fields left out. */
export function encodeStatusEvent (event: StatusEvent): string {
  // JSON.stringify keeps insertion order for keys that are not array indices, as these are.
  const fields: Record<string, string> = {
    [fieldNames.clientId]: event.clientId,
    [fieldNames.correlId]: event.correlId,
    [fieldNames.timestamp]: formatTimestamp(event.timestamp),
    [fieldNames.status]: event.status
  }
  if (event.recallId !== undefined && event.recallId !== '') fields[fieldNames.recallId] = event.recallId
  if (event.errorText !== undefined && event.errorText !== '') fields[fieldNames.errorText] = event.errorText
  return JSON.stringify(fields)
}

/**
 * Reads a status JSON (ours or the older gateway's); null for anything that is not one: bad
 * UTF-8 or JSON, a missing or empty client-id or correl-id, a timestamp not in the §4 form,
 * an unknown status, a non-string field. Unknown fields are ignored. Never throws.
 */
export function decodeStatusEvent (value: string | Uint8Array): StatusEvent | null {
  const field = jsonFields(value)
  if (field === null) return null
  const clientId = field(fieldNames.clientId)
  const correlId = field(fieldNames.correlId)
  const timestamp = field(fieldNames.timestamp)
  const status = field(fieldNames.status)
  const recallId = optionalText(field(fieldNames.recallId))
  const errorText = optionalText(field(fieldNames.errorText))
  if (typeof clientId !== 'string' || clientId === '' || typeof correlId !== 'string' || correlId === '') return null
  if (typeof timestamp !== 'string' || !isSmsStatus(status) || recallId === null || errorText === null) return null
  const date = parseTimestamp(timestamp)
  if (date === null) return null
  return {
    clientId,
    correlId,
    timestamp: date,
    status,
    ...(recallId === undefined ? {} : { recallId }),
    ...(errorText === undefined ? {} : { errorText })
  }
}

/**
 * An optional string field: undefined when absent, JSON null or empty (the encoder leaves those
 * out); null when it is something else than a string, which makes the whole event malformed.
 */
function optionalText (value: unknown): string | undefined | null {
  if (value === undefined || value === null || value === '') return undefined
  return typeof value === 'string' ? value : null
}

/**
 * The Kafka record key of a status on `sms-status` (§1, ours): the JSON array text
 * `["<client-id>","<correl-id>"]`. JSON escaping makes it unambiguous for any two strings (no
 * separator can be forged from inside a value, not even NUL, which JSON strings may hold), and
 * it stays readable in kcat. Equal pairs give equal keys, so one request's statuses land on one
 * partition, in order.
 */
export function statusKey (clientId: string, correlId: string): string {
  return JSON.stringify([clientId, correlId])
}
