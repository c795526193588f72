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

  async acquire (): Promise<void> {
    if (this.#used < this.#limit) {
      this.#used++
      return
    }
    await new Promise<void>(resolve => this.#waiters.push(resolve))
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
