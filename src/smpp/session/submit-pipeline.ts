import { commandStatus } from '../codec/index.ts'
import type { OutstandingRequests, ResponseOutcome } from './outstanding-requests.ts'
import {
  endsSession, submitAnswerUnreadable, submitCutOff, submitPastDeadline, submitRefused, submitTimedOut, throttleStatuses
} from './session-errors.ts'
import type { SmppSubmitError } from './session-errors.ts'
import type { SubmitOptions, SubmitResult, ThrottleInfo } from './session-events.ts'
import type { SessionSettings } from './session-options.ts'
import { ThrottleHold } from './throttle-hold.ts'
import { TokenBucket } from './token-bucket.ts'
import { WindowSlots } from './window-slots.ts'

const SEQUENCE_NUMBER_OFFSET = 12
/** The longest delay a Node.js timer takes (2^31 − 1 ms); a deadline further away gets no timer. */
const MAX_TIMER_MS = 2_147_483_647

/** A submit between submit() and its result; it holds one window slot all that time. */
interface SubmitTask {
  /** submit_sm encoded once; each attempt copies it with its own sequence_number. */
  readonly bytes: Buffer
  readonly resolve: (result: SubmitResult) => void
  readonly reject: (error: SmppSubmitError) => void
  /** Whether the bytes of the current attempt were handed to the transport. */
  written: boolean
  /** Throttled answers so far. */
  throttled: number
  /** The throttle hold's epoch when the current attempt was written. */
  holdEpoch: number
  /** No attempt is written after this instant. */
  readonly deadline: Date | undefined
  /** Fails the submit when its deadline passes while it waits to be written. */
  expiry: NodeJS.Timeout | undefined
}

/** What the pipeline needs from its session. */
export interface SubmitPipelineHooks {
  /** Whether submit_sm may be written now. */
  readonly mayWrite: () => boolean
  /**
   * Writes after the session's earlier writes. `handover` runs just before the bytes go to the
   * transport and returns false to skip them; `refused` runs when the transport refuses them.
   * Rejects when nothing was written.
   */
  readonly write: (bytes: Buffer, handover: () => boolean, refused: () => void) => Promise<void>
  readonly outstanding: OutstandingRequests
  /** The window or the hold changed: the session's `busy` and idleness may have too. */
  readonly changed: () => void
  readonly throttled: (info: ThrottleInfo) => void
  /** An answer said that the SMSC no longer counts us as bound. */
  readonly bindLost: () => void
}

export type SubmitPipelineSettings = Pick<SessionSettings,
  'windowSize' | 'responseTimeoutMs' | 'throttleBackoffMs' | 'maxThrottleBackoffMs' | 'maxThrottleRetries' | 'maxSubmitsPerSecond'>

/**
 * The way of a submit_sm through a session: a window slot, then the throttle hold, then a
 * throughput token, then the write (one submit write at a time, so the token bucket paces real
 * writes), then the answer. Throttled answers go round again; every other outcome settles the
 * caller's promise, with `written` exactly as it stood. A submit with a deadline is never written
 * after it: it fails with SMSGW_SMPP_DEADLINE when the deadline passes while it waits (for the
 * hold, a token or an earlier write), and each attempt checks it again just before its bytes go.
 */
export class SubmitPipeline {
  readonly #settings: SubmitPipelineSettings
  readonly #hooks: SubmitPipelineHooks
  readonly #slots: WindowSlots
  readonly #hold: ThrottleHold
  readonly #bucket: TokenBucket | undefined
  /** The submits holding a slot. */
  readonly #window = new Set<SubmitTask>()
  /** Submits waiting to be written: throttled ones first, then new ones. */
  readonly #retries: SubmitTask[] = []
  readonly #queued: SubmitTask[] = []
  #writing = false
  #tokenTimer: NodeJS.Timeout | undefined

