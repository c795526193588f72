import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { decodeCorrelationRecord, encodeCorrelationRecord, type CorrelationRecord } from '../../domain/correlation-record.ts'
import type { CorrelationStore } from '../embedded-store.ts'
import { textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'
import { deleteInChunks } from '../retention.ts'

/**
 * Which request an SMSC message id belongs to (table `correlations`), by the key of the
 * `correl-id` topic (correlationKey) and with the same record JSON, so the two can be moved
 * from one to the other as they are.
 */
export class CorrelationTable implements CorrelationStore {
  readonly #commit: GroupCommit
  readonly #now: () => number
  readonly #select: StatementSync
  readonly #upsert: StatementSync
  readonly #delete: StatementSync
  readonly #deleteBefore: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit, now: () => number = Date.now) {
    this.#commit = commit
    this.#now = now
    this.#select = db.prepare('SELECT record FROM correlations WHERE key = ?')
    this.#upsert = db.prepare(`INSERT INTO correlations (key, record, stored_at_ms) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET record = excluded.record, stored_at_ms = excluded.stored_at_ms`)
    this.#delete = db.prepare('DELETE FROM correlations WHERE key = ?')
    this.#deleteBefore = db.prepare('DELETE FROM correlations WHERE key IN (SELECT key FROM correlations WHERE stored_at_ms < ? LIMIT ?)')
  }

  /** The record stored under `key`; undefined when none (or when what is there is not a record). */
  get (key: string): CorrelationRecord | undefined {
    const row = this.#select.get(key)
    return row === undefined ? undefined : decodeCorrelationRecord(textColumn(row, 'record')) ?? undefined
  }

  /** Stores `record` under `key`, replacing what was there; resolves once durable. */
  async put (key: string, record: CorrelationRecord): Promise<void> {
    const text = encodeCorrelationRecord(record)
    const storedAtMs = this.#now()
    await this.#commit.run(() => this.#upsert.run(key, text, storedAtMs))
  }

  /** Deletes the record under `key`; resolves with whether there was one, once durable. */
  async remove (key: string): Promise<boolean> {
    return await this.#commit.run(() => Number(this.#delete.run(key).changes) > 0)
  }

  /**
   * Deletes records stored before `cutoffMs` (their final receipt never came), a chunk per
   * transaction; resolves with how many.
   */
  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => await this.#commit.run(() => Number(this.#deleteBefore.run(cutoffMs, limit).changes)))
  }
}
