import { smsStatuses } from '../../domain/status-event.ts'
import { isPastDeadline, parseDeadline } from './deadline.ts'
import type { SendRequest } from './parse-request.ts'
import { MAX_CORREL_ID_BYTES, idProblem } from '../../domain/request-ids.ts'
import { statusVerdict, type StatusVerdict } from './verdict.ts'

// Stage 2: is this client allowed, and is the request complete and still in time (spec §5 rows 4–8)?

export interface RequestPolicy {
  /** The client-ids that may send, matched exactly (case-sensitive). */
  readonly allowedClients: ReadonlySet<string>
  /** The current time, passed in so that the stage stays pure. */
  readonly now: Date
}

export type RequestVerdict =
  | StatusVerdict
  | { readonly kind: 'continue', readonly deadline: Date, readonly payload: string }

export const requestErrorTexts = {
  disallowedClient: 'Client ID is unknown or disallowed',
  noPayload: 'Request lacks Payload field',
  noDeadline: 'Request lacks Deadline field',
  badDeadline: (deadline: string): string => `Invalid deadline value: ${deadline}`,
  /** Ours: the contract sets no limit on a correl-id (request-ids.ts). */
  badCorrelId: (problem: string): string => `Correlation ID field ${problem}`
} as const

/**
 * A correl-id that breaks our limits (request-ids.ts) is INVALID before rows 4–8 are looked at
 * (ours): its status carries the correl-id as sent, as every status does, and says what is
 * wrong with it. A client-id that breaks them is in no allowed list (the configuration refuses
 * such a client), so row 4 answers it.
 *
 * Rows 4–8. The older gateway ran the client check first and let a later failing check overwrite
 * its text, so rows 5–7 win over row 4: a disallowed client with a missing payload is told
 * `Request lacks Payload field`. Row 4 wins over row 8: a disallowed client is INVALID even when
 * its deadline has passed, never EXPIRED.
 */
export function validateRequest (request: SendRequest, policy: RequestPolicy): RequestVerdict {
  const correlIdProblem = idProblem(request.correlId, MAX_CORREL_ID_BYTES)
  if (correlIdProblem !== undefined) return statusVerdict(smsStatuses.invalid, requestErrorTexts.badCorrelId(correlIdProblem))
  const disallowed = !policy.allowedClients.has(request.clientId)
  if (request.payload === undefined) return statusVerdict(smsStatuses.invalid, requestErrorTexts.noPayload)
  if (request.deadline === undefined) return statusVerdict(smsStatuses.invalid, requestErrorTexts.noDeadline)
  const deadline = parseDeadline(request.deadline)
  if (deadline === null) return statusVerdict(smsStatuses.invalid, requestErrorTexts.badDeadline(request.deadline))
  if (disallowed) return statusVerdict(smsStatuses.invalid, requestErrorTexts.disallowedClient)
  if (isPastDeadline(deadline, policy.now)) return statusVerdict(smsStatuses.expired)
  return { kind: 'continue', deadline, payload: request.payload }
}
