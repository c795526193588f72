import type { DataCodingChoice } from '../../../config/data-coding-choices.ts'
import type { MessageIdStyle } from '../../../config/message-id-styles.ts'
import type { ShortMessageBody } from '../../../smpp/codec/index.ts'

/** What the backend needs of an SMPP connection: to know whether it is bound, and to submit. */
export interface SubmitChannel {
  readonly bound: boolean
  /**
   * Resolves with the SMSC's message id; rejects with an SmppSubmitError, or with
   * the error of `beforeWrite`, which runs once the submit has its window slot, just before its
   * bytes would be written (nothing is written when it rejects). No attempt (throttle retries
   * and reconnects included) is written after `options.deadline`: past it, the error's code is
   * SMSGW_SMPP_DEADLINE.
   */
  submit: (body: ShortMessageBody, options: { readonly beforeWrite?: () => Promise<void>, readonly deadline: Date }) => Promise<{ messageId: string }>
}

/** One SMSC connection as the SMPP backend routes to it (spec §7, ours: several, by prefix). */
export interface SmscLink {
  readonly name: string
  /** Recipient prefixes this SMSC takes, such as `+255`; empty takes every recipient. */
  readonly prefixes: readonly string[]
  /** The whole recipient must match, when set (spec §5, backend table). */
  readonly numberPattern?: RegExp
  readonly dataCoding: DataCodingChoice
  readonly maxParts: number
  /** TON for numeric senders: 1 international, 2 national (text senders always use 5). */
  readonly numericSenderTon: number
  /** How this SMSC writes message ids in submit_sm_resp and in receipts. */
  readonly messageIds: { readonly resp: MessageIdStyle, readonly receipt: MessageIdStyle }
  /** Whether the deadline is sent as validity_period. */
  readonly sendValidityPeriod: boolean
  readonly channel: SubmitChannel
}

/**
 * The links that may take a recipient, in configured order, bound ones first: the first is
 * the route, the others are the fail-over. Empty when no link's prefixes match.
 */
export function linksFor (to: string, links: readonly SmscLink[]): SmscLink[] {
  const matching = links.filter(link => link.prefixes.length === 0 || link.prefixes.some(prefix => to.startsWith(prefix)))
  return [...matching.filter(link => link.channel.bound), ...matching.filter(link => !link.channel.bound)]
}
