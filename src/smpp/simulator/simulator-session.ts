import { once } from 'node:events'
import type { Socket } from 'node:net'
import { errorCodes, SmsgwError } from '../../errors.ts'
import {
  commandStatus, createPdu, decodePdu, encodePdu, failureResponse, framePdus, SMPP_VERSION_3_4
} from '../codec/index.ts'
import type { BindBody, Pdu, PduOf, ShortMessageBody } from '../codec/index.ts'

// The SMSC side of one SMPP 3.4 connection: the codec meets the socket here and nowhere else.
// The session keeps the bind state of §2.3, answers what it can on its own (enquire_link,
// unbind, PDUs in the wrong state, PDUs it cannot read) and asks its context, the simulator,
// about binds and submits.

export const bindTypes = { transmitter: 'transmitter', receiver: 'receiver', transceiver: 'transceiver' } as const
export type BindType = typeof bindTypes[keyof typeof bindTypes]

/** §2.3: open until a bind succeeds, bound until unbind, closed when the connection is gone. */
export const sessionStates = { open: 'open', bound: 'bound', unbound: 'unbound', closed: 'closed' } as const
export type SessionState = typeof sessionStates[keyof typeof sessionStates]

type BindCommand = 'bind_transmitter' | 'bind_receiver' | 'bind_transceiver'
const bindTypeOf = { bind_transmitter: 'transmitter', bind_receiver: 'receiver', bind_transceiver: 'transceiver' } as const
const bindRespOf = { bind_transmitter: 'bind_transmitter_resp', bind_receiver: 'bind_receiver_resp', bind_transceiver: 'bind_transceiver_resp' } as const

/** How a submit_sm is answered; null from `submit` leaves it unanswered. */
export interface SubmitAnswer {
  readonly commandStatus: number
  /** Empty for an error status. */
  readonly messageId: string
}

/** What a session asks of the simulator. */
export interface SessionContext {
  /** The system_id of bind responses. */
  readonly smscSystemId: string
  /** Asked at every response, so a fault switched on takes effect at once. */
  readonly responseDelayMs: () => number
  readonly deliverTimeoutMs: number
  /** The command_status for a bind; ESME_ROK binds the session. */
  authenticate: (session: SimulatorSession, body: BindBody, bindType: BindType) => number
  /** The bind response was written: the session may now receive deliver_sm. */
  bound: (session: SimulatorSession) => void
  unbound: (session: SimulatorSession) => void
  /** A submit_sm on a session bound to transmit. */
  submit: (session: SimulatorSession, body: ShortMessageBody) => SubmitAnswer | null
  /** Counts a PDU read; true when the connection is to close once it is answered. */
  countPdu: () => boolean
  closed: (session: SimulatorSession, reason: string) => void
}

interface PendingDeliver {
  readonly resolve: (status: number) => void
  readonly reject: (error: Error) => void
  readonly timer: NodeJS.Timeout
}

const MAX_SEQUENCE_NUMBER = 0x7fffffff

export class SimulatorSession {
  readonly id: number
  readonly remoteAddress: string
  readonly #socket: Socket
  readonly #context: SessionContext
  #state: SessionState = sessionStates.open
  #bindType: BindType | undefined
  #systemId: string | undefined
  #lastSequenceNumber = 0
  readonly #pendingDelivers = new Map<number, PendingDeliver>()
  readonly #responseTimers = new Set<NodeJS.Timeout>()
  /** Set once the session is to close: the PDUs still read are ignored, the answers due still go out. */
  #closing = false
  #closeReason = ''
  #unbindAnswered: (() => void) | undefined
  readonly #closed: Promise<string>
  #resolveClosed: (reason: string) => void = () => {}