  constructor (settings: SubmitPipelineSettings, hooks: SubmitPipelineHooks) {
    this.#settings = settings
    this.#hooks = hooks
    this.#slots = new WindowSlots(settings.windowSize)
    this.#hold = new ThrottleHold({ initialMs: settings.throttleBackoffMs, maxMs: settings.maxThrottleBackoffMs }, () => {
      this.#hooks.changed()
      this.pump()
    })
    const rate = settings.maxSubmitsPerSecond
    // A tenth of a second's worth of burst: smooth enough for an SMSC that counts per second.
    this.#bucket = rate > 0 ? new TokenBucket(rate, Math.max(1, Math.floor(rate / 10))) : undefined
  }

  /** Submits holding a slot: outstanding, backing off, or waiting for a token. */
  get inFlight (): number {
    return this.#slots.used
  }

  /** True while a new submit would wait: every slot taken, or a throttle hold. */
  get full (): boolean {
    return this.#slots.full || this.#hold.holding
  }

  /**
   * Takes a slot (in order), then sends `bytes` (an encoded submit_sm) and resolves with the
   * SMSC's message id. `refusal` is asked once the slot is ours: an error when the session no
   * longer takes submits. `beforeWrite` (SubmitOptions) runs next, holding the slot, and
   * `refusal` is asked again after it: the session may have closed meanwhile.
   * @throws SmppSubmitError as SmscSession.submit describes; the waiters' error from
   * refuseWaiters; the error of `beforeWrite`.
   */
  async submit (bytes: Buffer, refusal: () => Error | undefined, options: SubmitOptions = {}): Promise<SubmitResult> {
    const { deadline, beforeWrite } = options
    await this.#slots.take()
    // Past the deadline already: no mark (beforeWrite), no write.
    this.#giveBackOnRefusal(refusal() ?? (isPast(deadline) ? submitPastDeadline(deadline as Date) : undefined))
    if (beforeWrite !== undefined) {
      try {
        await beforeWrite()
      } catch (error) {
        this.#slots.release()
        this.#hooks.changed()
        throw error
      }
      this.#giveBackOnRefusal(refusal())
    }
    return await new Promise<SubmitResult>((resolve, reject) => {
      const task: SubmitTask = { bytes, resolve, reject, written: false, throttled: 0, holdEpoch: 0, deadline, expiry: undefined }
      const untilDeadlineMs = deadline === undefined ? undefined : deadline.getTime() - Date.now() + 1
      if (untilDeadlineMs !== undefined && untilDeadlineMs <= MAX_TIMER_MS) task.expiry = setTimeout(() => { this.#expire(task) }, untilDeadlineMs)
      this.#window.add(task)
      this.#queued.push(task)
      this.pump()
    })
  }

  /** Gives the slot just taken back and throws `refused`, when there is one. */
  #giveBackOnRefusal (refused: Error | undefined): void {
    if (refused === undefined) return
    this.#slots.release()
    this.#hooks.changed()
    throw refused
  }

  /** Fails everyone waiting for a slot with `error`. */
  refuseWaiters (error: Error): void {
    this.#slots.rejectWaiters(error)
  }

  /**
   * Writes the next waiting submit when nothing holds it back: no other submit write under way,
   * no hold, a token. Called whenever one of those may have changed.
   */
  pump (): void {
    if (this.#writing || this.#hold.holding || this.#tokenTimer !== undefined || !this.#hooks.mayWrite()) return
    const task = this.#retries[0] ?? this.#queued[0]
    if (task === undefined) return
    const waitMs = this.#bucket?.take(Date.now()) ?? 0
    if (waitMs > 0) {
      this.#tokenTimer = setTimeout(() => {
        this.#tokenTimer = undefined
        this.pump()
      }, waitMs)
      return
    }
    if (this.#retries[0] === task) this.#retries.shift()
    else this.#queued.shift()
    this.#writing = true
    void this.#write(task).finally(() => {
      this.#writing = false
      this.pump()
    })
  }

  /**
   * The session closed: fails what is left, as not written (outstanding requests were settled
   * before this, with their own `written`), and stops the timers.
   */
  close (reason: Error | undefined): void {
    this.#hold.cancel()
    clearTimeout(this.#tokenTimer)
    this.#tokenTimer = undefined
    this.#retries.length = 0
    this.#queued.length = 0
    for (const task of [...this.#window]) this.#fail(task, submitCutOff(task.written, reason))
  }

  async #write (task: SubmitTask): Promise<void> {
    task.holdEpoch = this.#hold.epoch
    // The response clock starts now, not when the bytes leave: a submit stuck behind a full
    // connection times out as not written, which spec §7 reports as FAILED.
    const sequenceNumber = this.#hooks.outstanding.add('submit_sm_resp', outcome => { this.#onOutcome(task, outcome) })
    const bytes = Buffer.from(task.bytes)
    bytes.writeUInt32BE(sequenceNumber, SEQUENCE_NUMBER_OFFSET)
    const handover = (): boolean => {
      if (!this.#window.has(task)) return false
      // The last moment before the bytes go: a write queued behind a slow connection may get here late.
      if (isPast(task.deadline)) {
        this.#fail(task, submitPastDeadline(task.deadline as Date))
        return false
      }
      task.written = true
      return true
    }
    try {
      await this.#hooks.write(bytes, handover, () => { task.written = false })
    } catch {
      // Not written: the session closed or the submit timed out first, and that failed it.
      this.#hooks.outstanding.forget(sequenceNumber)
    }
  }

  #onOutcome (task: SubmitTask, outcome: ResponseOutcome): void {
    if (!this.#window.has(task)) return
    switch (outcome.type) {
      case 'response': {
        const { pdu } = outcome
        if (pdu.command === 'submit_sm_resp' && pdu.commandStatus === commandStatus.ESME_ROK) {
          this.#hold.accepted()
          this.#end(task)
          task.resolve({ messageId: pdu.body.messageId })
          return
        }
        if (throttleStatuses.has(pdu.commandStatus) && task.throttled < this.#settings.maxThrottleRetries) {
          this.#onThrottled(task, pdu.commandStatus)
          return
        }
        this.#fail(task, submitRefused(pdu.command, pdu.commandStatus))
        if (endsSession(pdu.commandStatus)) this.#hooks.bindLost()
        return
      }
      case 'unreadable':
        this.#fail(task, submitAnswerUnreadable(outcome.failure.reason))
        return
      case 'timeout':
        this.#fail(task, submitTimedOut(task.written, this.#settings.responseTimeoutMs))
        return
      case 'closed':
        this.#fail(task, submitCutOff(task.written, outcome.reason))
    }
  }

  /**
   * The SMSC refused this attempt for load, so nothing went out: submit it again after a hold
   * that stops every submit of the session (ThrottleHold says how long).
   */
  #onThrottled (task: SubmitTask, status: number): void {
    task.throttled++
    task.written = false
    if (isPast(task.deadline)) this.#fail(task, submitPastDeadline(task.deadline as Date))
    else this.#retries.push(task)
    const delayMs = this.#hold.refused(task.holdEpoch)
    if (delayMs === undefined) {
      this.pump()
      return
    }
    this.#hooks.changed()
    this.#hooks.throttled({ commandStatus: status, delayMs })
  }

  /** The deadline passed: a submit waiting to be written fails; one written waits for its answer. */
  #expire (task: SubmitTask): void {
    task.expiry = undefined
    if (!this.#window.has(task) || task.written) return
    for (const waiting of [this.#retries, this.#queued]) {
      const index = waiting.indexOf(task)
      if (index >= 0) waiting.splice(index, 1)
    }
    this.#fail(task, submitPastDeadline(task.deadline as Date))
  }

  #end (task: SubmitTask): void {
    clearTimeout(task.expiry)
    this.#window.delete(task)
    this.#slots.release()
    this.#hooks.changed()
  }

  #fail (task: SubmitTask, error: SmppSubmitError): void {
    this.#end(task)
    task.reject(error)
  }
}

/** True when `deadline` is set and lies before now (as the gateway's isPastDeadline). */
function isPast (deadline: Date | undefined): boolean {
  return deadline !== undefined && deadline.getTime() < Date.now()
}
