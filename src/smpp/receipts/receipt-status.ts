import { smsStatuses, type SmsStatus } from '../../domain/status-event.ts'
import { messageStates, type MessageState } from '../codec/index.ts'

/** The `stat:` values of SMPP 3.4 Appendix B. */
export const receiptStats = {
  enroute: 'ENROUTE',
  delivered: 'DELIVRD',
  expired: 'EXPIRED',
  deleted: 'DELETED',
  undeliverable: 'UNDELIV',
  accepted: 'ACCEPTD',
  unknown: 'UNKNOWN',
  rejected: 'REJECTD'
} as const

export type ReceiptStat = typeof receiptStats[keyof typeof receiptStats]
export const allowedReceiptStats: readonly ReceiptStat[] = Object.values(receiptStats)

// The `message_state` TLV values of SMPP 3.4 §5.2.28 live with the codec's numbers; the receipt
// API passes them on next to the `stat:` names they pair with.
export { messageStates }
export type { MessageState }

const statByMessageState: ReadonlyMap<number, ReceiptStat> = new Map(
  (Object.keys(messageStates) as Array<keyof typeof messageStates>).map(name => [messageStates[name], receiptStats[name]])
)

/**
 * The `stat:` name of a `message_state` TLV value (1 → `ENROUTE` … 8 → `REJECTD`). Any other
 * value gives its decimal digits, which `receiptStatus` reports as an unknown delivery state.
 */
export function statOfMessageState (state: number): string {
  return statByMessageState.get(state) ?? String(state)
}

/** A receipt's verdict: the status to report and, for failures, the contract's error text. */
export interface ReceiptStatus {
  readonly status: SmsStatus
  readonly errorText?: string
}

const NO_ERROR_MESSAGE = '(no error message)'

/**
 * Spec §7's receipt table. `stat` is matched without regard to case or surrounding white space;
 * `<err>` in the error texts is the trimmed `err`, or `(no error message)` when it is absent or
 * blank; an unknown state is quoted trimmed, as written (empty when absent).
 */
export function receiptStatus (stat: string | undefined, err: string | undefined): ReceiptStatus {
  const state = (stat ?? '').trim()
  const trimmedErr = (err ?? '').trim()
  const error = trimmedErr === '' ? NO_ERROR_MESSAGE : trimmedErr
  switch (state.toUpperCase()) {
    case receiptStats.delivered: return { status: smsStatuses.delivered }
    case receiptStats.accepted:
    case receiptStats.enroute: return { status: smsStatuses.sent }
    case receiptStats.expired: return { status: smsStatuses.expired }
    case receiptStats.deleted: return { status: smsStatuses.failed, errorText: 'Message was deleted' }
    case receiptStats.undeliverable: return { status: smsStatuses.failed, errorText: `Message was undeliverable: ${error}` }
    case receiptStats.unknown: return { status: smsStatuses.failed, errorText: `SMSC delivery state UNKNOWN: ${error}` }
    case receiptStats.rejected: return { status: smsStatuses.invalid, errorText: `SMSC rejects message: ${error}` }
    default: return { status: smsStatuses.failed, errorText: `Unknown delivery state: ${state}: ${error}` }
  }
}
