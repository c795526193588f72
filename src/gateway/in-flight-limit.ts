/**
 * A counting semaphore: at most `limit` requests in the pipeline at once. The consumer awaits
 * `acquire` before it pulls the next record, so a slow backend stops the reading from Kafka
 * instead of filling memory (backpressure, not buffers).
 */
export class InFlightLimit {
  readonly #limit: number
  #used = 0
  readonly #waiters: Array<() => void> = []
  readonly #idleWaiters: Array<() => void> = []

  constructor (limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`in-flight limit must be a positive integer, got ${limit}`)
    this.#limit = limit
  }

  /** Resolves once a slot is this caller's; rejects with the signal's reason if it aborts first (holding none). */
  async acquire (signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    if (this.#used < this.#limit) {
      this.#used++
      return
    }
    await new Promise<void>((resolve, reject) => {
      const granted = (): void => {
        signal?.removeEventListener('abort', aborted)
        resolve()
      }
      const aborted = (): void => {
        this.#waiters.splice(this.#waiters.indexOf(granted), 1)
        reject(signal?.reason)
      }
      this.#waiters.push(granted)
      signal?.addEventListener('abort', aborted, { once: true })
    })
  }

  release (): void {
    const next = this.#waiters.shift()
    if (next !== undefined) {
      next()
      return
    }
    this.#used--
    if (this.#used === 0) for (const waiter of this.#idleWaiters.splice(0)) waiter()
  }

  get used (): number {
    return this.#used
  }

  /** Resolves when nothing is in flight. */
  async idle (): Promise<void> {
    if (this.#used === 0) return
    await new Promise<void>(resolve => this.#idleWaiters.push(resolve))
  }
}
