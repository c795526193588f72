import assert from 'node:assert/strict'
import { DEFAULT_INBOUND_REASSEMBLY_MS } from '../../config/defaults.ts'
import { decodePayload, userDataEncodings, type UserDataEncoding } from '../../sms/encoding/index.ts'
import type { InboundSms } from './inbound-sms.ts'
import type { MoPart } from './mo-part.ts'

/** How many incomplete messages are held at once. */
export const DEFAULT_MAX_PENDING = 10_000
/** How many payload bytes incomplete messages hold at once (about 130,000 full parts). */
export const DEFAULT_MAX_PENDING_BYTES = 32 * 1024 * 1024

/** The timer functions the reassembler uses; the defaults are the global ones, unref'd. */
export interface ReassemblerTimers {
  readonly setTimeout: (callback: () => void, delayMs: number) => unknown
  readonly clearTimeout: (handle: unknown) => void
}

export interface MoReassemblerOptions {
  /**
   * Receives every message given up with parts missing: when its `timeoutMs` is over, when it
   * is evicted to stay under `maxPending` or `maxPendingBytes`, and on `flush()`. Called
   * synchronously, from a timer or from inside `push`/`flush`, with the reassembler already
   * consistent. It must not throw (from a timer that would be an uncaught exception); hand the
   * message on, e.g. to the same publisher `push`'s results go to.
   */
  readonly onIncomplete: (sms: InboundSms) => void
  /** Default `DEFAULT_INBOUND_REASSEMBLY_MS` (config/defaults.ts). */
  readonly timeoutMs?: number
  /** Default `DEFAULT_MAX_PENDING`. */
  readonly maxPending?: number
  /** Default `DEFAULT_MAX_PENDING_BYTES`. */
  readonly maxPendingBytes?: number
  readonly timers?: ReassemblerTimers
}

/** The parts of one message that have arrived so far. */
interface PartSet {
  readonly key: string
  /** By seq − 1; a hole is a part not (yet) arrived. */
  readonly parts: Array<MoPart | undefined>
  arrived: number
  bytes: number
  timer: unknown
}

