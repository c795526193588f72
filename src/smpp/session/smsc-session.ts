import { EventEmitter } from 'node:events'
import { errorCodes, isSmsgwError, SmsgwError } from '../../errors.ts'
import {
  commandStatus, createPdu, decodePdu, encodePdu, failureResponse, isResponseId, PduFramer, responseOf
} from '../codec/index.ts'
import type { BindBody, DecodeFailure, Pdu, PduOf, ShortMessageBody } from '../codec/index.ts'
import { KeepAlive } from './keep-alive.ts'
import { OutstandingRequests } from './outstanding-requests.ts'
import {
  bindFailed, bindRefused, connectionError, sessionClosed, SmppSessionError, submitNotBound, submitUnencodable
} from './session-errors.ts'
import { smscSessionStates } from './session-events.ts'
import type { SmscSessionEvents, SmscSessionState, SubmitOptions, SubmitResult } from './session-events.ts'
import { bindBody, sessionSettings } from './session-options.ts'
import type { SessionSettings, SmscSessionOptions } from './session-options.ts'
import { SubmitPipeline } from './submit-pipeline.ts'
import type { SmppTransport } from './transport.ts'

interface ReadyWaiter {
  readonly resolve: () => void
  readonly reject: (error: Error) => void
}

const noop = (): void => {}

/**
 * An ESME session of SMPP 3.4 (client side): one transceiver bind over one connection, with
 * keep-alive, a window of outstanding submits, throttle back-off and a throughput limit.
 *
 * It starts connecting when constructed. It reads the transport's byte chunks and writes through
 * its one `send`, one write at a time, waiting while the connection is full. It never
 * reconnects: ReconnectingSession does, with a new session each time.
 */
export class SmscSession extends EventEmitter<SmscSessionEvents> implements AsyncDisposable {
  readonly #settings: SessionSettings
  readonly #bindBody: BindBody
  readonly #outstanding: OutstandingRequests
  readonly #submits: SubmitPipeline
  readonly #keepAlive: KeepAlive
  readonly #connectAbort = new AbortController()
  #state: SmscSessionState = smscSessionStates.connecting
  #transport: SmppTransport | undefined
  #peerSystemId: string | undefined
  #reason: Error | undefined
  /** Set once the end is decided (we send unbind, or the SMSC did): the reason to close with. */
  #ending: { readonly reason: Error | undefined } | undefined
  #closing: Promise<void> | undefined
  readonly #closed: Promise<Error | undefined>
  #resolveClosed!: (reason: Error | undefined) => void
  readonly #bound: Promise<void>
  #settleBound!: (error?: Error) => void
  #wasBusy = true
  readonly #readyWaiters: ReadyWaiter[] = []
  readonly #idleWaiters: Array<() => void> = []
  /** The last write; each write waits for the one before it (and its drain). */
  #writing: Promise<void> = Promise.resolve()
  /** When the send under way began; one that waits for 'drain' this long means a stalled SMSC. */
  #sendStartedAtMs: number | undefined
  #delivering = 0
  readonly #deliverWaiters: Array<() => void> = []

