import type { IncomingRequest, RequestSource } from '../../gateway/request-source.ts'
import type { QueuedRequest, RequestQueue } from '../../store/sqlite/request-queue.ts'

/** The one stream of the embedded queue: its offsets are the requests' seqs. */
export const EMBEDDED_STREAM = 'embedded/0'

/** Requests read from the table at once: the most this source holds in memory. */
export const DEFAULT_READ_AHEAD_COUNT = 64
/** How often an idle source looks for requests enqueued by another process. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000

export interface EmbeddedRequestSourceOptions {
  /** Default DEFAULT_READ_AHEAD_COUNT. */
  readAheadCount?: number
  /** Default DEFAULT_POLL_INTERVAL_MS. Requests enqueued through this process wake it at once. */
  pollIntervalMs?: number
}

/**
 * The embedded durable queue as a RequestSource, on one stream (`embedded/0`, offset = seq).
 * Every iteration starts at the oldest request not done, so requests that were yielded but not
 * committed before a crash or a stop are yielded again (at-least-once in). It reads only when
 * the consumer asks for a request and none is buffered, at most `readAheadCount` at a time: a
 * backlog stays on disk. A request's `commit` marks it and every earlier one done, the prefix
 * the gateway commits. One consumer iterates at a time: two would both get every request.
 */
export class EmbeddedRequestSource implements RequestSource {
  readonly #queue: RequestQueue
  readonly #readAheadCount: number
  readonly #pollIntervalMs: number
  readonly #wakers = new Set<() => void>()
  #closed = false

  constructor (queue: RequestQueue, options: EmbeddedRequestSourceOptions = {}) {
    this.#queue = queue
    this.#readAheadCount = options.readAheadCount ?? DEFAULT_READ_AHEAD_COUNT
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS
    if (!Number.isSafeInteger(this.#readAheadCount) || this.#readAheadCount < 1) throw new RangeError(`readAheadCount must be a whole number >= 1, got ${this.#readAheadCount}`)
  }

  async * [Symbol.asyncIterator] (): AsyncGenerator<IncomingRequest> {
    const stopListening = this.#queue.onEnqueued(() => this.#wake())
    try {
      let afterSeq = 0
      while (!this.#closed) {
        const batch = this.#queue.queuedAfter(afterSeq, this.#readAheadCount)
        if (batch.length === 0) {
          await this.#idle()
          continue
        }
        for (const queued of batch) {
          // Closed while the consumer held the previous one: the rest stays for the next run.
          if (this.#closed) return
          afterSeq = queued.seq
          yield this.#incoming(queued)
        }
      }
    } finally {
      stopListening()
    }
  }

  /** Ends every iteration: a pending pull ends at once, a later one finds the source closed. */
  async close (): Promise<void> {
    this.#closed = true
    this.#wake()
  }

  #incoming ({ seq, value }: QueuedRequest): IncomingRequest {
    return {
      value: Buffer.from(value, 'utf8'),
      stream: EMBEDDED_STREAM,
      offset: BigInt(seq),
      commit: async () => { await this.#queue.markDone(seq) }
    }
  }

  // Waits for a batch enqueued in this process, the poll interval (another process's batch), or
  // close. The queue was read synchronously before, and a batch's notice comes only after its
  // commit, in a later turn: no batch can slip between the read and the wait.
  async #idle (): Promise<void> {
    await new Promise<void>(resolve => {
      const timer = setTimeout(done, this.#pollIntervalMs)
      const wakers = this.#wakers
      wakers.add(done)
      function done (): void {
        clearTimeout(timer)
        wakers.delete(done)
        resolve()
      }
    })
  }

  #wake (): void {
    for (const waker of [...this.#wakers]) waker()
  }
}
