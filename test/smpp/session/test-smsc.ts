import net from 'node:net'
import tls from 'node:tls'
import { createPdu, decodePdu, encodePdu, PduFramer } from '../../../src/smpp/codec/index.ts'
import type { Pdu, PduOf } from '../../../src/smpp/codec/index.ts'

/** What the test SMSC does with a bind: answer with a status, or drop the connection. */
export type BindAnswer = { readonly status: number } | 'drop'
/** What it does with a submit: answer, hold (never answer), or drop the connection. */
export type SubmitAnswer = { readonly status: number, readonly messageId?: string } | 'hold' | 'drop'

export interface TestSmscBehaviour {
  bind?: (pdu: PduOf<'bind_transceiver'>, connection: TestSmscConnection) => BindAnswer
  submit?: (pdu: PduOf<'submit_sm'>, connection: TestSmscConnection) => SubmitAnswer
}

/** One accepted connection of the test SMSC. */
export class TestSmscConnection {
  readonly index: number
  readonly socket: net.Socket
  readonly received: Pdu[] = []
  #nextSequence = 1

  constructor (index: number, socket: net.Socket) {
    this.index = index
    this.socket = socket
  }

  send (pdu: Pdu): void {
    if (this.socket.writable) this.socket.write(encodePdu(pdu))
  }

  /** A sequence number for a request of the SMSC's own. */
  nextSequence (): number {
    return this.#nextSequence++
  }

  drop (): void {
    this.socket.destroy()
  }
}

/**
 * A test-only SMSC over real TCP (or TLS) on 127.0.0.1, built on our codec: binds, answers
 * submits as told, answers enquire_link and unbind. The product's simulator lives in
 * src/smpp/simulator/; these tests keep to this small peer so that they test the session alone.
 */
export class TestSmsc {
  readonly #server: net.Server
  readonly #behaviour: TestSmscBehaviour
  readonly connections: TestSmscConnection[] = []
  #connectionWaiters: Array<(connection: TestSmscConnection) => void> = []
  #pduWaiters: Array<() => void> = []
  #messageIds = 0

  constructor (server: net.Server, behaviour: TestSmscBehaviour) {
    this.#server = server
    this.#behaviour = behaviour
  }

  static async start (behaviour: TestSmscBehaviour = {}, tlsOptions?: tls.TlsOptions): Promise<TestSmsc> {
    const server = tlsOptions === undefined ? net.createServer() : tls.createServer(tlsOptions)
    const smsc = new TestSmsc(server, behaviour)
    server.on(tlsOptions === undefined ? 'connection' : 'secureConnection', (socket: net.Socket) => { smsc.accept(socket) })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    return smsc
  }

  get port (): number {
    const address = this.#server.address()
    if (address === null || typeof address === 'string') throw new Error('not listening')
    return address.port
  }

  /** Every PDU received, over all connections, in order. */
  get received (): Pdu[] {
    return this.connections.flatMap(connection => connection.received)
  }

  /** The connection with this index (0 for the first), once accepted. */
  async connection (index: number): Promise<TestSmscConnection> {
    for (;;) {
      const connection = this.connections[index]
      if (connection !== undefined) return connection
      await new Promise<TestSmscConnection>(resolve => { this.#connectionWaiters.push(resolve) })
    }
  }

  /** Resolves once `predicate` holds for what was received. */
  async until (predicate: (received: Pdu[]) => boolean): Promise<void> {
    while (!predicate(this.received)) await new Promise<void>(resolve => { this.#pduWaiters.push(resolve) })
  }

  dropAll (): void {
    for (const connection of this.connections) connection.drop()
  }

  async close (): Promise<void> {
    this.dropAll()
    await new Promise<void>(resolve => { this.#server.close(() => { resolve() }) })
  }

  accept (socket: net.Socket): void {
    socket.on('error', () => {})
    const connection = new TestSmscConnection(this.connections.length, socket)
    this.connections.push(connection)
    for (const wake of this.#connectionWaiters.splice(0)) wake(connection)
    const framer = new PduFramer()
    socket.on('data', chunk => {
      for (const frame of framer.push(chunk)) {
        const result = decodePdu(frame)
        if (!result.ok) continue
        connection.received.push(result.pdu)
        this.#answer(result.pdu, connection)
        for (const wake of this.#pduWaiters.splice(0)) wake()
      }
    })
  }

  #answer (pdu: Pdu, connection: TestSmscConnection): void {
    switch (pdu.command) {
      case 'bind_transceiver': {
        const answer = this.#behaviour.bind?.(pdu, connection) ?? { status: 0 }
        if (answer === 'drop') connection.drop()
        else connection.send(createPdu('bind_transceiver_resp', pdu.sequenceNumber, { systemId: 'TESTSMSC', tlvs: [] }, answer.status))
        break
      }
      case 'submit_sm': {
        const answer = this.#behaviour.submit?.(pdu, connection) ?? { status: 0 }
        if (answer === 'drop') connection.drop()
        else if (answer !== 'hold') {
          const messageId = answer.messageId ?? (answer.status === 0 ? `m${++this.#messageIds}` : '')
          connection.send(createPdu('submit_sm_resp', pdu.sequenceNumber, { messageId, tlvs: [] }, answer.status))
        }
        break
      }
      case 'enquire_link':
        connection.send(createPdu('enquire_link_resp', pdu.sequenceNumber, {}))
        break
      case 'unbind':
        connection.send(createPdu('unbind_resp', pdu.sequenceNumber, {}))
        connection.socket.end()
        break
      default:
    }
  }
}
