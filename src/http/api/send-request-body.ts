import { Type, type Static } from 'typebox'
import { decodeBase64 } from '../../crypto/base64.ts'
import { isSmsgwError } from '../../errors.ts'
import { parseDeadline } from '../../gateway/stages/deadline.ts'
import { MAX_REQUEST_BYTES } from '../../gateway/stages/parse-request.ts'
import { MAX_CLIENT_ID_BYTES, MAX_CORREL_ID_BYTES, idProblem } from '../../domain/request-ids.ts'

// The body of POST /v1/messages: the request JSON of `send-sms` (spec §2), checked here as far as
// the gateway can without opening the payload, so that a client hears of a malformed request at
// once (400) instead of through an INVALID status, or, for a missing client-id, never.

/** Messages in one batch at most. */
export const MAX_BATCH_MESSAGES = 500
/**
 * Bytes of one batch body at most: 500 requests of about 8 KiB, a long sealed SMS with room to
 * spare. Each request must still fit MAX_REQUEST_BYTES on its own.
 */
export const MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024
/** The longest deadline text there is is 46 characters (`+1000000000-12-31T23:59:59.999999999+18:00:00`). */
const MAX_DEADLINE_LENGTH = 64

const fieldNote = 'A JSON number is taken as its text.'
const idNote = 'well-formed UTF-8 without control characters (U+0000-U+001F, U+007F-U+009F)'

export const SendRequestSchema = Type.Object({
  'client-id': Type.String({ minLength: 1, description: `The client: the API key's own. At most ${MAX_CLIENT_ID_BYTES} bytes, ${idNote}. ${fieldNote}`, examples: ['test'] }),
  'correl-id': Type.String({ minLength: 1, description: `Chosen by the client; echoed on every status. At most ${MAX_CORREL_ID_BYTES} bytes, ${idNote}. ${fieldNote}`, examples: ['C123'] }),
  deadline: Type.String({
    minLength: 1,
    maxLength: MAX_DEADLINE_LENGTH,
    description: 'An ISO-8601 instant with seconds and a zone (Z or an offset; fractions allowed). A request still unsent then is EXPIRED.',
    examples: ['2100-01-01T00:00:00Z']
  }),
  payload: Type.String({
    minLength: 1,
    description: 'The sealed SMS (legacy ENC or v2 format), standard padded base64 on one line.',
    examples: ['ENCBA…']
  })
}, {
  description: `A sealed send request, as on the send-sms topic. Unknown fields are ignored. At most ${MAX_REQUEST_BYTES} bytes.`
})

export type SendRequestBody = Static<typeof SendRequestSchema>

export const BatchSchema = Type.Array(SendRequestSchema, {
  minItems: 1,
  maxItems: MAX_BATCH_MESSAGES,
  description: `1 to ${MAX_BATCH_MESSAGES} send requests, accepted all together or not at all`
})

/** A request that passed every check: its addressing, and the value to queue. */
export interface CheckedRequest {
  readonly clientId: string
  readonly correlId: string
  /** The request JSON for the ingress: the four fields, as strings, in the contract's order. */
  readonly value: string
}

/**
 * What the schema cannot check: the ids' size in bytes and their characters (request-ids.ts),
 * the deadline's form (parseDeadline, as the pipeline will read
 * it), the payload's base64, and the size of the value the pipeline will read (it drops larger
 * values unread, without a status). `at` prefixes the field names (`[3].` in a batch). A past
 * deadline is no error here: the request is accepted and reported EXPIRED, as on Kafka.
 */
export function checkSendRequest (body: SendRequestBody, at = ''): { request: CheckedRequest } | { problems: string[] } {
  const problems: string[] = []
  for (const [field, maxBytes] of [['client-id', MAX_CLIENT_ID_BYTES], ['correl-id', MAX_CORREL_ID_BYTES]] as const) {
    const problem = idProblem(body[field], maxBytes)
    if (problem !== undefined) problems.push(`${at}${field} ${problem}`)
  }
  if (parseDeadline(body.deadline) === null) {
    problems.push(`${at}deadline is not an ISO-8601 instant with seconds and a zone: ${JSON.stringify(body.deadline)}`)
  }
  try {
    decodeBase64(body.payload, `${at}payload`)
  } catch (error) {
    if (!isSmsgwError(error)) throw error
    problems.push(error.message)
  }
  const value = JSON.stringify({
    'client-id': body['client-id'],
    'correl-id': body['correl-id'],
    deadline: body.deadline,
    payload: body.payload
  })
  if (Buffer.byteLength(value, 'utf8') > MAX_REQUEST_BYTES) problems.push(`${at}request is larger than ${MAX_REQUEST_BYTES} bytes`)
  if (problems.length > 0) return { problems }
  return { request: { clientId: body['client-id'], correlId: body['correl-id'], value } }
}

/**
 * checkSendRequest over several requests: every request, or every problem of every request.
 * With `indexed` (a batch), each problem names its request's index: `[3].deadline …`.
 */
export function checkSendRequests (bodies: readonly SendRequestBody[], indexed: boolean): { requests: CheckedRequest[] } | { problems: string[] } {
  const requests: CheckedRequest[] = []
  const problems: string[] = []
  bodies.forEach((body, index) => {
    const checked = checkSendRequest(body, indexed ? `[${index}].` : '')
    if ('problems' in checked) problems.push(...checked.problems)
    else requests.push(checked.request)
  })
  return problems.length > 0 ? { problems } : { requests }
}
