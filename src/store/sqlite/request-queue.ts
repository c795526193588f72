import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { integerColumn, textColumn } from './columns.ts'
import type { ConsumerLease, QueuedRequest, RequestQueueStore } from '../embedded-store.ts'
import type { GroupCommit } from './group-commit.ts'
import { deleteInChunks } from '../retention.ts'

export const requestStates = { queued: 'queued', done: 'done' } as const
export type RequestState = typeof requestStates[keyof typeof requestStates]

/**
 * The durable request queue (table `requests`). Requests are accepted in batches, read in seq
 * order, and marked done by prefix: marking seq N done marks every queued request up to N.
 *
 * Why seq order is also commit order: SQLite has one writer at a time, and AUTOINCREMENT hands
 * out seqs inside the writing transaction, so once a reader sees seq N, no request with a smaller
 * seq can appear later. A reader that remembers the last seq it saw never misses one.
 */
export class RequestQueue implements RequestQueueStore {
  readonly #commit: GroupCommit
  readonly #now: () => number
  readonly #insert: StatementSync
  readonly #queuedAfter: StatementSync
  readonly #markDone: StatementSync
  readonly #countQueued: StatementSync
  readonly #isQueued: StatementSync
  readonly #hasQueuedValue: StatementSync
  readonly #firstKept: StatementSync
  readonly #deleteDoneBefore: StatementSync
  readonly #enqueuedListeners = new Set<(batch: readonly QueuedRequest[]) => void>()

  constructor (db: DatabaseSync, commit: GroupCommit, now: () => number = Date.now) {
    this.#commit = commit
    this.#now = now
    this.#insert = db.prepare(`INSERT INTO requests (value, accepted_at_ms, state) VALUES (?, ?, '${requestStates.queued}')`)
    // INDEXED BY: the partial index holds the queued rows only, so a start after a week of done
    // requests does not scan them all to find the first queued one.
    this.#queuedAfter = db.prepare(`SELECT seq, value FROM requests INDEXED BY requests_queued WHERE state = '${requestStates.queued}' AND seq > ? ORDER BY seq LIMIT ?`)
    this.#markDone = db.prepare(`UPDATE requests INDEXED BY requests_queued SET state = '${requestStates.done}' WHERE state = '${requestStates.queued}' AND seq <= ?`)
    this.#countQueued = db.prepare(`SELECT count(*) AS count FROM requests INDEXED BY requests_queued WHERE state = '${requestStates.queued}'`)
    this.#isQueued = db.prepare(`SELECT 1 AS queued FROM requests WHERE seq = ? AND state = '${requestStates.queued}'`)
    // instr() = 1: a prefix, compared as text (LIKE would read % and _ in a correl-id as wildcards).
    this.#hasQueuedValue = db.prepare(`SELECT 1 AS queued FROM requests INDEXED BY requests_queued WHERE state = '${requestStates.queued}' AND instr(value, ?) = 1 LIMIT 1`)
    this.#firstKept = db.prepare(`SELECT seq FROM requests WHERE state = '${requestStates.queued}' OR accepted_at_ms >= ? ORDER BY seq LIMIT 1`)
    this.#deleteDoneBefore = db.prepare(`DELETE FROM requests WHERE seq IN (SELECT seq FROM requests WHERE seq < ? ORDER BY seq LIMIT ?) AND state = '${requestStates.done}'`)
  }

  /**
   * Stores `values` as one batch: all of them or none. Resolves with their seqs, in order, once
   * the batch is committed (durable); then tells the `onEnqueued` listeners, with the batch.
   */
  async enqueue (values: readonly string[]): Promise<number[]> {
    if (values.length === 0) return []
    const acceptedAtMs = this.#now()
    const seqs = await this.#commit.run(() => values.map(value => Number(this.#insert.run(value, acceptedAtMs).lastInsertRowid)))
    const batch = values.map((value, index) => ({ seq: seqs[index] as number, value }))
    for (const listener of [...this.#enqueuedListeners]) listener(batch)
    return seqs
  }

  /** Up to `limit` queued requests with a seq above `afterSeq`, oldest first. */
  queuedAfter (afterSeq: number, limit: number): QueuedRequest[] {
    return this.#queuedAfter.all(afterSeq, limit).map(row => ({ seq: integerColumn(row, 'seq'), value: textColumn(row, 'value') }))
  }

  /** Marks every queued request up to and including `seq` done; resolves with how many, once durable. */
  async markDone (seq: number): Promise<number> {
    return await this.#commit.run(() => Number(this.#markDone.run(seq).changes))
  }

  /** How many requests are queued (accepted and not done). */
  countQueued (): number {
    const row = this.#countQueued.get()
    return row === undefined ? 0 : integerColumn(row, 'count')
  }

  /** Whether the request `seq` is queued (false once done, pruned, or when there is none). */
  isQueued (seq: number): boolean {
    return this.#isQueued.get(seq) !== undefined
  }

  /** Whether a queued request's value starts with `valuePrefix`. */
  hasQueuedValue (valuePrefix: string): boolean {
    return this.#hasQueuedValue.get(valuePrefix) !== undefined
  }

  /**
   * Calls `listener` with each batch enqueued through this instance (not through another
   * process's), once committed; returns a function that stops it.
   */
  onEnqueued (listener: (batch: readonly QueuedRequest[]) => void): () => void {
    this.#enqueuedListeners.add(listener)
    return () => { this.#enqueuedListeners.delete(listener) }
  }

  /**
   * Granted at once and never lost: a SQLite file serves one gateway. Two processes consuming
   * the same file would both read every request (the ledger would still keep each from reaching
   * a backend twice); a shared store for several gateways is PostgreSQL's job.
   */
  async leaseConsumer (until: AbortSignal): Promise<ConsumerLease | undefined> {
    return until.aborted ? undefined : NEVER_LOST
  }

  /**
   * Deletes done requests accepted before `cutoffMs`, a chunk per transaction; resolves with how
   * many. Done requests are a prefix of the queue (commits move over prefixes) and acceptance
   * times grow with seq, so the rows to delete are those below the first row to keep, found
   * without scanning the rest of the table. Should the clock have stepped back, rows after it
   * wait for a later prune: kept a little longer, never deleted early.
   */
  async prune (cutoffMs: number): Promise<number> {
    const kept = this.#firstKept.get(cutoffMs)
    const boundary = kept === undefined ? Number.MAX_SAFE_INTEGER : integerColumn(kept, 'seq')
    return await deleteInChunks(async limit => await this.#commit.run(() => Number(this.#deleteDoneBefore.run(boundary, limit).changes)))
  }
}

const NEVER_LOST: ConsumerLease = { lost: new AbortController().signal }
