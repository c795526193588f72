import { decodeCorrelationRecord, encodeCorrelationRecord, type CorrelationRecord } from '../../domain/correlation-record.ts'
import type { CorrelationStore } from '../embedded-store.ts'
import { deleteInChunks } from '../retention.ts'
import type { RetryingPool } from './retrying-pool.ts'

/** Which request an SMSC message id belongs to (table smsgw_correlations), as the SQLite store keeps it. */
export class PostgresCorrelationTable implements CorrelationStore {
  readonly #pool: RetryingPool
  readonly #now: () => number

  constructor (pool: RetryingPool, now: () => number = Date.now) {
    this.#pool = pool
    this.#now = now
  }

  async get (key: string): Promise<CorrelationRecord | undefined> {
    const { rows } = await this.#pool.query<{ record: string }>('SELECT record FROM smsgw_correlations WHERE key = $1', [key])
    return rows[0] === undefined ? undefined : decodeCorrelationRecord(rows[0].record) ?? undefined
  }

  async put (key: string, record: CorrelationRecord): Promise<void> {
    await this.#pool.query(`INSERT INTO smsgw_correlations (key, record, stored_at_ms) VALUES ($1, $2, $3)
      ON CONFLICT (key) DO UPDATE SET record = excluded.record, stored_at_ms = excluded.stored_at_ms`, [key, encodeCorrelationRecord(record), this.#now()])
  }

  async remove (key: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('DELETE FROM smsgw_correlations WHERE key = $1', [key])
    return rowCount === 1
  }

  /** Deletes records stored before `cutoffMs` (their final receipt never came); resolves with how many. */
  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query(`DELETE FROM smsgw_correlations WHERE key IN (
        SELECT key FROM smsgw_correlations WHERE stored_at_ms < $1 LIMIT $2)`, [cutoffMs, limit])
      return rowCount ?? 0
    })
  }
}
