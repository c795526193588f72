import { once } from 'node:events'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import {
  commandStatus, createPdu, decodePdu, encodePdu, framePdus, responseOf, shortMessageBody
} from '../../../src/smpp/codec/index.ts'
import type { AnsweredCommand, Pdu, PduBodies, ShortMessageBody, SupportedCommand } from '../../../src/smpp/codec/index.ts'
import { encodeGsm7 } from '../../../src/sms/encoding/index.ts'

// A tiny ESME for the simulator's tests, built on our codec: it sends requests, matches their
// responses by sequence_number, records every PDU it receives in order, and answers deliver_sm
// by itself.

type Request = Extract<AnsweredCommand, SupportedCommand>

export interface TestClientOptions {
  /** The command_status to answer deliver_sm with; null: do not answer. Default ESME_ROK. */
  deliverStatus?: number | null
}

export class SmppTestClient {
  /** Every PDU received, in arrival order. */
  readonly received: Pdu[] = []
  readonly #socket: Socket
  readonly #options: TestClientOptions
  readonly #taken = new Set<Pdu>()
  readonly #listeners = new Set<() => void>()
  readonly #closed: Promise<void>
  #isClosed = false
  #lastSequenceNumber = 0

  private constructor (socket: Socket, options: TestClientOptions) {
    this.#socket = socket
    this.#options = options
    socket.on('error', () => {})
    socket.setNoDelay(true)
    this.#closed = this.#read()
  }

  static async connect (port: number, options: TestClientOptions = {}): Promise<SmppTestClient> {
    const socket = connect(port, '127.0.0.1')
    await once(socket, 'connect')
    return new SmppTestClient(socket, options)
  }

  get isClosed (): boolean {
    return this.#isClosed
  }

  /** Resolves when the simulator (or we) closed the connection. */
  async closed (): Promise<void> {
    await this.#closed
  }

  nextSequenceNumber (): number {
    return ++this.#lastSequenceNumber
  }

  send (pdu: Pdu): void {
    this.#socket.write(encodePdu(pdu))
  }

  writeRaw (bytes: Buffer): void {
    this.#socket.write(bytes)
  }

  /** Sends a request and resolves with its response (or a generic_nack with its sequence_number). */
  async request<C extends Request> (command: C, body: PduBodies[C], timeoutMs = 2000): Promise<Pdu> {
    const sequenceNumber = this.nextSequenceNumber()
    this.send(createPdu(command, sequenceNumber, body) as Pdu)
    const expected = responseOf[command]
    return await this.waitFor(pdu => pdu.sequenceNumber === sequenceNumber && (pdu.command === expected || pdu.command === 'generic_nack'), timeoutMs)
  }

  async bind (type: 'transmitter' | 'receiver' | 'transceiver', systemId = 'smsgw', password = 'secret'): Promise<Pdu> {
    return await this.request(`bind_${type}`, {
      systemId, password, systemType: 'smpp', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: ''
    })
  }

  async submit (overrides: Partial<ShortMessageBody> = {}, timeoutMs?: number): Promise<Pdu> {
    return await this.request('submit_sm', submitBody(overrides), timeoutMs)
  }

  /**
   * The first PDU received (now or later) that matches and that no earlier waitFor returned.
   * Rejects after `timeoutMs`, naming what did arrive.
   */
  async waitFor (matches: (pdu: Pdu) => boolean, timeoutMs = 2000): Promise<Pdu> {
    const find = (): Pdu | undefined => this.received.find(pdu => !this.#taken.has(pdu) && matches(pdu))
    let found = find()
    if (found === undefined) {
      found = await new Promise<Pdu>((resolve, reject) => {
        const listener = (): void => {
          const match = find()
          if (match === undefined) return
          cleanup()
          resolve(match)
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`no matching PDU within ${timeoutMs} ms; received ${this.received.map(pdu => pdu.command).join(', ') || 'nothing'}`))
        }, timeoutMs)
        const cleanup = (): void => {
          clearTimeout(timer)
          this.#listeners.delete(listener)
        }
        this.#listeners.add(listener)
      })
    }
    this.#taken.add(found)
    return found
  }

  /** True when nothing matching arrives within `ms`. */
  async staysQuiet (matches: (pdu: Pdu) => boolean, ms: number): Promise<boolean> {
    try {
      await this.waitFor(matches, ms)
      return false
    } catch {
      return true
    }
  }

  close (): void {
    this.#socket.destroy()
  }

  async #read (): Promise<void> {
    try {
      for await (const frame of framePdus(this.#socket)) {
        const result = decodePdu(frame)
        if (!result.ok) throw new Error(`the simulator sent a PDU we cannot read: ${result.reason}`)
        const pdu = result.pdu
        this.received.push(pdu)
        if (pdu.command === 'deliver_sm' && this.#options.deliverStatus !== null) {
          const status = this.#options.deliverStatus ?? commandStatus.ESME_ROK
          this.send(createPdu('deliver_sm_resp', pdu.sequenceNumber, { messageId: '', tlvs: [] }, status))
        } else if (pdu.command === 'unbind') {
          this.send(createPdu('unbind_resp', pdu.sequenceNumber, {}))
        } else if (pdu.command === 'enquire_link') {
          this.send(createPdu('enquire_link_resp', pdu.sequenceNumber, {}))
        }
        for (const listener of this.#listeners) listener()
      }
    } catch {
      // A reset by the simulator is one way for the connection to end.
    } finally {
      this.#isClosed = true
    }
  }
}

/** A submit_sm as the gateway sends it (spec §7), with `overrides`. */
export function submitBody (overrides: Partial<ShortMessageBody> = {}): ShortMessageBody {
  return shortMessageBody({
    sourceAddrTon: 5,
    sourceAddrNpi: 0,
    sourceAddr: 'SMSGW',
    destAddrTon: 1,
    destAddrNpi: 1,
    destinationAddr: '31612345678',
    registeredDelivery: 1,
    shortMessage: encodeGsm7('Hello from the tests') as Buffer,
    ...overrides
  })
}
