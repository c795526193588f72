import { checkInboundRecord, type InboundRecord, type StoredInbound } from '../../domain/stored-inbound.ts'
import { INBOUND_DUPLICATE_KEY, type InboundSmsStore } from '../embedded-store.ts'
import { deleteInChunks } from '../retention.ts'
import { InstanceNotices, type InstanceNoticeOptions } from './instance-notices.ts'
import type { RetryingPool } from './retrying-pool.ts'

/** The channel on which instances tell each other of the inbound SMS they store: `<schema> TAB <instance> TAB <id>`. */
export const INBOUND_CHANNEL = 'smsgw_inbound'

export interface PostgresInboundTableOptions extends InstanceNoticeOptions {
  now?: () => number
}

const COLUMNS = 'id, owner, connection, received_at_ms, parts, incomplete, sealed'

interface InboundRow {
  id: string
  owner: string
  connection: string
  received_at_ms: string
  parts: number
  incomplete: boolean
  sealed: string
}

/**
 * Inbound SMS and their duplicate keys (tables smsgw_inbound_sms, smsgw_inbound_duplicate_keys),
 * as the SQLite store keeps them. Each add NOTIFYs its id on INBOUND_CHANNEL at its commit, and
 * onAddedElsewhere reads the messages the other instances stored: a stream on any instance
 * shows what the one bound to the SMSC stored.
 */
export class PostgresInboundTable implements InboundSmsStore {
  readonly #pool: RetryingPool
  readonly #now: () => number
  readonly #notices: InstanceNotices<StoredInbound>

  constructor (pool: RetryingPool, options: PostgresInboundTableOptions) {
    this.#pool = pool
    this.#now = options.now ?? Date.now
    this.#notices = new InstanceNotices(INBOUND_CHANNEL, async id => await this.#read(id), options)
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
      , inserted AS (
        INSERT INTO smsgw_inbound_sms (owner, connection, received_at_ms, parts, incomplete, sealed, stored_at_ms)
        SELECT $4, $5, $6, $7, $8, $9, $2 FROM claimed RETURNING id)
      SELECT id, pg_notify('${INBOUND_CHANNEL}', current_schema() || E'\\t' || $10 || E'\\t' || id) FROM inserted`,
    [duplicateKey, nowMs, nowMs - windowMs, record.owner, record.connection, record.receivedAtMs, record.parts, record.incomplete, record.sealed, this.#notices.instance])
    const row = rows[0]
    return row === undefined ? undefined : { id: Number(row.id), ...record }
  }

  async listAfter (owner: string, afterId: number, limit: number): Promise<StoredInbound[]> {
    const { rows } = await this.#pool.query<InboundRow>(`SELECT ${COLUMNS} FROM smsgw_inbound_sms WHERE owner = $1 AND id > $2 ORDER BY id LIMIT $3`, [owner, afterId, limit])
    return rows.map(storedOf)
  }

  /** Listens (on a connection of its own, from the first call on) for the messages other instances store. */
  onAddedElsewhere (listener: (message: StoredInbound) => void): () => void {
    return this.#notices.onElsewhere(listener)
  }

  /** Stops listening for other instances' messages. */
  async close (): Promise<void> {
    await this.#notices.close()
  }

  // The notice carries the id only (a sealed message may be longer than NOTIFY takes): the
  // message is read back, committed already, since NOTIFY is delivered at the commit.
  async #read (id: string): Promise<StoredInbound | undefined> {
    const { rows } = await this.#pool.query<InboundRow>(`SELECT ${COLUMNS} FROM smsgw_inbound_sms WHERE id = $1`, [id])
    const row = rows[0]
    return row === undefined ? undefined : storedOf(row)
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

function storedOf (row: InboundRow): StoredInbound {
  return {
    id: Number(row.id),
    owner: row.owner,
    connection: row.connection,
    receivedAtMs: Number(row.received_at_ms),
    parts: row.parts,
    incomplete: row.incomplete,
    sealed: row.sealed
  }
}
