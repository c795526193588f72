import type { StatusEvent } from '../../gateway/status/status-event.ts'
import type { StatusHistoryStore } from '../embedded-store.ts'
import { deleteInChunks } from '../retention.ts'
import { decodeStoredStatus, storableStatus } from '../stored-status.ts'
import type { RetryingPool } from './retrying-pool.ts'

/** The statuses reported (table smsgw_statuses), as the SQLite store keeps them. */
export class PostgresStatusStore implements StatusHistoryStore {
  readonly #pool: RetryingPool
  readonly #now: () => number

  constructor (pool: RetryingPool, now: () => number = Date.now) {
    this.#pool = pool
    this.#now = now
  }

  async append (event: StatusEvent): Promise<StatusEvent> {
    const { text, stored } = storableStatus(event)
    await this.#pool.query('INSERT INTO smsgw_statuses (client_id, correl_id, status, reported_at_ms) VALUES ($1, $2, $3, $4)',
      [event.clientId, event.correlId, text, this.#now()])
    return stored
  }

  async history (clientId: string, correlId: string): Promise<StatusEvent[]> {
    const { rows } = await this.#pool.query<{ status: string }>('SELECT status FROM smsgw_statuses WHERE client_id = $1 AND correl_id = $2 ORDER BY seq', [clientId, correlId])
    return rows.map(row => decodeStoredStatus(row.status))
  }

  /** Deletes statuses stored before `cutoffMs`, a chunk per transaction; resolves with how many. */
  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query(`DELETE FROM smsgw_statuses WHERE seq IN (
        SELECT seq FROM smsgw_statuses WHERE reported_at_ms < $1 ORDER BY seq LIMIT $2)`, [cutoffMs, limit])
      return rowCount ?? 0
    })
  }
}