  /** @throws SmsgwError SMSGW_CONFIG when an option is invalid or the bind fields do not fit SMPP. */
  constructor (options: SmscSessionOptions) {
    super()
    this.#settings = sessionSettings(options)
    this.#bindBody = bindBody(this.#settings)
    this.#outstanding = new OutstandingRequests(this.#settings.responseTimeoutMs, () => { this.#checkStalled() })
    this.#submits = new SubmitPipeline(this.#settings, {
      mayWrite: () => (this.#state === smscSessionStates.bound || this.#state === smscSessionStates.unbinding) && this.#ending === undefined,
      write: async (bytes, handover, refused) => await this.#write(bytes, handover, refused),
      outstanding: this.#outstanding,
      changed: () => {
        this.#checkDrain()
        this.#checkIdle()
      },
      throttled: info => { this.emit('throttled', info) },
      // ESME_RINVBNDSTS: what is left in the window will hear the same; close, and let a new bind try.
      bindLost: () => { void this.close() }
    })
    this.#keepAlive = new KeepAlive(this.#settings, {
      enquire: async () => await this.#request(createPdu('enquire_link', 0, {})),
      silent: quietMs => { this.#finish(new SmppSessionError(errorCodes.smppInactivity, `no PDU from the SMSC for ${quietMs} ms`)) }
    })
    this.#closed = new Promise(resolve => { this.#resolveClosed = resolve })
    this.#bound = new Promise<void>((resolve, reject) => {
      this.#settleBound = error => { if (error === undefined) resolve(); else reject(error) }
    })
    // Nobody has to ask bound(); its rejection is then not an unhandled one.
    this.#bound.catch(noop)
    queueMicrotask(() => { void this.#open() })
  }

  get state (): SmscSessionState {
    return this.#state
  }

  /** The SMSC's system_id from bind_transceiver_resp, once bound. */
  get peerSystemId (): string | undefined {
    return this.#peerSystemId
  }

  /** Submits in the window: outstanding, backing off, or waiting for a token. */
  get inFlight (): number {
    return this.#submits.inFlight
  }

  /**
   * True while a submit would have to wait: not bound, every window slot taken, or the session
   * holding submits after a throttled answer. Producers stop while busy and resume at 'drain'.
   */
  get busy (): boolean {
    return this.#state !== smscSessionStates.bound || this.#submits.full
  }

  /** Resolves once bound; rejects with the reason when the session closes first (SMSGW_SMPP_BIND, SMSGW_SMPP_CONNECTION, …). */
  async bound (): Promise<void> {
    await this.#bound
  }

  /**
   * Resolves when `busy` is false. Rejects with SmppSubmitError SMSGW_SMPP_NOT_BOUND when the
   * session is closing or closes first.
   */
  async ready (): Promise<void> {
    if (!this.busy) return
    if (this.#refusal() !== undefined && this.#state !== smscSessionStates.connecting && this.#state !== smscSessionStates.binding) {
      throw submitNotBound(this.#state, this.#reason)
    }
    await new Promise<void>((resolve, reject) => { this.#readyWaiters.push({ resolve, reject }) })
  }

  /** Resolves when the session is closed: undefined after close(), the reason otherwise. Never rejects. */
  async closed (): Promise<Error | undefined> {
    return await this.#closed
  }

  /**
   * Submits one submit_sm (`body` as the codec types it; its short_message is plaintext and is
   * never logged). Waits for a window slot, a throttle hold and a throughput token, in that
   * order. Resolves with the SMSC's message id on submit_sm_resp ESME_ROK. After ESME_RTHROTTLED
   * or ESME_RMSGQFUL it backs off and submits again (up to maxThrottleRetries), so the caller
   * sees only the final answer. With `options.deadline`, no attempt is written after it.
   * @throws SmppSubmitError with `commandStatus`, `written`, `outcomeUnknown`, `retryable` and
   * `sessionSurvives`: SMSGW_SMPP_SUBMIT (refused), SMSGW_SMPP_RESPONSE_TIMEOUT,
   * SMSGW_SMPP_CLOSED, SMSGW_SMPP_NOT_BOUND, SMSGW_SMPP_ENCODING, SMSGW_SMPP_MALFORMED,
   * SMSGW_SMPP_DEADLINE (the deadline passed before it was written).
   */
  async submit (body: ShortMessageBody, options: SubmitOptions = {}): Promise<SubmitResult> {
    const refused = this.#refusal()
    if (refused !== undefined) throw refused
    let bytes: Buffer
    try {
      bytes = encodePdu(createPdu('submit_sm', 1, body))
    } catch (error) {
      throw submitUnencodable(error)
    }
    return await this.#submits.submit(bytes, () => this.#refusal(), options)
  }

  /**
   * Closes gracefully: takes no more submits, waits (at most closeTimeoutMs) for the window to
   * empty and running deliver_sm handlers to finish, sends unbind and waits (at most
   * responseTimeoutMs) for unbind_resp, then ends the connection. Submits still in the window
   * when the wait ends fail with SMSGW_SMPP_CLOSED. Resolves when closed; never rejects.
   */
  async close (): Promise<void> {
    this.#closing ??= this.#closeGracefully()
    await this.#closing
  }

  /**
   * Closes at once: drops the connection and fails everything pending, each submit with
   * `written` as it stands. `closed()` resolves with `error`.
   */
  destroy (error?: Error): void {
    this.#finish(error)
  }

  async [Symbol.asyncDispose] (): Promise<void> {
    await this.close()
  }

  // ---- opening -------------------------------------------------------------------------------

  async #open (): Promise<void> {
    let transport: SmppTransport
    try {
      transport = await this.#settings.connect(this.#connectAbort.signal)
    } catch (error) {
      this.#finish(connectionError(`could not connect to the SMSC: ${(error as Error).message}`, error))
      return
    }
    if (this.#isClosed()) {
      transport.destroy()
      return
    }
    this.#transport = transport
    this.#keepAlive.watch()
    this.#setState(smscSessionStates.binding)
    void this.#read(transport)
    let response: Pdu
    try {
      response = await this.#request(createPdu('bind_transceiver', 0, this.#bindBody))
    } catch (error) {
      this.#finish(bindFailed(error))
      return
    }
    if (response.command !== 'bind_transceiver_resp' || response.commandStatus !== commandStatus.ESME_ROK) {
      this.#finish(bindRefused(response.command, response.commandStatus))
      return
    }
    if (this.#state !== smscSessionStates.binding || this.#ending !== undefined) return
    this.#peerSystemId = response.body.systemId
    this.#setState(smscSessionStates.bound)
    this.#settleBound()
    this.emit('bound', { systemId: response.body.systemId })
    this.#keepAlive.startEnquiring()
    this.#checkDrain()
  }

  // ---- reading -------------------------------------------------------------------------------

  async #read (transport: SmppTransport): Promise<void> {
    const framer = new PduFramer()
    let failure: unknown
    try {
      for await (const chunk of transport.chunks) {
        for (const frame of framer.push(chunk)) {
          if (this.#isClosed()) break
          this.#onFrame(frame)
        }
        if (this.#isClosed()) break
        // Slow deliver_sm handlers stop the reading: the SMSC's window then fills and it waits.
        while (this.#delivering >= this.#settings.maxDeliversInFlight && !this.#isClosed()) {
          await new Promise<void>(resolve => { this.#deliverWaiters.push(resolve) })
        }
      }
      if (!this.#isClosed()) framer.end()
    } catch (error) {
      failure = error
    }
    if (this.#isClosed()) return
    if (this.#ending !== undefined) {
      this.#finish(this.#ending.reason)
    } else if (failure === undefined) {
      this.#finish(connectionError('the SMSC closed the connection'))
    } else if (failure instanceof SmsgwError && failure.code === errorCodes.smppFraming) {
      this.#finish(failure)
    } else {
      this.#finish(connectionError(`the SMSC connection failed: ${(failure as Error).message}`, failure))
    }
  }

  #onFrame (frame: Buffer): void {
    this.#keepAlive.heard()
    const result = decodePdu(frame)
    if (!result.ok) {
      this.#onUnreadable(result)
      return
    }
    const pdu = result.pdu
    if (isResponseId(pdu.commandId)) {
      this.#onResponse(pdu)
      return
    }
    switch (pdu.command) {
      case 'enquire_link':
        this.#reply(createPdu('enquire_link_resp', pdu.sequenceNumber, {}))
        break
      case 'deliver_sm':
        this.#onDeliverSm(pdu)
        break
      case 'unbind':
        this.#onPeerUnbind(pdu)
        break
      default:
        // An ESME serves nothing else: bind, submit_sm, data_sm or outbind from the SMSC (§4).
        this.#reply(createPdu('generic_nack', pdu.sequenceNumber, {}, commandStatus.ESME_RINVCMDID))
        this.emit('unexpected', { command: pdu.command, sequenceNumber: pdu.sequenceNumber, reason: 'not served by an ESME' })
    }
  }

  #onUnreadable (failure: DecodeFailure): void {
    const command = failure.command ?? `command_id 0x${failure.commandId.toString(16)}`
    this.emit('unexpected', { command, sequenceNumber: failure.sequenceNumber, reason: failure.reason })
    if (failure.reply !== null) {
      const answer = failureResponse(failure)
      if (answer !== null) this.#reply(answer)
      return
    }
    // A response we cannot read still ends its request: the SMSC answered, but we cannot tell what.
    this.#outstanding.settle(failure.sequenceNumber, { type: 'unreadable', failure })
  }

  #onResponse (pdu: Pdu): void {
    const expects = this.#outstanding.expects(pdu.sequenceNumber)
    if (expects === undefined || (pdu.command !== expects && pdu.command !== 'generic_nack')) {
      const reason = expects === undefined ? 'no request outstanding with this sequence_number' : `expected ${expects}`
      this.emit('unexpected', { command: pdu.command, sequenceNumber: pdu.sequenceNumber, reason })
      return
    }
    this.#outstanding.settle(pdu.sequenceNumber, { type: 'response', pdu })
  }

  #onDeliverSm (pdu: PduOf<'deliver_sm'>): void {
    this.#delivering++
    void (async () => {
      let status: number = commandStatus.ESME_ROK
      try {
        await this.#settings.onDeliver(pdu)
      } catch (error) {
        // The handler could not record it: ask the SMSC to deliver it again later (§5.1.3);
        // one it refuses for good (SMSGW_INBOUND_REFUSED) must not come again.
        status = isSmsgwError(error, errorCodes.inboundRefused) ? commandStatus.ESME_RX_R_APPN : commandStatus.ESME_RX_T_APPN
      }
      if (!this.#isClosed()) {
        await this.#write(encodePdu(createPdu('deliver_sm_resp', pdu.sequenceNumber, { messageId: '', tlvs: [] }, status))).catch(noop)
      }
      this.#delivering--
      for (const wake of this.#deliverWaiters.splice(0)) wake()
      this.#checkIdle()
    })()
  }

  #onPeerUnbind (pdu: PduOf<'unbind'>): void {
    this.#reply(createPdu('unbind_resp', pdu.sequenceNumber, {}))
    if (this.#ending !== undefined) return
    this.#ending = { reason: new SmppSessionError(errorCodes.smppPeerUnbind, 'the SMSC unbound the session') }
    this.#stopTakingSubmits()
    void this.#endTransport()
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * Writes after every earlier write has been handed over (and the connection drained).
   * `handover` runs just before the bytes go to the transport and may skip them by returning
   * false; `refused` runs when the transport refuses them. A refused send wrote nothing and
   * means the connection is gone: the session is destroyed.
   * @returns false when `handover` skipped the bytes, true when they were written.
   * @throws SmsgwError SMSGW_SMPP_CLOSED when the session is closed; the transport's error when it refused the bytes.
   */
  async #write (bytes: Buffer, handover?: () => boolean, refused?: () => void): Promise<boolean> {
    const previous = this.#writing
    let done!: () => void
    this.#writing = new Promise(resolve => { done = resolve })
    try {
      await previous
      const transport = this.#transport
      if (transport === undefined || this.#isClosed()) throw sessionClosed()
      if (handover !== undefined && !handover()) return false
      this.#sendStartedAtMs = Date.now()
      try {
        await transport.send(bytes)
      } catch (error) {
        refused?.()
        this.#finish(connectionError(`could not write to the SMSC: ${(error as Error).message}`, error))
        throw error
      } finally {
        this.#sendStartedAtMs = undefined
      }
      return true
    } finally {
      done()
    }
  }

  #reply (pdu: Pdu): void {
    this.#write(encodePdu(pdu)).catch(noop)
  }

  /** Sends a request other than submit_sm and resolves with its response (or generic_nack). */
  async #request (request: PduOf<'bind_transceiver'> | PduOf<'enquire_link'> | PduOf<'unbind'>): Promise<Pdu> {
    if (this.#isClosed()) throw sessionClosed()
    const expects = responseOf[request.command]
    return await new Promise<Pdu>((resolve, reject) => {
      const sequenceNumber = this.#outstanding.add(expects, outcome => {
        switch (outcome.type) {
          case 'response': resolve(outcome.pdu); break
          case 'timeout': reject(new SmsgwError(errorCodes.smppResponseTimeout, `no ${expects} within ${this.#settings.responseTimeoutMs} ms`)); break
          case 'unreadable': reject(new SmsgwError(errorCodes.smppMalformed, `${expects} could not be read: ${outcome.failure.reason}`)); break
          case 'closed': reject(outcome.reason ?? new SmsgwError(errorCodes.smppClosed, 'the SMPP session closed')); break
        }
      })
      // A failed write destroys the session, which settles the request.
      this.#write(encodePdu({ ...request, sequenceNumber })).catch(noop)
    })
  }

  // Runs after a request timed out. No answer, and the connection has not taken our bytes for
  // as long: the SMSC is not reading. Closing fails the submits queued behind the stuck write
  // as not written, instead of leaving them without a timeout.
  #checkStalled (): void {
    const stalledMs = this.#sendStartedAtMs === undefined ? 0 : Date.now() - this.#sendStartedAtMs
    if (stalledMs >= this.#settings.responseTimeoutMs) this.#finish(connectionError(`the SMSC took no bytes for ${stalledMs} ms`))
  }

  // ---- flow ----------------------------------------------------------------------------------

  /** Why a submit is refused now (not bound, or closing), or undefined when it is taken. */
  #refusal (): Error | undefined {
    const taking = this.#state === smscSessionStates.bound && this.#ending === undefined && this.#closing === undefined
    return taking ? undefined : submitNotBound(this.#state, this.#reason)
  }

  #checkDrain (): void {
    const busy = this.busy
    if (this.#wasBusy && !busy) {
      this.#wasBusy = false
      for (const waiter of this.#readyWaiters.splice(0)) waiter.resolve()
      this.emit('drain')
    } else if (busy) {
      this.#wasBusy = true
    }
  }

  #checkIdle (): void {
    if (this.#submits.inFlight === 0 && this.#delivering === 0) for (const wake of this.#idleWaiters.splice(0)) wake()
  }

  /** Refuses new submits: those waiting for a slot and for ready() fail as not written. */
  #stopTakingSubmits (): void {
    if (this.#state === smscSessionStates.bound) this.#setState(smscSessionStates.unbinding)
    this.#keepAlive.stopEnquiring()
    const error = submitNotBound(this.#state, this.#reason)
    this.#submits.refuseWaiters(error)
    for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(error)
  }

  // ---- closing -------------------------------------------------------------------------------

  async #closeGracefully (): Promise<void> {
    if (this.#state === smscSessionStates.connecting || this.#state === smscSessionStates.binding) {
      this.#finish(undefined)
      return
    }
    if (this.#isClosed() || this.#ending !== undefined) {
      await this.#closed
      return
    }
    this.#stopTakingSubmits()
    await this.#waitIdle(this.#settings.closeTimeoutMs)
    if (this.#isClosed() || this.#ending !== undefined) {
      await this.#closed
      return
    }
    this.#ending = { reason: undefined }
    // Whatever unbind_resp says (or if none comes), the session ends.
    await this.#request(createPdu('unbind', 0, {})).catch(noop)
    await this.#endTransport()
  }

  async #waitIdle (timeoutMs: number): Promise<void> {
    if (this.#submits.inFlight === 0 && this.#delivering === 0) return
    let timer: NodeJS.Timeout | undefined
    await new Promise<void>(resolve => {
      this.#idleWaiters.push(resolve)
      timer = setTimeout(resolve, timeoutMs)
    })
    clearTimeout(timer)
  }

  /**
   * Ends the connection once what was written has been handed over, then closes the session.
   * Bounded by responseTimeoutMs, in case the SMSC reads nothing more or never closes.
   */
  async #endTransport (): Promise<void> {
    const transport = this.#transport
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.#writing.then(async () => { if (!this.#isClosed()) await transport?.end() }).catch(noop),
      new Promise<void>(resolve => { timer = setTimeout(resolve, this.#settings.responseTimeoutMs) })
    ])
    clearTimeout(timer)
    this.#finish(this.#ending?.reason)
  }

  #finish (reason: Error | undefined): void {
    if (this.#isClosed()) return
    this.#reason = reason
    this.#state = smscSessionStates.closed
    this.#connectAbort.abort(reason ?? new SmsgwError(errorCodes.smppClosed, 'the SMPP session was closed'))
    this.#keepAlive.stop()
    this.#transport?.destroy()
    // Waiters first, so that the slots freed below are not handed to them.
    const notBound = submitNotBound(this.#state, reason)
    this.#submits.refuseWaiters(notBound)
    for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(notBound)
    this.#outstanding.closeAll(reason)
    this.#submits.close(reason)
    for (const wake of this.#deliverWaiters.splice(0)) wake()
    for (const wake of this.#idleWaiters.splice(0)) wake()
    this.#settleBound(reason ?? new SmsgwError(errorCodes.smppClosed, 'the SMPP session closed before it was bound'))
    this.#resolveClosed(reason)
    this.emit('state', smscSessionStates.closed)
    this.emit('closed', reason)
  }

  // A method, so that TypeScript does not carry a narrowed #state across awaits and calls.
  #isClosed (): boolean {
    return this.#state === smscSessionStates.closed
  }

  #setState (state: SmscSessionState): void {
    if (this.#state === state || this.#isClosed()) return
    this.#state = state
    this.emit('state', state)
  }
}