const systemTimers: ReassemblerTimers = {
  setTimeout: (callback, delayMs) => {
    // unref: a pending fragment alone must not keep the process alive.
    const timer = setTimeout(callback, delayMs)
    timer.unref()
    return timer
  },
  clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

/**
 * Joins the parts of concatenated mobile-originated SMS (spec §7) into whole messages.
 *
 * Parts are grouped by connection, sender, recipient, concatenation scheme, reference and total
 * (3GPP TS 23.040 §9.2.3.24.1 ties parts by reference and total; the rest keeps different
 * people's and different SMSCs' messages apart). A message is complete when every part from 1 to
 * total is in; its payloads are joined in part order and decoded once, so a GSM escape sequence
 * or a UTF-16 surrogate pair the sender's phone split across parts reads right.
 *
 * Nothing is dropped: a message still missing parts `timeoutMs` after its first part arrived,
 * or evicted (oldest first) to stay within `maxPending` messages and `maxPendingBytes`, goes to
 * `onIncomplete` as the parts that came, in order, with `incomplete: true` and the missing part
 * numbers. A repeated part (same number) is ignored. Memory is bounded by those two limits.
 *
 * One timer per pending message; Node keeps timers of equal duration in one list, so even
 * `maxPending` of them cost little.
 */
export class MoReassembler {
  readonly #onIncomplete: (sms: InboundSms) => void
  readonly #timeoutMs: number
  readonly #maxPending: number
  readonly #maxPendingBytes: number
  readonly #timers: ReassemblerTimers
  /** In order of first arrival: the first entry is the oldest. */
  readonly #pending = new Map<string, PartSet>()
  #pendingBytes = 0

  constructor (options: MoReassemblerOptions) {
    const {
      timeoutMs = DEFAULT_INBOUND_REASSEMBLY_MS, maxPending = DEFAULT_MAX_PENDING, maxPendingBytes = DEFAULT_MAX_PENDING_BYTES
    } = options
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`)
    if (!Number.isInteger(maxPending) || maxPending < 1) throw new RangeError(`maxPending must be a positive integer, got ${maxPending}`)
    if (!Number.isInteger(maxPendingBytes) || maxPendingBytes < 1) {
      throw new RangeError(`maxPendingBytes must be a positive integer, got ${maxPendingBytes}`)
    }
    this.#onIncomplete = options.onIncomplete
    this.#timeoutMs = timeoutMs
    this.#maxPending = maxPending
    this.#maxPendingBytes = maxPendingBytes
    this.#timers = options.timers ?? systemTimers
  }

  /**
   * Takes one part. Returns the whole message when this part completes it (at once for a part
   * that is not concatenated, or whose total is 1), otherwise null: the part is held, or it
   * repeats one already held and is ignored. May call `onIncomplete` for an evicted message
   * before it returns.
   */
  push (part: MoPart): InboundSms | null {
    const concat = part.concat
    if (concat === undefined || concat.total === 1) return assemble([part])
    assert.ok(Number.isInteger(concat.seq) && concat.seq >= 1 && concat.seq <= concat.total, 'a part number is 1 to total')
    // JSON of an array: no separator can be forged from inside a value.
    const key = JSON.stringify([part.connectionId, part.sender, part.recipient, concat.scheme, concat.ref, concat.total])
    const set = this.#pending.get(key) ?? this.#open(key, concat.total)
    const index = concat.seq - 1
    if (set.parts[index] !== undefined) return null
    // A copy: the payload is a view into the PDU's buffer, which it would keep alive whole.
    set.parts[index] = { ...part, payload: Buffer.from(part.payload) }
    set.arrived++
    set.bytes += part.payload.length
    this.#pendingBytes += part.payload.length
    if (set.arrived === set.parts.length) {
      this.#remove(set)
      return assemble(set.parts)
    }
    this.#evictOverLimits()
    return null
  }

  /** Gives every pending message to `onIncomplete`, oldest first, and stops their timers. */
  flush (): void {
    for (const set of [...this.#pending.values()]) this.#giveUp(set)
  }

  /** The number of messages waiting for parts. */
  get pendingCount (): number {
    return this.#pending.size
  }

  /** The payload bytes those messages hold. */
  get pendingBytes (): number {
    return this.#pendingBytes
  }

  #open (key: string, total: number): PartSet {
    const set: PartSet = { key, parts: new Array<MoPart | undefined>(total).fill(undefined), arrived: 0, bytes: 0, timer: undefined }
    set.timer = this.#timers.setTimeout(() => this.#expire(set), this.#timeoutMs)
    this.#pending.set(key, set)
    return set
  }

  #expire (set: PartSet): void {
    // A timer that fires late, after its message left, has nothing to do.
    if (this.#pending.get(set.key) === set) this.#giveUp(set)
  }

  #evictOverLimits (): void {
    while (this.#pending.size > this.#maxPending || this.#pendingBytes > this.#maxPendingBytes) {
      const oldest = this.#pending.values().next().value
      if (oldest === undefined) return
      this.#giveUp(oldest)
    }
  }

  #giveUp (set: PartSet): void {
    this.#remove(set)
    this.#onIncomplete(assemble(set.parts))
  }

  #remove (set: PartSet): void {
    this.#timers.clearTimeout(set.timer)
    this.#pending.delete(set.key)
    this.#pendingBytes -= set.bytes
  }
}

/**
 * The message of `parts` (by seq − 1, holes for parts missing; at least one present). The
 * payloads of each run of consecutive parts are joined and decoded once. A run ends at a missing
 * part (decoding across the gap would glue unrelated bytes, e.g. an escape at the end of one part
 * to the first septet after the gap), where the data coding changes, and in UCS-2 after a part of
 * odd length, which would shift every later code unit by a byte.
 */
function assemble (parts: ReadonlyArray<MoPart | undefined>): InboundSms {
  const arrived = parts.filter(part => part !== undefined)
  const first = arrived[0]
  assert.ok(first !== undefined, 'a message has at least one part')
  const missingParts: number[] = []
  let text = ''
  let run: MoPart[] = []
  const endRun = (): void => {
    if (run.length === 0) return
    text += decodePayload(Buffer.concat(run.map(part => part.payload)), (run[0] as MoPart).encoding)
    run = []
  }
  parts.forEach((part, index) => {
    if (part === undefined) {
      missingParts.push(index + 1)
      endRun()
      return
    }
    const previous = run.at(-1)
    if (previous !== undefined && (previous.encoding !== part.encoding || isOddUcs2(previous))) endRun()
    run.push(part)
  })
  endRun()
  const sms: InboundSms = {
    sender: first.sender,
    recipient: first.recipient,
    text,
    receivedAt: new Date(Math.min(...arrived.map(part => part.receivedAt.getTime()))),
    connectionId: first.connectionId,
    parts: parts.length,
    encoding: encodingOf(arrived)
  }
  return missingParts.length === 0 ? sms : { ...sms, incomplete: true, missingParts }
}

function isOddUcs2 (part: MoPart): boolean {
  return part.encoding === userDataEncodings.ucs2 && part.payload.length % 2 === 1
}

/** The parts' encoding. When they differ (rare), binary if any part is: the text holds hex then. */
function encodingOf (parts: readonly MoPart[]): UserDataEncoding {
  if (parts.some(part => part.encoding === userDataEncodings.binary)) return userDataEncodings.binary
  return (parts[0] as MoPart).encoding
}
