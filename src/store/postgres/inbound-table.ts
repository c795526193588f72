import { checkInboundRecord, type InboundRecord, type StoredInbound } from '../../gateway/inbound/stored-inbound.ts'
import { INBOUND_DUPLICATE_KEY, type InboundSmsStore } from '../embedded-store.ts'
import { deleteInChunks } from '../retention.ts'
import type { RetryingPool } from './retrying-pool.ts'

interface InboundRow {
  id: string
  owner: string
  connection: string
  received_at_ms: string
  parts: number
  incomplete: boolean
  sealed: string
}

/** Inbound SMS and their duplicate keys (tables smsgw_inbound_sms, smsgw_inbound_duplicate_keys), as the SQLite store keeps them. */
export class PostgresInboundTable implements InboundSmsStore {
  readonly #pool: RetryingPool
  readonly #now: () => number

  constructor (pool: RetryingPool, now: () => number = Date.now) {
    this.#pool = pool
    this.#now = now
  }

  async add (record: InboundRecord, duplicateKey: string, windowMs: number): Promise<StoredInbound | undefined> {
    checkInboundRecord(record)
    if (!INBOUND_DUPLICATE_KEY.test(duplicateKey)) throw new RangeError('an inbound duplicate key is 64 hex digits')
    const nowMs = this.#now()
    // One statement: the key is claimed (a key stored within the window stays, and no row comes
    // back: a duplicate) and the message stored together. ON CONFLICT decides between instances
    // storing the same message at once; a retry after a lost commit finds its own key.
    const { rows } = await this.#pool.query<{ id: string }>(`
      WITH claimed AS (
        INSERT INTO smsgw_inbound_duplicate_keys (key, stored_at_ms) VALUES ($1, $2)
        ON CONFLICT (key) DO UPDATE SET stored_at_ms = excluded.stored_at_ms WHERE smsgw_inbound_duplicate_keys.stored_at_ms < $3
        RETURNING key)
      INSERT INTO smsgw_inbound_sms (owner, connection, received_at_ms, parts, incomplete, sealed, stored_at_ms)
      SELECT $4, $5, $6, $7, $8, $9, $2 FROM claimed RETURNING id`,
    [duplicateKey, nowMs, nowMs - windowMs, record.owner, record.connection, record.receivedAtMs, record.parts, record.incomplete, record.sealed])
    const row = rows[0]
    return row === undefined ? undefined : { id: Number(row.id), ...record }
  }

  async listAfter (owner: string, afterId: number, limit: number): Promise<StoredInbound[]> {
    const { rows } = await this.#pool.query<InboundRow>(`SELECT id, owner, connection, received_at_ms, parts, incomplete, sealed
      FROM smsgw_inbound_sms WHERE owner = $1 AND id > $2 ORDER BY id LIMIT $3`, [owner, afterId, limit])
    return rows.map(row => ({
      id: Number(row.id),
      owner: row.owner,
      connection: row.connection,
      receivedAtMs: Number(row.received_at_ms),
      parts: row.parts,
      incomplete: row.incomplete,
      sealed: row.sealed
    }))
  }

  /** Deletes messages and duplicate keys stored before `cutoffMs`; resolves with how many messages. */
  async prune (cutoffMs: number): Promise<number> {
    await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query(`DELETE FROM smsgw_inbound_duplicate_keys WHERE key IN (
        SELECT key FROM smsgw_inbound_duplicate_keys WHERE stored_at_ms < $1 LIMIT $2)`, [cutoffMs, limit])
      return rowCount ?? 0
    })
    return await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query(`DELETE FROM smsgw_inbound_sms WHERE id IN (
        SELECT id FROM smsgw_inbound_sms WHERE stored_at_ms < $1 ORDER BY id LIMIT $2)`, [cutoffMs, limit])
      return rowCount ?? 0
    })
  }
}
