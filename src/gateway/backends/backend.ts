import type { OutboundSms } from '../stages/validate-sms.ts'
import type { StatusVerdict } from '../stages/verdict.ts'
import type { SmsStatus } from '../../domain/status-event.ts'

/**
 * A request ready to leave the gateway. `message` is plaintext: never log or persist it. It is
 * the message as its backend's check gave it back (a `Message`: what that backend submits).
 */
export interface Submission<Message extends OutboundSms = OutboundSms> {
  readonly clientId: string
  readonly correlId: string
  readonly deadline: Date
  readonly message: Message
  /** When the gateway took the request in, ms since the epoch: for end-to-end latency. */
  readonly takenInAtMs?: number
  /**
   * Given for a request the ledger guards: a backend that talks to a network calls it just
   * before the request's first bytes may be written and writes nothing until it resolves. It may
   * call it again (a reconnecting session retries the first part on its next connection); once
   * the mark is made, later calls resolve at once. It resolves once the `writing`
   * mark is durable; it rejects (SMSGW_LEDGER_FENCED, or the ledger's own error) when the
   * request must not be written, and the backend then rejects with that error, reporting nothing.
   */
  readonly markWriting?: () => Promise<void>
}

/** A status a backend reports for a submission; the sink adds who and when. */
export interface StatusReport {
  readonly status: SmsStatus
  readonly recallId?: string
  readonly errorText?: string
}

export type ReportStatus = (report: StatusReport) => Promise<void>

/** A backend's checks on a message: the status that ends the request, or the message as its submit takes it. */
export type BackendCheck<Message extends OutboundSms> = StatusVerdict | { readonly kind: 'continue', readonly message: Message }

/** The check of a backend that has none of its own: every message passes as it is. */
export function passEveryMessage (message: OutboundSms): BackendCheck<OutboundSms> {
  return { kind: 'continue', message }
}

/**
 * Where requests go: the loop-back for client `test`, an SMSC, later others. `Message` is what
 * the backend submits: its check narrows the message to it once (the SMPP backend's requires a
 * sender), and the pipeline hands submit what check gave back.
 */
export interface Backend<Message extends OutboundSms = OutboundSms> {
  readonly name: string
  /**
   * True when handing the same request over again has no effect outside the gateway, so a
   * request abandoned by a crashed instance may be replayed. False for anything that talks to
   * a network: there, a claimed but unfinished request has an unknown outcome (spec §7).
   */
  readonly replayable: boolean
  /**
   * How many requests may be between their ledger claim and the end of their hand-over at once
   * (undefined: no bound). The pipeline claims a request only once it holds one of these, so a
   * crash leaves at most this many claimed with an unknown outcome, rather than every request
   * that was waiting for the SMSC's window.
   */
  readonly handOvers?: number
  /** The backend's own checks on a message (spec §5, backend table). */
  check: (message: OutboundSms) => BackendCheck<Message>
  /**
   * Hands the request over and resolves once every status it will ever report is reported.
   * A method (checked bivariantly), so that a backend of a narrower `Message` is a Backend: the
   * pipeline calls it only with the message this backend's check gave back.
   */
  submit (submission: Submission<Message>, report: ReportStatus): Promise<void>
  close: () => Promise<void>
}
