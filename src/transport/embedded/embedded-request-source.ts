import type { IncomingRequest, RequestSource } from '../../gateway/request-source.ts'
import type { ConsumerLease, QueuedRequest, RequestQueueStore } from '../../store/embedded-store.ts'
import { EMBEDDED_STREAM } from '../../store/queue-source.ts'

/** Requests read from the store at once: the most this source holds in memory. */
export const DEFAULT_READ_AHEAD_COUNT = 64
/** How often an idle source looks for requests enqueued where it cannot hear of them. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000

export interface EmbeddedRequestSourceOptions {
  /** Default DEFAULT_READ_AHEAD_COUNT. */
  readAheadCount?: number
  /** Default DEFAULT_POLL_INTERVAL_MS. Requests enqueued through this process wake it at once. */
  pollIntervalMs?: number
  /** Told of a read of the store that failed; the source tries again after the poll interval. Default: a process warning. */
  onReadError?: (error: unknown) => void
}

/**
 * The embedded durable queue as a RequestSource, on one stream (`embedded/0`, offset = seq).
 * It reads only while it holds the queue's consumer lease (one consumer per store), and every
 * lease starts at the oldest request not done, so requests that were yielded but not committed
 * before a crash, a stop or a lost lease are yielded again (at-least-once in). It reads only
 * when the consumer asks for a request and none is buffered, at most `readAheadCount` at a time:
 * a backlog stays in the store. A request's `commit` marks it and every earlier one done, the
 * prefix the gateway commits. One consumer iterates at a time: two would both get every request.
 */
export class EmbeddedRequestSource implements RequestSource {
  readonly #queue: RequestQueueStore
  readonly #readAheadCount: number
  readonly #pollIntervalMs: number
  readonly #onReadError: (error: unknown) => void
  readonly #wakers = new Set<() => void>()
  readonly #closing = new AbortController()
  /** Batches heard of: a read that started before the count moved may have missed one. */
  #enqueuedNotices = 0
  /**
   * Requests committed in this process that the store handed on, oldest first, at most
   * readAheadCount: taken without reading them back when they follow the last one yielded.
   */
  #heard: QueuedRequest[] = []

  constructor (queue: RequestQueueStore, options: EmbeddedRequestSourceOptions = {}) {
    this.#queue = queue
    this.#readAheadCount = options.readAheadCount ?? DEFAULT_READ_AHEAD_COUNT
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS
    this.#onReadError = options.onReadError ?? (error => { process.emitWarning(error instanceof Error ? error : new Error(String(error))) })
    if (!Number.isSafeInteger(this.#readAheadCount) || this.#readAheadCount < 1) throw new RangeError(`readAheadCount must be a whole number >= 1, got ${this.#readAheadCount}`)
  }

  async * [Symbol.asyncIterator] (): AsyncGenerator<IncomingRequest> {
    const stopListening = this.#queue.onEnqueued(batch => {
      this.#enqueuedNotices++
      this.#remember(batch)
      this.#wake()
    })
    try {
      for (;;) {
        const lease = await this.#queue.leaseConsumer(this.#closing.signal)
        if (lease === undefined) return
        yield * this.#readWhileHeld(lease)
        if (this.#closing.signal.aborted) return
      }
    } finally {
      stopListening()
    }
  }

  /** Ends every iteration: a pending pull ends at once, a later one finds the source closed. */
  async close (): Promise<void> {
    this.#closing.abort()
    this.#wake()
  }

  async * #readWhileHeld (lease: ConsumerLease): AsyncGenerator<IncomingRequest> {
    const wakeOnLoss = (): void => this.#wake()
    lease.lost.addEventListener('abort', wakeOnLoss)
    try {
      let afterSeq = 0
      // Heard of before this lease: what it reads from the start tells all of it.
      this.#heard = []
      while (!this.#closing.signal.aborted && !lease.lost.aborted) {
        const noticesBefore = this.#enqueuedNotices
        const heard = this.#takeHeard(afterSeq)
        const batch = heard ?? await this.#read(afterSeq)
        if (batch === undefined) {
          // The store did not answer: try again after a pause, not in a tight loop.
          await this.#idle(lease)
          continue
        }
        for (const queued of batch) {
          // Closed or lost while the consumer held the previous one: the rest waits for the next lease.
          if (this.#closing.signal.aborted || lease.lost.aborted) return
          afterSeq = queued.seq
          yield this.#incoming(queued, lease)
        }
        // A batch shorter than asked for was all there was when the read ran, and requests heard
        // of were all this process had enqueued: the next read would find only what was enqueued
        // since, so it waits for word of that (or the poll) instead of reading at once and
        // finding nothing, a query per wake-up. A batch heard of while the read was on its way,
        // or while the consumer held these, may not be in what it returned.
        const allKnown = heard === undefined ? batch.length < this.#readAheadCount : this.#heard.length === 0
        if (allKnown && this.#enqueuedNotices === noticesBefore) await this.#idle(lease)
      }
    } finally {
      lease.lost.removeEventListener('abort', wakeOnLoss)
    }
  }

  // Keeps a batch the store handed on, while the buffer stays within the read-ahead; past it the
  // buffer is dropped, and the store is read instead (what follows then has a gap before it).
  #remember (batch: readonly QueuedRequest[] | undefined): void {
    if (batch === undefined) return
    if (this.#heard.length + batch.length > this.#readAheadCount) this.#heard = []
    else this.#heard.push(...batch)
  }

  /**
   * The requests heard of that directly follow `afterSeq` (seqs without a gap: nothing another
   * process enqueued lies between them), or undefined when the store must be read: the rest after
   * a gap stays until a read has passed it. Saves a query for each batch enqueued in this
   * process (the relay's notices: one a publish).
   */
  #takeHeard (afterSeq: number): QueuedRequest[] | undefined {
    const heard = this.#heard
    let start = 0
    while (start < heard.length && (heard[start] as QueuedRequest).seq <= afterSeq) start++
    let end = start
    while (end < heard.length && (heard[end] as QueuedRequest).seq === afterSeq + 1 + end - start) end++
    this.#heard = heard.slice(end === start ? start : end)
    return end === start ? undefined : heard.slice(start, end)
  }

  async #read (afterSeq: number): Promise<QueuedRequest[] | undefined> {
    try {
      return await this.#queue.queuedAfter(afterSeq, this.#readAheadCount)
    } catch (error) {
      this.#onReadError(error)
      return undefined
    }
  }

  #incoming ({ seq, value }: QueuedRequest, lease: ConsumerLease): IncomingRequest {
    return {
      value: Buffer.from(value, 'utf8'),
      stream: EMBEDDED_STREAM,
      offset: BigInt(seq),
      commit: async () => { await this.#queue.markDone(seq, lease) }
    }
  }

  // Waits for a batch enqueued in this process (or announced by the store), the poll interval
  // (a batch nobody told us of), the loss of the lease, or close.
  async #idle (lease: ConsumerLease): Promise<void> {
    // Closed or lost while the read was on its way: its wake-up came before there was a waiter.
    if (this.#closing.signal.aborted || lease.lost.aborted) return
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
