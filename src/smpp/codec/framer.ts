import { framingError } from './codec-error.ts'
import { MAX_PDU_BYTES, MIN_PDU_BYTES } from './constants.ts'

const LENGTH_BYTES = 4

export interface PduFramerOptions {
  /** The largest command_length accepted, in octets; MAX_PDU_BYTES (64 KiB) by default. */
  maxPduBytes?: number
}

/**
 * Cuts a TCP byte stream into PDU frames by command_length (§3.2), whatever the chunking: one
 * octet at a time or several PDUs per chunk. command_length is checked as soon as its four
 * octets arrive, so a peer cannot make us buffer more than `maxPduBytes`. A length out of
 * bounds makes the rest of the stream unreadable: `push` throws SmppCodecError
 * SMSGW_SMPP_FRAMING (sessionSurvives false), and every later call throws it again.
 * Frames are views of the chunks where they can be, so a chunk's memory must not be reused after
 * it is pushed (socket chunks never are).
 */
export class PduFramer {
  readonly #maxPduBytes: number
  #chunks: Buffer[] = []
  #bufferedBytes = 0
  /** command_length of the frame being gathered, once its first four octets are in. */
  #frameBytes: number | undefined
  #failure: Error | undefined

  constructor (options: PduFramerOptions = {}) {
    this.#maxPduBytes = options.maxPduBytes ?? MAX_PDU_BYTES
  }

  /** Octets received but not yet part of a whole frame. */
  get bufferedBytes (): number {
    return this.#bufferedBytes
  }

  /**
   * Takes the next chunk of the stream and returns the frames it completes, in order (often
   * none). A frame is a whole PDU, header included, ready for decodePdu.
   * @throws SmppCodecError SMSGW_SMPP_FRAMING when a command_length is out of bounds.
   */
  push (chunk: Uint8Array): Buffer[] {
    if (this.#failure !== undefined) throw this.#failure
    if (chunk.length === 0) return []
    this.#chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length))
    this.#bufferedBytes += chunk.length
    const frames: Buffer[] = []
    for (;;) {
      if (this.#frameBytes === undefined) {
        if (this.#bufferedBytes < LENGTH_BYTES) break
        this.#frameBytes = this.#checkedLength(this.#peekLength())
      }
      if (this.#bufferedBytes < this.#frameBytes) break
      frames.push(this.#take(this.#frameBytes))
      this.#frameBytes = undefined
    }
    return frames
  }

  /**
   * Declares the end of the stream.
   * @throws SmppCodecError SMSGW_SMPP_FRAMING when it ended inside a PDU.
   */
  end (): void {
    if (this.#failure !== undefined) throw this.#failure
    if (this.#bufferedBytes > 0) {
      const expected = this.#frameBytes === undefined ? '' : ` of ${this.#frameBytes}`
      throw this.#fail(`the stream ended inside a PDU (${this.#bufferedBytes}${expected} octets)`)
    }
  }

  #checkedLength (commandLength: number): number {
    if (commandLength < MIN_PDU_BYTES) {
      throw this.#fail(`command_length ${commandLength} is shorter than the ${MIN_PDU_BYTES}-octet header`)
    }
    if (commandLength > this.#maxPduBytes) {
      throw this.#fail(`command_length ${commandLength} is over the maximum of ${this.#maxPduBytes}`)
    }
    return commandLength
  }

  #fail (reason: string): Error {
    this.#failure = framingError(reason)
    this.#chunks = []
    this.#bufferedBytes = 0
    return this.#failure
  }

  // The first four buffered octets, which may straddle chunks when they arrive one at a time.
  #peekLength (): number {
    const first = this.#chunks[0]
    if (first !== undefined && first.length >= LENGTH_BYTES) return first.readUInt32BE(0)
    return Buffer.concat(this.#chunks, LENGTH_BYTES).readUInt32BE(0)
  }

  // Removes `bytes` octets from the front. A frame inside one chunk is a view of that chunk;
  // one that spans chunks is copied once, so feeding one octet at a time stays linear.
  #take (bytes: number): Buffer {
    const first = this.#chunks[0]
    let frame: Buffer
    if (first !== undefined && first.length >= bytes) {
      frame = first.subarray(0, bytes)
      if (first.length === bytes) this.#chunks.shift()
      else this.#chunks[0] = first.subarray(bytes)
    } else {
      frame = Buffer.allocUnsafe(bytes)
      let filled = 0
      let used = 0
      for (const chunk of this.#chunks) {
        const copied = chunk.copy(frame, filled, 0, Math.min(chunk.length, bytes - filled))
        filled += copied
        if (copied < chunk.length) {
          this.#chunks[used] = chunk.subarray(copied)
          break
        }
        used++
        if (filled === bytes) break
      }
      this.#chunks.splice(0, used)
    }
    this.#bufferedBytes -= bytes
    return frame
  }
}

/**
 * The frames of a byte stream, e.g. a socket: `for await (const frame of framePdus(socket))`.
 * @throws SmppCodecError SMSGW_SMPP_FRAMING when a command_length is out of bounds or the
 * stream ends inside a PDU.
 */
export async function * framePdus (chunks: AsyncIterable<Uint8Array>, options: PduFramerOptions = {}): AsyncGenerator<Buffer> {
  const framer = new PduFramer(options)
  for await (const chunk of chunks) yield * framer.push(chunk)
  framer.end()
}
