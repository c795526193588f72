import assert from 'node:assert/strict'
import { createPdu, decodePdu, encodePdu, PduFramer, responseOf, shortMessageBody } from '../../../src/smpp/codec/index.ts'
import type { AnsweredCommand, Pdu, PduBodies, PduOf, ShortMessageBody, SupportedCommand } from '../../../src/smpp/codec/index.ts'
import type { SmppConnector, SmppSubmitError, SmppTransport } from '../../../src/smpp/session/index.ts'

type LinkState = 'open' | 'ended' | 'destroyed'

/**
 * A test-only SMPP peer without sockets: the session's transport on one side, and on the other a
 * hand that reads what the session wrote (decoded with our codec) and writes PDUs or raw bytes
 * back. Writes can be held to play a connection that does not drain.
 */
export class MemoryLink {
  readonly transport: SmppTransport
  readonly connect: SmppConnector = async () => this.transport
  /** Every PDU the session wrote, in order. */
  readonly written: Pdu[] = []
  #read = 0
  #state: LinkState = 'open'
  readonly #framer = new PduFramer()
  readonly #inbox: Uint8Array[] = []
  #inputEnded = false
  #wakeReader: (() => void) | undefined
  #pduWaiter: (() => void) | undefined
  #heldWrites: Array<() => void> | undefined
  #refuseWrites = false

  constructor () {
    this.transport = {
      chunks: this.#chunks(),
      send: async bytes => {
        if (this.#state !== 'open' || this.#refuseWrites) throw new Error('memory link closed')
        for (const frame of this.#framer.push(Buffer.from(bytes))) {
          const result = decodePdu(frame)
          assert.ok(result.ok, `the session wrote an unreadable PDU: ${result.ok ? '' : result.reason}`)
          this.written.push(result.pdu)
        }
        this.#pduWaiter?.()
        if (this.#heldWrites !== undefined) await new Promise<void>(resolve => { this.#heldWrites?.push(resolve) })
      },
      end: async () => {
        this.#close('ended')
      },
      destroy: () => { this.#close('destroyed') }
    }
  }

  get state (): LinkState {
    return this.#state
  }

  /** PDUs written and not yet taken by next(). */
  get unread (): Pdu[] {
    return this.written.slice(this.#read)
  }

  /** The next PDU the session writes (or wrote and was not taken yet). */
  async next (): Promise<Pdu> {
    while (this.#read >= this.written.length) {
      await new Promise<void>(resolve => { this.#pduWaiter = resolve })
    }
    const pdu = this.written[this.#read++]
    assert.ok(pdu !== undefined)
    return pdu
  }

  /** The next PDU, which must be a `command`. */
  async expect<C extends SupportedCommand> (command: C): Promise<PduOf<C>> {
    const pdu = await this.next()
    assert.equal(pdu.command, command)
    return pdu as PduOf<C>
  }

  /** Writes `pdu` to the session, whole or one octet per chunk. */
  send (pdu: Pdu, options: { byteByByte?: boolean } = {}): void {
    const bytes = encodePdu(pdu)
    if (options.byteByByte === true) for (const octet of bytes) this.sendBytes(Buffer.from([octet]))
    else this.sendBytes(bytes)
  }

  sendBytes (bytes: Uint8Array): void {
    assert.equal(this.#inputEnded, false, 'the link is closed')
    this.#inbox.push(bytes)
    this.#wakeReader?.()
  }

  /** Answers `request` with its response. */
  respond<C extends AnsweredCommand & SupportedCommand> (
    request: PduOf<C>, body: PduBodies[typeof responseOf[C] & SupportedCommand], status = 0
  ): void {
    const command = responseOf[request.command] as typeof responseOf[C] & SupportedCommand
    this.send(createPdu(command, request.sequenceNumber, body, status) as Pdu)
  }

  /** Takes bind_transceiver and accepts it. */
  async acceptBind (systemId = 'SMSC'): Promise<PduOf<'bind_transceiver'>> {
    const bind = await this.expect('bind_transceiver')
    this.respond(bind, { systemId, tlvs: [] })
    return bind
  }

  /** The peer closes the connection (the session reads the end of the stream). */
  closeFromPeer (): void {
    this.#close('ended')
  }

  /** From now on, send() does not resolve until releaseWrites(): a connection that does not drain. */
  holdWrites (): void {
    this.#heldWrites ??= []
  }

  /** From now on, send() rejects: a socket that closed before the session read its end. */
  refuseWrites (): void {
    this.#refuseWrites = true
  }

  releaseWrites (): void {
    const held = this.#heldWrites ?? []
    this.#heldWrites = undefined
    for (const release of held) release()
  }

  #close (state: LinkState): void {
    if (this.#state !== 'open') return
    this.#state = state
    this.#inputEnded = true
    this.#wakeReader?.()
    // A closing socket lets a write that waits for 'drain' go on.
    this.releaseWrites()
  }

  async * #chunks (): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = this.#inbox.shift()
      if (chunk !== undefined) {
        yield chunk
        continue
      }
      if (this.#inputEnded) return
      await new Promise<void>(resolve => { this.#wakeReader = resolve })
    }
  }
}

/** A submit_sm body as the gateway builds it; the text is not secret in tests. */
export function submitBody (text = 'hello', destinationAddr = '31612345678'): ShortMessageBody {
  return shortMessageBody({
    sourceAddrTon: 5,
    sourceAddrNpi: 0,
    sourceAddr: 'ACME',
    destAddrTon: 1,
    destAddrNpi: 1,
    destinationAddr,
    registeredDelivery: 1,
    shortMessage: Buffer.from(text, 'latin1')
  })
}

/** What a failed submit tells its caller (code, status and flags), for deepStrictEqual. */
export function submitFields (error: SmppSubmitError): object {
  return {
    code: error.code,
    commandStatus: error.commandStatus,
    written: error.written,
    outcomeUnknown: error.outcomeUnknown,
    retryable: error.retryable,
    sessionSurvives: error.sessionSurvives
  }
}

/** A deliver_sm carrying a delivery receipt. */
export function receiptPdu (sequenceNumber: number, messageId = 'abc123'): PduOf<'deliver_sm'> {
  const text = `id:${messageId} sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000 text:`
  return createPdu('deliver_sm', sequenceNumber, { ...submitBody(text), esmClass: 0x04, registeredDelivery: 0 })
}

/** Lets promise reactions and I/O callbacks run; setImmediate is never mocked in these tests. */
export async function settle (rounds = 10): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise(resolve => setImmediate(resolve))
}
