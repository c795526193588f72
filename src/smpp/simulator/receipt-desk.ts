import { errorCodes, isSmsgwError } from '../../errors.ts'
import { encodeReceiptBody } from './delivery-receipt.ts'
import type { ReceiptPlan } from './receipt-rules.ts'
import type { ReceiptStat } from '../receipts/index.ts'
import type { SimulatorSession } from './simulator-session.ts'
import type { SubmittedMessage } from './submitted-message.ts'

// Receipts wait for their delay, then go to a session bound to receive with the system_id that
// submitted the message. Like a real SMSC, the desk keeps a receipt it cannot deliver (no such
// session, the session closed or did not answer) and sends it again after the next bind of that
// system_id, so an ESME that reconnects gets its receipts, sometimes twice. With
// `resendAnsweredMs`, it also sends again, after a bind, the receipts answered in that last
// while: an SMSC whose deliver_sm_resp was lost in a crash cannot tell them from unanswered ones.

/** Receipts kept per system_id while no session can take them; the oldest go first past this. */
export const MAX_QUEUED_RECEIPTS = 10_000

/** A receipt the ESME answered. `destination` is the recipient: mask it before logging. */
export interface ReceiptEvent {
  /** The id of the submit_sm_resp. */
  readonly messageId: string
  /** The id as the receipt wrote it. */
  readonly receiptId: string
  readonly systemId: string
  readonly destination: string
  readonly outcome: ReceiptStat
  readonly err: string
  /** The command_status of the ESME's deliver_sm_resp. */
  readonly commandStatus: number
}

export interface ReceiptJob {
  readonly submitted: SubmittedMessage
  readonly plan: ReceiptPlan
  readonly receiptId: string
}

export interface ReceiptDeskContext {
  /** A session bound to receive for `systemId`, `preferred` when it can; undefined when none. */
  readonly receivingSession: (systemId: string, preferred?: SimulatorSession) => SimulatorSession | undefined
  readonly answered: (event: ReceiptEvent) => void
  /** Receipts answered this long ago or less are sent again after a bind; 0: none. */
  readonly resendAnsweredMs: number
}

export class ReceiptDesk {
  readonly #context: ReceiptDeskContext
  readonly #timers = new Set<NodeJS.Timeout>()
  readonly #queued = new Map<string, ReceiptJob[]>()
  /** Per system_id, the receipts answered within resendAnsweredMs, oldest first. */
  readonly #answered = new Map<string, Array<{ job: ReceiptJob, atMs: number }>>()
  #stopped = false

  constructor (context: ReceiptDeskContext) {
    this.#context = context
  }

  /** Receipts waiting for their delay or for a session. */
  get pending (): number {
    let queued = 0
    for (const jobs of this.#queued.values()) queued += jobs.length
    return this.#timers.size + queued
  }

  /** Sends `job` after its delay, or at once (to `preferred` when it can receive) when `now`. */
  schedule (job: ReceiptJob, now: boolean, preferred?: SimulatorSession): void {
    if (this.#stopped) return
    if (now) {
      this.#send(job, preferred)
      return
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      this.#send(job)
    }, job.plan.delayMs)
    this.#timers.add(timer)
  }

  /**
   * Sends the receipts kept for `systemId`, after a session bound to receive for it: those
   * never answered first, then those answered within resendAnsweredMs. What the SMSC still owes
   * goes before what it only repeats: an ESME takes a few deliver_sm at a time, and a burst of
   * repeats ahead of them held them past the deliver timeout, to be kept for a bind that may
   * never come.
   */
  flush (systemId: string): void {
    const jobs = [...this.#queued.get(systemId) ?? [], ...this.#recentlyAnswered(systemId).map(({ job }) => job)]
    this.#queued.delete(systemId)
    this.#answered.delete(systemId)
    for (const job of jobs) this.#send(job)
  }

  /** Cancels every receipt not yet sent. */
  stop (): void {
    this.#stopped = true
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    this.#queued.clear()
    this.#answered.clear()
  }

  #send (job: ReceiptJob, preferred?: SimulatorSession): void {
    if (this.#stopped) return
    const systemId = job.submitted.systemId
    const session = this.#context.receivingSession(systemId, preferred)
    if (session === undefined) {
      this.#keep(job)
      return
    }
    const body = encodeReceiptBody(job.submitted, { receiptId: job.receiptId, outcome: job.plan.outcome, err: job.plan.err, doneAt: new Date() })
    session.deliver(body).then(commandStatus => {
      this.#remember(job)
      this.#context.answered({
        messageId: job.submitted.messageId,
        receiptId: job.receiptId,
        systemId,
        destination: job.submitted.destination,
        outcome: job.plan.outcome,
        err: job.plan.err,
        commandStatus
      })
    }, (error: unknown) => {
      // The body is built from a submit_sm the codec read, so every field fits: only the
      // session can fail, and then the receipt waits for the next bind.
      if (isSmsgwError(error, errorCodes.smscSimDelivery) || isSmsgwError(error, errorCodes.timeout)) this.#keep(job)
    })
  }

  /** Keeps an answered receipt for resendAnsweredMs, at most MAX_QUEUED_RECEIPTS per system_id. */
  #remember (job: ReceiptJob): void {
    if (this.#stopped || this.#context.resendAnsweredMs === 0) return
    const answered = this.#recentlyAnswered(job.submitted.systemId)
    answered.push({ job, atMs: Date.now() })
    if (answered.length > MAX_QUEUED_RECEIPTS) answered.shift()
    this.#answered.set(job.submitted.systemId, answered)
  }

  /** The receipts of `systemId` answered within resendAnsweredMs, oldest first; older ones are dropped from the list. */
  #recentlyAnswered (systemId: string): Array<{ job: ReceiptJob, atMs: number }> {
    const answered = this.#answered.get(systemId) ?? []
    const sinceMs = Date.now() - this.#context.resendAnsweredMs
    while (answered.length > 0 && (answered[0] as { atMs: number }).atMs < sinceMs) answered.shift()
    return answered
  }

  #keep (job: ReceiptJob): void {
    if (this.#stopped) return
    const systemId = job.submitted.systemId
    const jobs = this.#queued.get(systemId) ?? []
    jobs.push(job)
    if (jobs.length > MAX_QUEUED_RECEIPTS) jobs.shift()
    this.#queued.set(systemId, jobs)
  }
}
