import { EventEmitter } from 'node:events'
import { DEFAULT_SMPP_RECONNECT_DELAY_MS } from '../../config/defaults.ts'
import { errorCodes, SmsgwError } from '../../errors.ts'
import type { ShortMessageBody } from '../codec/index.ts'
import { backoffDelayMs, jitterKinds } from './backoff.ts'
import { SmppSubmitError, submitNotBound, submitPastDeadline } from './session-errors.ts'
import { sessionSettings } from './session-options.ts'
import type { SmscSessionOptions } from './session-options.ts'
import { smscSessionStates } from './session-events.ts'
import type { SubmitOptions, SubmitResult, ThrottleInfo, UnexpectedPdu } from './session-events.ts'
import { SmscSession } from './smsc-session.ts'

/** The cap of the reconnect delay: an SMSC down for long is tried once a minute. */
export const DEFAULT_MAX_RECONNECT_DELAY_MS = 60_000
/** How long a submit waits for a bound session before it fails as not written. */
export const DEFAULT_SUBMIT_WAIT_MS = 10_000

export interface ReconnectingSessionOptions extends SmscSessionOptions {
  /** First delay before reconnecting, in milliseconds, doubled per failed attempt; 1 000 by default. */
  reconnectDelayMs?: number
  /** Cap of the reconnect delay, in milliseconds; 60 000 by default. */
  maxReconnectDelayMs?: number
  /** Milliseconds a submit waits in all for a bound session (across reconnects); 10 000 by default. */
  submitWaitMs?: number
}

/** The session's states, and 'reconnecting' while waiting out the back-off. */
export const reconnectingSessionStates = { ...smscSessionStates, reconnecting: 'reconnecting' } as const
export type ReconnectingSessionState = typeof reconnectingSessionStates[keyof typeof reconnectingSessionStates]

export interface ReconnectingSessionEvents {
  state: [state: ReconnectingSessionState]
  bound: [info: { readonly systemId: string }]
  /** A session closed (or never bound); the next attempt starts after `delayMs`. */
  reconnecting: [info: { readonly attempt: number, readonly delayMs: number, readonly reason: Error | undefined }]
  drain: []
  throttled: [info: ThrottleInfo]
  unexpected: [info: UnexpectedPdu]
  /** close() or destroy() finished: the supervisor is done. */
  closed: []
}

interface BoundWaiter {
  readonly resolve: (session: SmscSession) => void
  readonly reject: (error: Error) => void
  readonly timer: NodeJS.Timeout | undefined
}

/**
 * Keeps one SmscSession bound: connects and binds, and when the session closes for any reason,
 * connects again after an exponential back-off with full jitter, reset by a successful bind.
 * Submits wait (at most submitWaitMs) for a bound session. A submit that failed without being
 * written (the session closed first) is offered to the next session within that wait; any other
 * failure, an unknown outcome above all, is the caller's.
 */
export class ReconnectingSession extends EventEmitter<ReconnectingSessionEvents> implements AsyncDisposable {
  readonly #sessionOptions: SmscSessionOptions
  readonly #reconnectDelayMs: number
  readonly #maxReconnectDelayMs: number
  readonly #submitWaitMs: number
  #session: SmscSession | undefined
  #state: ReconnectingSessionState = reconnectingSessionStates.connecting
  #closing = false
  readonly #boundWaiters = new Set<BoundWaiter>()
  #backoffTimer: NodeJS.Timeout | undefined
  #wakeFromBackoff: (() => void) | undefined
  readonly #running: Promise<void>

