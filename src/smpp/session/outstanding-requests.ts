import type { DecodeFailure, Pdu, ResponseCommand } from '../codec/index.ts'
import { SequenceNumbers } from './sequence-numbers.ts'

/** How a request left the table: answered, answered unreadably, timed out, or cut off by the close. */
export type ResponseOutcome =
  | { readonly type: 'response', readonly pdu: Pdu }
  | { readonly type: 'unreadable', readonly failure: DecodeFailure }
  | { readonly type: 'timeout' }
  | { readonly type: 'closed', readonly reason: Error | undefined }

interface Entry {
  readonly expects: ResponseCommand
  readonly timer: NodeJS.Timeout
  readonly settle: (outcome: ResponseOutcome) => void
}

/**
 * The requests written (or about to be) and not yet answered, by sequence number, each with its
 * response timer. Every request leaves exactly once, through one of the four outcomes.
 */
export class OutstandingRequests {
  readonly #entries = new Map<number, Entry>()
  readonly #sequences = new SequenceNumbers()
  readonly #timeoutMs: number
  readonly #afterTimeout: () => void

  /** `afterTimeout` runs after each timed-out request has been settled. */
  constructor (timeoutMs: number, afterTimeout: () => void) {
    this.#timeoutMs = timeoutMs
    this.#afterTimeout = afterTimeout
  }

  /** Registers a request under a fresh sequence number, which it returns; its timer starts now. */
  add (expects: ResponseCommand, settle: (outcome: ResponseOutcome) => void): number {
    const sequenceNumber = this.#sequences.next(number => this.#entries.has(number))
    const timer = setTimeout(() => {
      this.#entries.delete(sequenceNumber)
      settle({ type: 'timeout' })
      this.#afterTimeout()
    }, this.#timeoutMs)
    this.#entries.set(sequenceNumber, { expects, timer, settle })
    return sequenceNumber
  }

  /** The response command the request with this number waits for. */
  expects (sequenceNumber: number): ResponseCommand | undefined {
    return this.#entries.get(sequenceNumber)?.expects
  }

  /** Settles and removes the request with this number; false when there is none. */
  settle (sequenceNumber: number, outcome: ResponseOutcome): boolean {
    const entry = this.#remove(sequenceNumber)
    entry?.settle(outcome)
    return entry !== undefined
  }

  /** Forgets the request with this number without settling it (it was never written). */
  forget (sequenceNumber: number): void {
    this.#remove(sequenceNumber)
  }

  /** Settles every request as cut off by the close. */
  closeAll (reason: Error | undefined): void {
    const entries = [...this.#entries.values()]
    this.#entries.clear()
    for (const entry of entries) {
      clearTimeout(entry.timer)
      entry.settle({ type: 'closed', reason })
    }
  }

  #remove (sequenceNumber: number): Entry | undefined {
    const entry = this.#entries.get(sequenceNumber)
    if (entry === undefined) return undefined
    clearTimeout(entry.timer)
    this.#entries.delete(sequenceNumber)
    return entry
  }
}
