import type { OutboundSms } from '../stages/validate-sms.ts'
import type { StatusVerdict } from '../stages/verdict.ts'
import type { SmsStatus } from '../../domain/status-event.ts'

/** A request ready to leave the gateway. `message` is plaintext: never log or persist it. */
export interface Submission {
  readonly clientId: string
  readonly correlId: string
  readonly deadline: Date
  readonly message: OutboundSms
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

/** Where requests go: the loop-back for client `test`, an SMSC, later others. */
export interface Backend {
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
  /** The backend's own checks on a message (spec §5, backend table); undefined when it passes. */
  check: (message: OutboundSms) => StatusVerdict | undefined
  /** Hands the request over and resolves once every status it will ever report is reported. */
  submit: (submission: Submission, report: ReportStatus) => Promise<void>
  close: () => Promise<void>
}
