// A minimal ESME for interop tests, built on our codec alone (PduFramer, decodePdu, encodePdu)
// over node:net: it sends requests and matches responses by sequence_number, and answers the
// SMSC's deliver_sm, enquire_link and unbind itself. It checks that our bytes and a peer we did
// not write agree, below any session logic: no windowing, no reconnects, no timers of its own.
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { createPdu, decodePdu, encodePdu, PduFramer, responseOf } from '../../src/smpp/codec/index.ts'
import type { Pdu, PduBodies, PduOf, ResponseTo, SupportedCommand } from '../../src/smpp/codec/index.ts'

const DEFAULT_TIMEOUT_MS = 5_000

/** A request the ESME sends and whose response the codec reads. */
type EsmeRequest = 'bind_transceiver' | 'bind_transmitter' | 'submit_sm' | 'enquire_link' | 'unbind'
/** A request the SMSC sends, answered here with ESME_ROK. */
type SmscRequest = 'deliver_sm' | 'enquire_link' | 'unbind'

/** The response to `C`, or generic_nack when the SMSC could not read the request. */
export type ResponseOf<C extends EsmeRequest> = PduOf<ResponseTo<C> & SupportedCommand> | PduOf<'generic_nack'>

interface Pending {
  readonly command: EsmeRequest
  readonly resolve: (pdu: Pdu) => void
  readonly reject: (error: Error) => void
}

interface RequestWaiter {
  readonly command: SmscRequest
  readonly resolve: (pdu: Pdu) => void
}

export class CodecEsme {
  readonly #socket: Socket
  readonly #framer = new PduFramer()
  readonly #pending = new Map<number, Pending>()
  /** Requests from the SMSC that no nextRequest has taken yet, oldest first. */
  readonly #received: Pdu[] = []
  readonly #requestWaiters = new Set<RequestWaiter>()
  readonly #closed: Promise<void>
  #closeReason: Error | undefined
  #nextSequenceNumber = 1

  private constructor (socket: Socket) {
    this.#socket = socket
    socket.on('data', chunk => this.#onData(chunk))
    this.#closed = new Promise(resolve => {
      socket.once('error', error => this.#onClose(error))
      socket.once('close', () => {
        this.#onClose(new Error('the SMSC closed the connection'))
        resolve()
      })
    })
  }

  /** Connects over TCP; rejects when the connection fails or takes longer than `timeoutMs`. */
  static async connect (host: string, port: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CodecEsme> {
    const socket = connect({ host, port, timeout: timeoutMs })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
      socket.once('timeout', () => reject(new Error(`no TCP connection to ${host}:${port} within ${timeoutMs} ms`)))
    })
    socket.setTimeout(0)
    socket.removeAllListeners()
    return new CodecEsme(socket)
  }

  /**
   * Sends a request and resolves with its response, whatever its command_status. Rejects when
   * none comes within `timeoutMs` or the connection closes first.
   */
  request<C extends EsmeRequest> (command: C, body: PduBodies[C], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ResponseOf<C>> {
    if (this.#closeReason !== undefined) return Promise.reject(this.#closeReason)
    const sequenceNumber = this.#nextSequenceNumber++
    const bytes = encodePdu(createPdu(command, sequenceNumber, body) as Pdu)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(sequenceNumber)
        reject(new Error(`no response to ${command} ${sequenceNumber} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.#pending.set(sequenceNumber, {
        command,
        resolve: pdu => {
          clearTimeout(timer)
          resolve(pdu as ResponseOf<C>)
        },
        reject: error => {
          clearTimeout(timer)
          reject(error)
        }
      })
      this.#socket.write(bytes)
    })
  }

  /**
   * Resolves with the oldest request of `command` from the SMSC that no earlier call took (it has
   * been answered with ESME_ROK already). Rejects after `timeoutMs`.
   */
  nextRequest<C extends SmscRequest> (command: C, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<PduOf<C>> {
    const index = this.#received.findIndex(pdu => pdu.command === command)
    if (index !== -1) return Promise.resolve(this.#received.splice(index, 1)[0] as PduOf<C>)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#requestWaiters.delete(waiter)
        reject(new Error(`no ${command} from the SMSC within ${timeoutMs} ms`))
      }, timeoutMs)
      const waiter: RequestWaiter = {
        command,
        resolve: pdu => {
          clearTimeout(timer)
          resolve(pdu as PduOf<C>)
        }
      }
      this.#requestWaiters.add(waiter)
    })
  }

  /** Forgets the requests of `command` from the SMSC that no nextRequest took (they were answered). */
  discardRequests (command: SmscRequest): void {
    for (let index = this.#received.length - 1; index >= 0; index--) {
      if (this.#received[index]?.command === command) this.#received.splice(index, 1)
    }
  }

  /** Resolves when the connection is closed, by either side; rejects after `timeoutMs`. */
  closed (timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return withTimeout(this.#closed, timeoutMs, 'the connection did not close')
  }

  /** Ends our side of the connection (after what was written) and resolves once it is closed. */
  end (timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    this.#socket.end()
    return this.closed(timeoutMs)
  }

  /** Closes the connection at once. */
  destroy (): void {
    this.#socket.destroy()
  }

  #onData (chunk: Buffer): void {
    let frames: Buffer[]
    try {
      frames = this.#framer.push(chunk)
    } catch (error) {
      this.#socket.destroy(error as Error)
      return
    }
    for (const frame of frames) {
      const result = decodePdu(frame)
      if (!result.ok) {
        this.#socket.destroy(new Error(`undecodable PDU from the SMSC: ${result.field}: ${result.reason}`))
        return
      }
      this.#onPdu(result.pdu)
    }
  }

  #onPdu (pdu: Pdu): void {
    const pending = this.#pending.get(pdu.sequenceNumber)
    if (pending !== undefined && (pdu.command === responseOf[pending.command] || pdu.command === 'generic_nack')) {
      this.#pending.delete(pdu.sequenceNumber)
      pending.resolve(pdu)
      return
    }
    switch (pdu.command) {
      case 'deliver_sm':
        this.#answer(createPdu('deliver_sm_resp', pdu.sequenceNumber, { messageId: '', tlvs: [] }))
        break
      case 'enquire_link':
        this.#answer(createPdu('enquire_link_resp', pdu.sequenceNumber, {}))
        break
      case 'unbind':
        this.#answer(createPdu('unbind_resp', pdu.sequenceNumber, {}))
        break
      default:
        this.#socket.destroy(new Error(`unexpected ${pdu.command} ${pdu.sequenceNumber} from the SMSC`))
        return
    }
    for (const waiter of this.#requestWaiters) {
      if (waiter.command !== pdu.command) continue
      this.#requestWaiters.delete(waiter)
      waiter.resolve(pdu)
      return
    }
    this.#received.push(pdu)
  }

  #answer (pdu: Pdu): void {
    this.#socket.write(encodePdu(pdu))
  }

  #onClose (reason: Error): void {
    this.#closeReason ??= reason
    for (const pending of this.#pending.values()) pending.reject(this.#closeReason)
    this.#pending.clear()
  }
}

function withTimeout<T> (promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${timeoutMs} ms`)), timeoutMs)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
