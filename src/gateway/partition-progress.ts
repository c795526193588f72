/**
 * Which offsets of one partition may be committed. Requests start in offset order but finish
 * in any order (a loop-back DELIVERED comes 1.6 s after a quick INVALID); the committed offset
 * may only pass a request once it and every request before it has finished (at-least-once in).
 */
export class PartitionProgress<T> {
  readonly #offsets: bigint[] = []
  readonly #finished = new Map<bigint, T>()
  #head = 0

  /**
   * Records that the request at `offset` started. Returns false, recording nothing, when the
   * offset is not past the last one started: the source went back (a rebalance handed the
   * partition back), and the caller should track the rest with a new PartitionProgress.
   */
  start (offset: bigint): boolean {
    const last = this.#offsets.at(-1)
    if (last !== undefined && offset <= last) return false
    this.#offsets.push(offset)
    return true
  }

  /**
   * Records that the request at `offset` finished, with a note to hand back when it is
   * committed. Returns the requests that became committable, in offset order (possibly none).
   */
  finish (offset: bigint, note: T): Array<{ offset: bigint, note: T }> {
    this.#finished.set(offset, note)
    const committable: Array<{ offset: bigint, note: T }> = []
    while (this.#head < this.#offsets.length) {
      const head = this.#offsets[this.#head] as bigint
      if (!this.#finished.has(head)) break
      committable.push({ offset: head, note: this.#finished.get(head) as T })
      this.#finished.delete(head)
      this.#head++
    }
    // Drop the consumed prefix now and then, so the array does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#offsets.length) {
      this.#offsets.splice(0, this.#head)
      this.#head = 0
    }
    return committable
  }

  /** How many started requests have not been committed yet. */
  get pending (): number {
    return this.#offsets.length - this.#head
  }
}
