import assert from 'node:assert/strict'
import { EventEmitter, once } from 'node:events'
import { createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { errorCodes, SmsgwError } from '../../errors.ts'
import { commandStatus, registeredDelivery } from '../codec/index.ts'
import type { BindBody, ShortMessageBody } from '../codec/index.ts'
import { receiptStats } from '../receipts/index.ts'
import type { ReceiptStat } from '../receipts/index.ts'
import { mergeFaults, SubmitRate } from './faults.ts'
import type { SmscFaults } from './faults.ts'
import { formatMessageId } from './message-id-format.ts'
import { encodeMoBodies } from './mobile-originated.ts'
import type { MobileOriginated } from './mobile-originated.ts'
import { ReceiptDesk } from './receipt-desk.ts'
import type { ReceiptEvent } from './receipt-desk.ts'
import { chooseReceipt, compileReceiptRules } from './receipt-rules.ts'
import type { ReceiptRule, ReceiptRules } from './receipt-rules.ts'
import { settingsOf } from './simulator-options.ts'
import type { SimulatorSettings, SmscSimulatorOptions } from './simulator-options.ts'
import { SimulatorSession } from './simulator-session.ts'
import type { BindType, SessionContext, SubmitAnswer } from './simulator-session.ts'
import { recordSubmit } from './submitted-message.ts'
import type { SubmittedMessage } from './submitted-message.ts'

/** A bind the simulator answered; `commandStatus` is ESME_ROK for a bind that succeeded. */
export interface BindEvent {
  readonly sessionId: number
  readonly systemId: string
  readonly bindType: BindType
  readonly commandStatus: number
  readonly remoteAddress: string
}

export interface UnbindEvent {
  readonly sessionId: number
  readonly systemId: string
  readonly bindType: BindType
}

/** A submit_sm not accepted: answered with `commandStatus`, or never answered (null). */
export interface SubmitRefusedEvent {
  readonly systemId: string
  readonly commandStatus: number | null
}

export interface DisconnectEvent {
  readonly sessionId: number
  /** Undefined when the connection never bound. */
  readonly systemId: string | undefined
  readonly reason: string
}

/** The events of the simulator. Records hold recipients (and `submit` the text): never log them as they are. */
export interface SmscSimulatorEvents {
  bind: [BindEvent]
  unbind: [UnbindEvent]
  submit: [SubmittedMessage]
  submitRefused: [SubmitRefusedEvent]
  receipt: [ReceiptEvent]
  disconnect: [DisconnectEvent]
}

/** A mobile-originated message to inject, optionally to one system_id's sessions. */
export interface MoInjection extends MobileOriginated {
  /** Deliver to a session of this system_id; absent: any session bound to receive. */
  readonly systemId?: string
}

/** How an injected MO message went. */
export interface MoDelivery {
  readonly sessionId: number
  readonly systemId: string
  /** The command_status of each part's deliver_sm_resp, in part order. */
  readonly commandStatuses: readonly number[]
}

interface SubmitWaiter {
  readonly count: number
  readonly resolve: (submitted: readonly SubmittedMessage[]) => void
}

const successOutcomes: ReadonlySet<ReceiptStat> = new Set([receiptStats.delivered, receiptStats.accepted, receiptStats.enroute])

/**
 * An SMPP 3.4 SMSC for development, tests and demos: it authenticates binds, acknowledges
 * submit_sm with message ids in a chosen format, sends delivery receipts chosen by rules,
 * injects mobile-originated messages, and misbehaves on request (`setFaults`).
 */
export class SmscSimulator extends EventEmitter<SmscSimulatorEvents> {
  readonly #settings: SimulatorSettings
  readonly #server: Server
  readonly #sessions = new Set<SimulatorSession>()
  readonly #receipts: ReceiptDesk
  readonly #sessionContext: SessionContext
  readonly #submitRate = new SubmitRate()
  readonly #submitted: SubmittedMessage[] = []
  readonly #submitWaiters = new Set<SubmitWaiter>()
  #faults: SmscFaults
  #rules: ReceiptRules
  #nextMessageId: number
  #submitCount = 0
  #pdusUntilDrop: number | null = null
  #lastSessionId = 0
  #roundRobin = 0
  #moReference = 0
  #closing: Promise<void> | undefined

  private constructor (settings: SimulatorSettings) {
    super()
    this.#settings = settings
    this.#faults = settings.faults
    this.#pdusUntilDrop = settings.faults.dropAfterPdus
    this.#rules = settings.rules
    this.#nextMessageId = settings.firstMessageId
    this.#receipts = new ReceiptDesk({
      receivingSession: (systemId, preferred) => this.#receivingSession(systemId, preferred),
      answered: event => this.emit('receipt', event),
      resendAnsweredMs: settings.resendAnsweredReceiptsMs
    })
    this.#sessionContext = this.#createSessionContext()
    this.#server = createServer(socket => { this.#onConnection(socket) })
  }

  /**
   * Starts listening. Resolves with the running simulator once the port is open.
   * @throws SmsgwError SMSGW_CONFIG for a wrong option; the server's error (EADDRINUSE …) when
   * it cannot listen.
   */
  static async start (options: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
    const simulator = new SmscSimulator(settingsOf(options))
    const server = simulator.#server
    server.listen(simulator.#settings.port, simulator.#settings.host)
    await once(server, 'listening')
    return simulator
  }

  /** Where it listens (the real port when started with port 0); only while it listens, not after `close()`. */
  get address (): AddressInfo {
    return this.#server.address() as AddressInfo
  }

  /** The accepted submit_sm, oldest first (at most `retainSubmitted`). Holds plaintext: never log it. */
  get submitted (): readonly SubmittedMessage[] {
    return [...this.#submitted]
  }

  /** How many submit_sm were accepted since the start, whether or not their records are kept. */
  get submitCount (): number {
    return this.#submitCount
  }

  /** Open connections. */
  get connections (): number {
    return this.#sessions.size
  }

  /** Connections bound (as transmitter, receiver or transceiver). */
  get boundSessions (): number {
    let bound = 0
    for (const session of this.#sessions) if (session.state === 'bound') bound++
    return bound
  }

  /** Receipts waiting for their delay or for a session to take them. */
  get pendingReceipts (): number {
    return this.#receipts.pending
  }

  /** The faults in force; `throttleNextSubmits` and `dropAfterPdus` count down as they fire. */
  get faults (): SmscFaults {
    return { ...this.#faults, dropAfterPdus: this.#pdusUntilDrop }
  }

  /**
   * Switches faults on or off; fields not given keep their value. Takes effect at the next PDU.
   * @throws SmsgwError SMSGW_CONFIG naming a fault with an unknown name or a wrong value.
   */
  setFaults (change: Partial<SmscFaults>): void {
    this.#faults = mergeFaults(this.faults, change)
    this.#pdusUntilDrop = this.#faults.dropAfterPdus
  }

  /**
   * Replaces the receipt table, for the submits that come after.
   * @throws SmsgwError SMSGW_CONFIG naming the first rule that is wrong.
   */
  setRules (rules: readonly ReceiptRule[]): void {
    this.#rules = compileReceiptRules(rules)
  }

  /**
   * Sends a mobile-originated message as deliver_sm (esm_class 0), split into concatenated
   * parts when it is long, to a session bound as receiver or transceiver. Resolves when the ESME
   * has answered every part. Rejects with SMSGW_SMSC_SIM_DELIVERY when no session can receive
   * or it closes first, SMSGW_TIMEOUT when a part is not answered within `deliverTimeoutMs`,
   * SMSGW_UNENCODABLE_TEXT or SMSGW_TOO_MANY_PARTS for a text that does not fit.
   */
  async injectMo (mo: MoInjection): Promise<MoDelivery> {
    const bodies = encodeMoBodies(mo, this.#moReference)
    this.#moReference = (this.#moReference + 1) % 256
    const session = this.#receivingSession(mo.systemId)
    if (session === undefined) {
      const whose = mo.systemId === undefined ? '' : ` with system_id ${mo.systemId}`
      throw new SmsgwError(errorCodes.smscSimDelivery, `no session${whose} is bound to receive`, { retryable: true })
    }
    const commandStatuses = await Promise.all(bodies.map(async body => await session.deliver(body)))
    return { sessionId: session.id, systemId: session.systemId ?? '', commandStatuses }
  }

  /**
   * Resolves with the records kept once `count` submit_sm were accepted since the start
   * (at once when they were). Rejects with SMSGW_TIMEOUT after `timeoutMs` milliseconds.
   */
  async waitForSubmits (count: number, timeoutMs: number): Promise<readonly SubmittedMessage[]> {
    if (this.#submitCount >= count) return this.submitted
    let timer: NodeJS.Timeout | undefined
    let waiter: SubmitWaiter | undefined
    try {
      return await new Promise<readonly SubmittedMessage[]>((resolve, reject) => {
        waiter = { count, resolve }
        this.#submitWaiters.add(waiter)
        timer = setTimeout(() => {
          reject(new SmsgwError(errorCodes.timeout, `only ${this.#submitCount} of ${count} submits arrived within ${timeoutMs} ms`))
        }, timeoutMs)
      })
    } finally {
      clearTimeout(timer)
      if (waiter !== undefined) this.#submitWaiters.delete(waiter)
    }
  }

  /** Closes every connection at once, without unbind, as a network failure would. */
  dropConnections (): void {
    for (const session of this.#sessions) session.destroy('dropped by the SMSC')
  }

  /**
   * Stops listening, cancels pending receipts, unbinds every bound session (waiting at most
   * `unbindTimeoutMs` for each answer) and closes every connection. Resolves when all are closed.
   */
  async close (): Promise<void> {
    this.#closing ??= this.#close()
    await this.#closing
  }

  async [Symbol.asyncDispose] (): Promise<void> {
    await this.close()
  }

  async #close (): Promise<void> {
    const closed = new Promise<void>(resolve => this.#server.close(() => resolve()))
    this.#receipts.stop()
    await Promise.all([...this.#sessions].map(async session => await session.unbind(this.#settings.unbindTimeoutMs)))
    await closed
  }

  #onConnection (socket: Socket): void {
    if (this.#closing !== undefined) {
      socket.destroy()
      return
    }
    const session = new SimulatorSession(++this.#lastSessionId, socket, this.#sessionContext)
    this.#sessions.add(session)
  }

  #createSessionContext (): SessionContext {
    return {
      smscSystemId: this.#settings.systemId,
      deliverTimeoutMs: this.#settings.deliverTimeoutMs,
      responseDelayMs: () => this.#faults.responseDelayMs,
      authenticate: (session, body, bindType) => this.#authenticate(session, body, bindType),
      bound: session => {
        this.emit('bind', boundEvent(session))
        if (session.canReceive && session.systemId !== undefined) this.#receipts.flush(session.systemId)
      },
      unbound: session => {
        if (session.systemId === undefined || session.bindType === undefined) return
        this.emit('unbind', { sessionId: session.id, systemId: session.systemId, bindType: session.bindType })
      },
      submit: (session, body) => this.#submit(session, body),
      countPdu: () => this.#countPdu(),
      closed: (session, reason) => {
        this.#sessions.delete(session)
        this.emit('disconnect', { sessionId: session.id, systemId: session.systemId, reason })
      }
    }
  }

  #authenticate (session: SimulatorSession, body: BindBody, bindType: BindType): number {
    const status = this.#bindStatus(body)
    if (status !== commandStatus.ESME_ROK) {
      this.emit('bind', { sessionId: session.id, systemId: body.systemId, bindType, commandStatus: status, remoteAddress: session.remoteAddress })
    }
    return status
  }

  #bindStatus (body: BindBody): number {
    if (this.#faults.refuseBindsWith !== null) return this.#faults.refuseBindsWith
    const account = this.#settings.accounts.find(candidate => candidate.systemId === body.systemId)
    if (account === undefined) return commandStatus.ESME_RINVSYSID
    if (account.password !== body.password) return commandStatus.ESME_RINVPASWD
    if (account.maxBinds !== undefined) {
      const bound = [...this.#sessions].filter(session => session.state === 'bound' && session.systemId === account.systemId).length
      if (bound >= account.maxBinds) return commandStatus.ESME_RBINDFAIL
    }
    return commandStatus.ESME_ROK
  }

  // The submit faults in order: never answer, throttle the next K, throttle by rate, reject.
  #submit (session: SimulatorSession, body: ShortMessageBody): SubmitAnswer | null {
    const systemId = session.systemId ?? ''
    const faults = this.#faults
    const refuse = (status: number | null): SubmitAnswer | null => {
      this.emit('submitRefused', { systemId, commandStatus: status })
      return status === null ? null : { commandStatus: status, messageId: '' }
    }
    if (faults.neverAnswerSubmits) return refuse(null)
    if (faults.throttleNextSubmits > 0) {
      this.#faults = Object.freeze({ ...faults, throttleNextSubmits: faults.throttleNextSubmits - 1 })
      return refuse(commandStatus.ESME_RTHROTTLED)
    }
    const nowMs = Date.now()
    if (faults.throttlePerSecond !== null && this.#submitRate.isFull(faults.throttlePerSecond, nowMs)) return refuse(commandStatus.ESME_RTHROTTLED)
    if (faults.rejectSubmitsWith !== null) return refuse(faults.rejectSubmitsWith)
    this.#submitRate.accept(faults.throttlePerSecond, nowMs)
    return this.#acceptSubmit(session, body, systemId, nowMs)
  }

  #acceptSubmit (session: SimulatorSession, body: ShortMessageBody, systemId: string, nowMs: number): SubmitAnswer {
    const counter = this.#nextMessageId++
    const { idFormat, receiptIdFormat, idWidth } = this.#settings
    const record = recordSubmit(body, formatMessageId(counter, idFormat, idWidth), systemId, new Date(nowMs))
    this.#keepRecord(record)
    const plan = chooseReceipt(this.#rules, record.destination, this.#settings.receiptDelayMs, this.#settings.random)
    if (wantsReceipt(record.registeredDelivery, plan.outcome)) {
      this.#receipts.schedule({ submitted: record, plan, receiptId: formatMessageId(counter, receiptIdFormat, idWidth) }, this.#faults.receiptBeforeResponse, session)
    }
    this.emit('submit', record)
    return { commandStatus: commandStatus.ESME_ROK, messageId: record.messageId }
  }

  #keepRecord (record: SubmittedMessage): void {
    this.#submitCount++
    if (this.#settings.retainSubmitted > 0) {
      this.#submitted.push(record)
      if (this.#submitted.length > this.#settings.retainSubmitted) this.#submitted.shift()
    }
    for (const waiter of this.#submitWaiters) {
      if (this.#submitCount >= waiter.count) waiter.resolve(this.submitted)
    }
  }

  #countPdu (): boolean {
    if (this.#pdusUntilDrop === null) return false
    this.#pdusUntilDrop--
    if (this.#pdusUntilDrop > 0) return false
    this.#pdusUntilDrop = null
    this.#faults = Object.freeze({ ...this.#faults, dropAfterPdus: null })
    return true
  }

  // `preferred` when it can receive for the system_id; otherwise the sessions take turns.
  #receivingSession (systemId: string | undefined, preferred?: SimulatorSession): SimulatorSession | undefined {
    if (preferred !== undefined && preferred.canReceive && preferred.systemId === systemId) return preferred
    const candidates = [...this.#sessions].filter(session => session.canReceive && (systemId === undefined || session.systemId === systemId))
    if (candidates.length === 0) return undefined
    this.#roundRobin = (this.#roundRobin + 1) % candidates.length
    return candidates[this.#roundRobin]
  }
}

function boundEvent (session: SimulatorSession): BindEvent {
  assert.ok(session.systemId !== undefined && session.bindType !== undefined, 'a bound session has a system_id and bind type')
  return {
    sessionId: session.id,
    systemId: session.systemId,
    bindType: session.bindType,
    commandStatus: commandStatus.ESME_ROK,
    remoteAddress: session.remoteAddress
  }
}

/**
 * registered_delivery bits 1–0 (§5.2.17): 1 asks for a receipt on any final outcome, 2 for
 * failures only; 0 (and the reserved 3) for none.
 */
function wantsReceipt (requested: number, outcome: ReceiptStat): boolean {
  const mode = requested & registeredDelivery.receiptMask
  if (mode === registeredDelivery.receiptOnFinal) return true
  if (mode === registeredDelivery.receiptOnFailure) return !successOutcomes.has(outcome)
  return false
}
