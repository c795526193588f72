import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { storeClosed } from '../store-errors.ts'

/** Writes gathered into one transaction at most; beyond it, the batch commits at once. */
export const DEFAULT_MAX_BATCH_WRITES = 1000

interface PendingWrite {
  readonly write: () => unknown
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

type WriteOutcome = { readonly ok: true, readonly value: unknown } | { readonly ok: false, readonly error: unknown }

/**
 * Runs the store's writes in transactions shared by every write of one event-loop turn: a group
 * commit. With `synchronous=FULL` each commit costs an fsync of the WAL, so N requests accepted
 * in the same turn (HTTP calls, statuses of concurrent requests) share one fsync instead of
 * paying N. Each write runs in its own savepoint, so it is still all-or-nothing on its own: one
 * that throws is rolled back alone and rejects alone, and the others commit.
 *
 * A write's promise settles only after COMMIT returned: once it resolves, the write is durable
 * (as durable as the synchronous mode makes a commit). Writes run in the order `run` was called.
 */
export class GroupCommit {
  readonly #db: DatabaseSync
  readonly #maxBatchWrites: number
  readonly #begin: StatementSync
  readonly #commit: StatementSync
  readonly #savepoint: StatementSync
  readonly #release: StatementSync
  readonly #rollbackTo: StatementSync
  #pending: PendingWrite[] = []
  #scheduled: NodeJS.Immediate | undefined
  #closed = false

  constructor (db: DatabaseSync, options: { maxBatchWrites?: number } = {}) {
    this.#db = db
    this.#maxBatchWrites = options.maxBatchWrites ?? DEFAULT_MAX_BATCH_WRITES
    // IMMEDIATE takes the write lock at BEGIN, so a writer in another process makes BEGIN wait
    // (busy_timeout) rather than failing a statement halfway through the batch.
    this.#begin = db.prepare('BEGIN IMMEDIATE')
    this.#commit = db.prepare('COMMIT')
    this.#savepoint = db.prepare('SAVEPOINT write')
    this.#release = db.prepare('RELEASE write')
    this.#rollbackTo = db.prepare('ROLLBACK TO write')
  }

  /**
   * Queues `write` for the next transaction. Resolves with its return value once the transaction
   * committed; rejects with what it threw (its changes rolled back), or with the error that made
   * the whole transaction fail (nothing of the batch committed). `write` runs synchronously
   * inside the transaction and must not call `run` itself.
   */
  async run<T> (write: () => T): Promise<T> {
    if (this.#closed) throw storeClosed()
    return await new Promise<T>((resolve, reject) => {
      this.#pending.push({ write, resolve: resolve as (value: unknown) => void, reject })
      if (this.#pending.length >= this.#maxBatchWrites) this.flush()
      else this.#scheduled ??= setImmediate(() => this.flush())
    })
  }

  /** Commits every queued write now. */
  flush (): void {
    clearImmediate(this.#scheduled)
    this.#scheduled = undefined
    const batch = this.#pending
    if (batch.length === 0) return
    this.#pending = []
    let outcomes: WriteOutcome[]
    try {
      outcomes = this.#transact(batch)
    } catch (error) {
      for (const pending of batch) pending.reject(error)
      return
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index] as WriteOutcome
      if (outcome.ok) pending.resolve(outcome.value)
      else pending.reject(outcome.error)
    })
  }

  /** Commits what is queued and refuses further writes. */
  close (): void {
    this.flush()
    this.#closed = true
  }

  #transact (batch: readonly PendingWrite[]): WriteOutcome[] {
    this.#begin.run()
    try {
      // A lone write needs no savepoint: the transaction is its own all-or-nothing.
      const outcomes = batch.length === 1 ? [{ ok: true, value: (batch[0] as PendingWrite).write() } as const] : batch.map(pending => this.#isolated(pending))
      this.#commit.run()
      return outcomes
    } catch (error) {
      // A statement SQLite aborted the transaction for (disk full, I/O error) may have rolled it
      // back already; otherwise undo the batch here.
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK')
      throw error
    }
  }

  #isolated (pending: PendingWrite): WriteOutcome {
    this.#savepoint.run()
    try {
      const value = pending.write()
      this.#release.run()
      return { ok: true, value }
    } catch (error) {
      // If this throws too, the transaction is broken: #transact rolls all of it back.
      this.#rollbackTo.run()
      this.#release.run()
      return { ok: false, error }
    }
  }
}
