import { randomUUID } from 'node:crypto'
import type { StatusEvent } from '../../domain/status-event.ts'
import type { StatusHistoryStore } from '../embedded-store.ts'
import { deleteInChunks } from '../retention.ts'
import { decodeStoredStatus, storableStatus } from '../stored-status.ts'
import { InstanceNotices, type InstanceNoticeOptions } from './instance-notices.ts'
import type { RetryingPool } from './retrying-pool.ts'

/** The channel on which instances tell each other of the statuses they store. */
export const STATUS_CHANNEL = 'smsgw_statuses'
/**
 * NOTIFY refuses payloads of 8,000 bytes and more; a status this long (it never is: its
 * error text is short) is stored without a notice rather than not stored.
 */
const MAX_NOTICE_BYTES = 7_000

export interface PostgresStatusStoreOptions extends InstanceNoticeOptions {
  now?: () => number
}

/**
 * The statuses reported (table smsgw_statuses), as the SQLite store keeps them. Each append
 * also NOTIFYs `<schema> TAB <instance> TAB <status JSON>` on STATUS_CHANNEL in the same
 * statement (so at its commit), and onAppendedElsewhere hears those of the other instances: a
 * live status stream or dashboard on any instance shows what the consumer reports.
 */
export class PostgresStatusStore implements StatusHistoryStore {
  readonly #pool: RetryingPool
  readonly #now: () => number
  readonly #notices: InstanceNotices<StatusEvent>

  constructor (pool: RetryingPool, options: PostgresStatusStoreOptions) {
    this.#pool = pool
    this.#now = options.now ?? Date.now
    this.#notices = new InstanceNotices(STATUS_CHANNEL, decodeStoredStatus, options)
  }

  /**
   * Stores one status, or nothing when one of its once-key is stored (then undefined). A
   * concurrent append of the same once-key waits for the other's commit, so undefined means
   * the stored one is durable.
   */
  async append (event: StatusEvent): Promise<StatusEvent | undefined> {
    const { text, stored, onceKey } = storableStatus(event)
    // The append's id makes a retry (the commit may have happened before the connection broke)
    // store and announce it once: a row comes back when this statement inserted, or when an
    // earlier try of this append did (the statement's snapshot does not see its own insert, so
    // never both). No row: another append holds the once-key.
    const { rowCount } = await this.#pool.query(`
      WITH inserted AS (
        INSERT INTO smsgw_statuses (client_id, correl_id, status, reported_at_ms, append_id, once_key) VALUES ($1, $2, $3, $4, $6, $7)
        ON CONFLICT DO NOTHING RETURNING status)
      SELECT (CASE WHEN octet_length(status) < ${MAX_NOTICE_BYTES} THEN pg_notify('${STATUS_CHANNEL}', current_schema() || E'\\t' || $5 || E'\\t' || status) END)::text
      FROM inserted
      UNION ALL
      SELECT NULL WHERE EXISTS (SELECT 1 FROM smsgw_statuses WHERE append_id = $6)`, [event.clientId, event.correlId, text, this.#now(), this.#notices.instance, randomUUID(), onceKey])
    return rowCount === 0 ? undefined : stored
  }

  async history (clientId: string, correlId: string): Promise<StatusEvent[]> {
    const { rows } = await this.#pool.query<{ status: string }>('SELECT status FROM smsgw_statuses WHERE client_id = $1 AND correl_id = $2 ORDER BY seq', [clientId, correlId])
    return rows.map(row => decodeStoredStatus(row.status))
  }

  /** Listens (on a connection of its own, from the first call on) for other instances' statuses. */
  onAppendedElsewhere (listener: (event: StatusEvent) => void): () => void {
    return this.#notices.onElsewhere(listener)
  }

  /** Deletes statuses stored before `cutoffMs`, a chunk per transaction; resolves with how many. */
  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query(`DELETE FROM smsgw_statuses WHERE seq IN (
        SELECT seq FROM smsgw_statuses WHERE reported_at_ms < $1 ORDER BY seq LIMIT $2)`, [cutoffMs, limit])
      return rowCount ?? 0
    })
  }

  /** Stops listening for other instances' statuses. */
  async close (): Promise<void> {
    await this.#notices.close()
  }
}
