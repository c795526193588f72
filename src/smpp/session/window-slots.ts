interface SlotWaiter {
  readonly resolve: () => void
  readonly reject: (error: Error) => void
}

/**
 * The slots of the submit window. A submit holds one from submit() to its result, retries and
 * back-offs included, so the SMSC never sees more than `size` outstanding submit_sm. Those who
 * wait get slots in order: a freed slot passes straight to the first waiter.
 */
export class WindowSlots {
  readonly #size: number
  #used = 0
  readonly #waiters: SlotWaiter[] = []

  constructor (size: number) {
    this.#size = size
  }

  get used (): number {
    return this.#used
  }

  get full (): boolean {
    return this.#used >= this.#size
  }

  /** Resolves once a slot is ours; rejects when rejectWaiters() is called first. */
  async take (): Promise<void> {
    if (this.#used < this.#size && this.#waiters.length === 0) {
      this.#used++
      return
    }
    await new Promise<void>((resolve, reject) => { this.#waiters.push({ resolve, reject }) })
  }

  release (): void {
    const next = this.#waiters.shift()
    if (next !== undefined) next.resolve()
    else this.#used--
  }

  /** Fails everyone waiting for a slot with `error`. */
  rejectWaiters (error: Error): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error)
  }
}