  /** @throws SmsgwError SMSGW_CONFIG when an option is invalid. */
  constructor (options: ReconnectingSessionOptions) {
    super()
    const { reconnectDelayMs, maxReconnectDelayMs, submitWaitMs, ...sessionOptions } = options
    sessionSettings(sessionOptions)
    this.#sessionOptions = sessionOptions
    this.#reconnectDelayMs = reconnectDelayMs ?? DEFAULT_SMPP_RECONNECT_DELAY_MS
    this.#maxReconnectDelayMs = maxReconnectDelayMs ?? DEFAULT_MAX_RECONNECT_DELAY_MS
    this.#submitWaitMs = submitWaitMs ?? DEFAULT_SUBMIT_WAIT_MS
    const problems = [
      ['reconnectDelayMs', this.#reconnectDelayMs, 1],
      ['maxReconnectDelayMs', this.#maxReconnectDelayMs, 1],
      ['submitWaitMs', this.#submitWaitMs, 0]
    ].flatMap(([name, value, min]) => Number.isSafeInteger(value) && (value as number) >= (min as number)
      ? []
      : [`${name}: must be an integer of at least ${min}, got ${value}`])
    if (problems.length > 0) throw new SmsgwError(errorCodes.config, `invalid SMPP session options:\n${problems.join('\n')}`)
    this.#running = this.#run()
  }

  get state (): ReconnectingSessionState {
    return this.#state
  }

  /** True while a submit would wait: no bound session, or the bound one is busy. */
  get busy (): boolean {
    const session = this.#session
    return session === undefined || session.state !== smscSessionStates.bound || session.busy
  }

  /** The bound session's submits in its window (0 when none is bound). */
  get inFlight (): number {
    return this.#session?.inFlight ?? 0
  }

  /**
   * Resolves when a bound session has room for a submit (however many reconnects that takes).
   * Rejects with SMSGW_SMPP_NOT_BOUND when close() is called first.
   */
  async ready (): Promise<void> {
    for (;;) {
      const session = await this.#boundSession(undefined)
      try {
        await session.ready()
        return
      } catch {
        // That session closed; wait for the next one.
      }
    }
  }

  /**
   * Submits on the bound session, waiting for one at most submitWaitMs in all, and never past
   * `options.deadline`. Resolves and rejects as SmscSession.submit does; also rejects with
   * SmppSubmitError SMSGW_SMPP_NOT_BOUND (written false) when no session is bound in time or
   * close() is called, and SMSGW_SMPP_DEADLINE when the deadline passes while it waits for one.
   */
  async submit (body: ShortMessageBody, options: SubmitOptions = {}): Promise<SubmitResult> {
    const waitUntilMs = Date.now() + this.#submitWaitMs
    const { deadline } = options
    // A bound session found 1 ms after the deadline would be too late: past it means after it.
    const notAfterMs = deadline === undefined ? Number.POSITIVE_INFINITY : deadline.getTime() + 1
    for (;;) {
      let session: SmscSession
      try {
        session = await this.#boundSession(Math.min(waitUntilMs, notAfterMs))
      } catch (error) {
        if (deadline !== undefined && Date.now() >= notAfterMs) throw submitPastDeadline(deadline)
        throw error
      }
      try {
        return await session.submit(body, options)
      } catch (error) {
        // Nothing went out and the SMSC said nothing: the next session may take it, time allowing
        // (that session checks the deadline again before writing).
        const untouched = error instanceof SmppSubmitError && !error.written && error.commandStatus === undefined &&
          (error.code === errorCodes.smppClosed || error.code === errorCodes.smppNotBound)
        if (!untouched || this.#closing || Date.now() >= waitUntilMs) throw error
      }
    }
  }

  /** Stops reconnecting and closes the current session gracefully (SmscSession.close). Never rejects. */
  async close (): Promise<void> {
    if (this.#stop()) await this.#session?.close()
    await this.#running
  }

  /** Stops reconnecting and destroys the current session with `error` (SmscSession.destroy). */
  destroy (error?: Error): void {
    this.#stop()
    this.#session?.destroy(error)
  }

  /** Resolves once stopped by close() or destroy() and the last session has closed. Never rejects. */
  async closed (): Promise<void> {
    await this.#running
  }

  async [Symbol.asyncDispose] (): Promise<void> {
    await this.close()
  }

  /** Stops reconnecting and fails whoever waits for a bound session; false when already stopped. */
  #stop (): boolean {
    if (this.#closing) return false
    this.#closing = true
    clearTimeout(this.#backoffTimer)
    this.#wakeFromBackoff?.()
    const error = submitNotBound('closing')
    for (const waiter of this.#boundWaiters) {
      clearTimeout(waiter.timer)
      waiter.reject(error)
    }
    this.#boundWaiters.clear()
    return true
  }

  async #run (): Promise<void> {
    let attempt = 0
    while (!this.#closing) {
      const session = new SmscSession(this.#sessionOptions)
      this.#session = session
      this.#follow(session)
      this.#setState(session.state)
      try {
        await session.bound()
        attempt = 0
        for (const waiter of this.#boundWaiters) {
          clearTimeout(waiter.timer)
          waiter.resolve(session)
        }
        this.#boundWaiters.clear()
      } catch {
        // Not bound: the reason comes from closed() below.
      }
      const reason = await session.closed()
      if (this.#closing) break
      attempt++
      const delayMs = backoffDelayMs(attempt, { initialMs: this.#reconnectDelayMs, maxMs: this.#maxReconnectDelayMs, jitter: jitterKinds.full })
      this.#setState(reconnectingSessionStates.reconnecting)
      this.emit('reconnecting', { attempt, delayMs, reason })
      await new Promise<void>(resolve => {
        this.#wakeFromBackoff = resolve
        this.#backoffTimer = setTimeout(resolve, delayMs)
      })
      this.#backoffTimer = undefined
      this.#wakeFromBackoff = undefined
    }
    this.#setState(reconnectingSessionStates.closed)
    this.emit('closed')
  }

  #follow (session: SmscSession): void {
    session.on('state', state => {
      // A closing session is about to be replaced; 'reconnecting' or 'closed' follows.
      if (state !== smscSessionStates.closed) this.#setState(state)
    })
    session.on('bound', info => { this.emit('bound', info) })
    session.on('drain', () => { this.emit('drain') })
    session.on('throttled', info => { this.emit('throttled', info) })
    session.on('unexpected', info => { this.emit('unexpected', info) })
  }

  /** The bound session, now or once there is one; rejects at `deadlineMs` or on close(). */
  async #boundSession (deadlineMs: number | undefined): Promise<SmscSession> {
    if (this.#closing) throw submitNotBound('closing')
    const session = this.#session
    if (session !== undefined && session.state === smscSessionStates.bound) return session
    return await new Promise<SmscSession>((resolve, reject) => {
      const waitMs = deadlineMs === undefined ? undefined : Math.max(0, deadlineMs - Date.now())
      const waiter: BoundWaiter = {
        resolve,
        reject,
        timer: waitMs === undefined
          ? undefined
          : setTimeout(() => {
            this.#boundWaiters.delete(waiter)
            reject(submitNotBound(this.#state, new SmsgwError(errorCodes.timeout, `no bound SMPP session within ${this.#submitWaitMs} ms`)))
          }, waitMs)
      }
      this.#boundWaiters.add(waiter)
    })
  }

  #setState (state: ReconnectingSessionState): void {
    if (this.#state === state || this.#state === reconnectingSessionStates.closed) return
    this.#state = state
    this.emit('state', state)
  }
}
