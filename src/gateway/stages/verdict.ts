import type { SmsStatus } from '../../domain/status-event.ts'

/**
 * A stage's decision that the request ends here, with the status to report and the contract's
 * error text (absent for EXPIRED). Each stage returns this or its own `continue` value.
 */
export interface StatusVerdict {
  readonly kind: 'status'
  readonly status: SmsStatus
  readonly errorText?: string
}

/** A StatusVerdict; without an errorText property at all when none is given. */
export function statusVerdict (status: SmsStatus, errorText?: string): StatusVerdict {
  return errorText === undefined ? { kind: 'status', status } : { kind: 'status', status, errorText }
}
