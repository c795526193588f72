interface Pending<I, O> {
  readonly item: I
  readonly resolve: (value: O) => void
  readonly reject: (error: unknown) => void
}

/**
 * Writes items in batches, one batch at a time: the items added while a batch is on its way go
 * together in the next one (and those of one event-loop turn go together in the first). A
 * PostgreSQL group commit: N requests accepted at once cost one statement and one WAL flush.
 *
 * A batch that fails is written again item by item, so one bad item (a value PostgreSQL
 * refuses) fails alone and the others still land.
 */
export class SerialBatches<I, O> {
  readonly #write: (items: readonly I[]) => Promise<O[]>
  readonly #maxItems: number
  #pending: Array<Pending<I, O>> = []
  #running: Promise<void> | undefined

  /** `write` stores the items in one transaction, resolving with an output per item, in order. */
  constructor (write: (items: readonly I[]) => Promise<O[]>, maxItems: number) {
    this.#write = write
    this.#maxItems = maxItems
  }

  /** Resolves with the item's output once its batch is written; rejects with what failed it. */
  async add (item: I): Promise<O> {
    return await new Promise<O>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject })
      // setImmediate: the first batch also takes what the rest of this turn adds.
      this.#running ??= new Promise<void>(resolve => setImmediate(resolve)).then(async () => { await this.#drain() })
    })
  }

  /** Resolves once every item added so far is written (or failed). */
  async settled (): Promise<void> {
    await this.#running
  }

  async #drain (): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxItems)
      try {
        const outputs = await this.#write(batch.map(pending => pending.item))
        batch.forEach((pending, index) => { pending.resolve(outputs[index] as O) })
      } catch (error) {
        if (batch.length === 1) (batch[0] as Pending<I, O>).reject(error)
        else for (const pending of batch) await this.#writeAlone(pending)
      }
    }
    this.#running = undefined
  }

  async #writeAlone (pending: Pending<I, O>): Promise<void> {
    try {
      const [output] = await this.#write([pending.item])
      pending.resolve(output as O)
    } catch (error) {
      pending.reject(error)
    }
  }
}