  constructor (id: number, socket: Socket, context: SessionContext) {
    this.id = id
    this.#socket = socket
    this.#context = context
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`
    this.#closed = new Promise(resolve => { this.#resolveClosed = resolve })
    // Errors also end the read loop below, which reports them; this keeps a late one (a write
    // after the peer reset) from being unhandled.
    socket.on('error', () => {})
    socket.setNoDelay(true)
    void this.#read()
  }

  get state (): SessionState {
    return this.#state
  }

  /** The bind type, once bound. */
  get bindType (): BindType | undefined {
    return this.#bindType
  }

  /** The ESME's system_id, once bound. */
  get systemId (): string | undefined {
    return this.#systemId
  }

  /** True when bound as receiver or transceiver: deliver_sm may go to it. */
  get canReceive (): boolean {
    return this.#state === sessionStates.bound && !this.#closing && this.#bindType !== bindTypes.transmitter
  }

  /** Resolves with the reason once the connection is closed. Never rejects. */
  async closed (): Promise<string> {
    return await this.#closed
  }

  /**
   * Sends a deliver_sm and resolves with the command_status of its deliver_sm_resp (or of a
   * generic_nack). Rejects with SMSGW_TIMEOUT when no answer comes within the deliver timeout,
   * SMSGW_SMSC_SIM_DELIVERY when the session cannot receive or closes first, and
   * SMSGW_SMPP_ENCODING when the body does not fit its fields.
   */
  async deliver (body: ShortMessageBody): Promise<number> {
    if (!this.canReceive) throw new SmsgwError(errorCodes.smscSimDelivery, `session ${this.id} is not bound to receive`, { retryable: true })
    const sequenceNumber = this.#nextSequenceNumber()
    const bytes = encodePdu(createPdu('deliver_sm', sequenceNumber, body))
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pendingDelivers.delete(sequenceNumber)
        reject(new SmsgwError(errorCodes.timeout, `no deliver_sm_resp within ${this.#context.deliverTimeoutMs} ms`, { retryable: true }))
      }, this.#context.deliverTimeoutMs)
      this.#pendingDelivers.set(sequenceNumber, { resolve, reject, timer })
      this.#socket.write(bytes)
    })
  }

  /**
   * Sends unbind and waits for unbind_resp (at most `timeoutMs`), then closes the connection,
   * at once if its last bytes do not drain within another `timeoutMs`. Resolves when it is
   * closed; never rejects.
   */
  async unbind (timeoutMs: number): Promise<void> {
    if (this.#state === sessionStates.bound) {
      this.#state = sessionStates.unbound
      this.#context.unbound(this)
      const answered = new Promise<void>(resolve => { this.#unbindAnswered = resolve })
      this.#write(createPdu('unbind', this.#nextSequenceNumber(), {}))
      await this.#within(timeoutMs, answered)
    }
    this.#end('closed by the SMSC')
    await this.#within(timeoutMs, this.#closed)
    this.destroy('closed by the SMSC')
  }

  // Waits for `promise`, or for the session to close, or `timeoutMs`, whichever comes first.
  async #within (timeoutMs: number, promise: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([promise, this.#closed, new Promise(resolve => { timer = setTimeout(resolve, timeoutMs) })])
    clearTimeout(timer)
  }

  /** Closes the connection at once, without unbind; answers not yet written are lost. */
  destroy (reason: string): void {
    if (this.#state === sessionStates.closed) return
    const wasBound = this.#state === sessionStates.bound
    this.#state = sessionStates.closed
    for (const timer of this.#responseTimers) clearTimeout(timer)
    this.#responseTimers.clear()
    for (const [sequenceNumber, pending] of this.#pendingDelivers) {
      clearTimeout(pending.timer)
      this.#pendingDelivers.delete(sequenceNumber)
      pending.reject(new SmsgwError(errorCodes.smscSimDelivery, `session ${this.id} closed before deliver_sm_resp`, { retryable: true }))
    }
    this.#socket.destroy()
    if (wasBound) this.#context.unbound(this)
    this.#context.closed(this, reason)
    this.#resolveClosed(reason)
  }

  async #read (): Promise<void> {
    let reason = 'closed by the ESME'
    try {
      for await (const frame of framePdus(this.#socket)) {
        if (this.#state === sessionStates.closed) return
        if (this.#closing) continue
        const last = this.#context.countPdu()
        this.#handle(frame)
        if (last) this.#end('dropped (fault dropAfterPdus)')
        // Backpressure: an ESME that does not read its answers stops being read.
        // (A socket error while waiting ends the loop at the next read.)
        if (this.#socket.writableNeedDrain) await Promise.race([once(this.#socket, 'drain').then(() => {}, () => {}), this.#closed])
      }
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error)
    }
    this.destroy(reason)
  }

  #handle (frame: Buffer): void {
    const result = decodePdu(frame)
    if (!result.ok) {
      const answer = failureResponse(result)
      if (answer !== null) this.#respond(answer)
      else this.#settleDeliver(result.sequenceNumber, result.commandStatus)
      return
    }
    const pdu = result.pdu
    const sequenceNumber = pdu.sequenceNumber
    switch (pdu.command) {
      case 'bind_transmitter':
      case 'bind_receiver':
      case 'bind_transceiver':
        this.#bind(pdu.command, pdu.body, sequenceNumber)
        return
      case 'enquire_link':
        this.#respond(createPdu('enquire_link_resp', sequenceNumber, {}))
        return
      case 'unbind':
        this.#onUnbind(sequenceNumber)
        return
      case 'submit_sm':
        this.#submit(pdu)
        return
      case 'data_sm':
        this.#respond(createPdu('data_sm_resp', sequenceNumber, { messageId: '', tlvs: [] }, this.#isBound() ? commandStatus.ESME_RINVCMDID : commandStatus.ESME_RINVBNDSTS))
        return
      // An ESME never sends deliver_sm or outbind to an SMSC (§2.3).
      case 'deliver_sm':
        this.#respond(createPdu('deliver_sm_resp', sequenceNumber, { messageId: '', tlvs: [] }, commandStatus.ESME_RINVBNDSTS))
        return
      case 'outbind':
        this.#respond(createPdu('generic_nack', sequenceNumber, {}, commandStatus.ESME_RINVCMDID))
        return
      case 'deliver_sm_resp':
      case 'generic_nack':
        this.#settleDeliver(sequenceNumber, pdu.commandStatus)
        return
      case 'unbind_resp':
        this.#unbindAnswered?.()
        break
      default:
        // Other responses answer nothing we sent; a response is never answered.
    }
  }

  #bind (command: BindCommand, body: BindBody, sequenceNumber: number): void {
    const respond = (status: number): void => {
      const tlvs = status === commandStatus.ESME_ROK ? [{ name: 'sc_interface_version' as const, value: SMPP_VERSION_3_4 }] : []
      const systemId = status === commandStatus.ESME_ROK ? this.#context.smscSystemId : ''
      this.#respond(createPdu(bindRespOf[command], sequenceNumber, { systemId, tlvs }, status) as Pdu, status === commandStatus.ESME_ROK ? () => this.#context.bound(this) : undefined)
    }
    if (this.#state !== sessionStates.open) {
      respond(commandStatus.ESME_RALYBND)
      return
    }
    const bindType = bindTypeOf[command]
    const status = this.#context.authenticate(this, body, bindType)
    if (status === commandStatus.ESME_ROK) {
      this.#state = sessionStates.bound
      this.#bindType = bindType
      this.#systemId = body.systemId
    }
    respond(status)
  }

  #onUnbind (sequenceNumber: number): void {
    if (!this.#isBound()) {
      this.#respond(createPdu('unbind_resp', sequenceNumber, {}, commandStatus.ESME_RINVBNDSTS))
      return
    }
    this.#state = sessionStates.unbound
    this.#context.unbound(this)
    this.#respond(createPdu('unbind_resp', sequenceNumber, {}))
    // §2.3: after unbind_resp the ESME closes the connection; ending ours does no harm.
    this.#end('unbound by the ESME')
  }

  #submit (pdu: PduOf<'submit_sm'>): void {
    const refuse = (status: number): void => {
      this.#respond(createPdu('submit_sm_resp', pdu.sequenceNumber, { messageId: '', tlvs: [] }, status))
    }
    if (!this.#isBound() || this.#bindType === bindTypes.receiver) {
      refuse(commandStatus.ESME_RINVBNDSTS)
      return
    }
    const answer = this.#context.submit(this, pdu.body)
    if (answer === null) return
    this.#respond(createPdu('submit_sm_resp', pdu.sequenceNumber, { messageId: answer.messageId, tlvs: [] }, answer.commandStatus))
  }

  #isBound (): boolean {
    return this.#state === sessionStates.bound
  }

  #settleDeliver (sequenceNumber: number, status: number): void {
    const pending = this.#pendingDelivers.get(sequenceNumber)
    if (pending === undefined) return
    this.#pendingDelivers.delete(sequenceNumber)
    clearTimeout(pending.timer)
    pending.resolve(status)
  }

  // Every response waits for the responseDelayMs fault; `written` runs once it is on the wire.
  #respond (pdu: Pdu, written?: () => void): void {
    const delayMs = this.#context.responseDelayMs()
    if (delayMs === 0) {
      if (this.#write(pdu)) written?.()
      return
    }
    const timer = setTimeout(() => {
      this.#responseTimers.delete(timer)
      if (this.#write(pdu)) written?.()
      this.#closeIfAnswered()
    }, delayMs)
    this.#responseTimers.add(timer)
  }

  #write (pdu: Pdu): boolean {
    if (this.#state === sessionStates.closed) return false
    this.#socket.write(encodePdu(pdu))
    return true
  }

  // Closes once the answers already due are written, then the socket flushes and closes.
  #end (reason: string): void {
    if (this.#state === sessionStates.closed) return
    this.#closing = true
    this.#closeReason = reason
    this.#closeIfAnswered()
  }

  #closeIfAnswered (): void {
    if (!this.#closing || this.#responseTimers.size > 0 || this.#state === sessionStates.closed || this.#socket.writableEnded) return
    const reason = this.#closeReason
    this.#socket.end(() => { this.destroy(reason) })
  }

  #nextSequenceNumber (): number {
    this.#lastSequenceNumber = this.#lastSequenceNumber >= MAX_SEQUENCE_NUMBER ? 1 : this.#lastSequenceNumber + 1
    return this.#lastSequenceNumber
  }
}
