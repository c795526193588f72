import { randomUUID } from 'node:crypto'
import {
  changedColumns, checkNewRelayAccount, checkRelayAccountChanges, newRelayAccountRow, relayAccountColumns, relayAccountOf,
  type NewRelayAccount, type RelayAccount, type RelayAccountChanges, type RelayAccountStore
} from '../relay-accounts.ts'
import type { RetryingPool } from './retrying-pool.ts'

const COLUMNS = relayAccountColumns.join(', ')

type AccountRow = Record<string, string | Buffer>

/**
 * The relay vault's accounts in PostgreSQL (table smsgw_relay_entities, src/store/relay-accounts.ts).
 * An update is one statement, `UPDATE … WHERE state_version = expected`: its row lock orders racing
 * writers of every instance, and the loser updates nothing. Each write carries a fresh `write_id`;
 * a statement retried after the connection broke (RetryingPool) may find its own committed write,
 * and recognises it by that id instead of taking it for a lost race.
 */
export class PostgresRelayTable implements RelayAccountStore {
  readonly #pool: RetryingPool
  readonly #now: () => number

  constructor (pool: RetryingPool, now: () => number) {
    this.#pool = pool
    this.#now = now
  }

  async create (account: NewRelayAccount): Promise<boolean> {
    checkNewRelayAccount(account)
    const atMs = this.#now()
    const writeId = randomUUID()
    const values = [...newRelayAccountRow(account, atMs), writeId]
    const placeholders = values.map((_, index) => `$${index + 1}`).join(', ')
    // On a conflict the no-op update returns the row only when it is this call's own earlier insert.
    const { rows } = await this.#pool.query(`INSERT INTO smsgw_relay_entities (${COLUMNS}, write_id) VALUES (${placeholders})
      ON CONFLICT (entity_id) DO UPDATE SET write_id = excluded.write_id WHERE smsgw_relay_entities.write_id = excluded.write_id
      RETURNING entity_id`, values).catch(uniqueViolationAsNone)
    return rows.length === 1
  }

  async get (entityId: string): Promise<RelayAccount | undefined> {
    const { rows } = await this.#pool.query<AccountRow>(`SELECT ${COLUMNS} FROM smsgw_relay_entities WHERE entity_id = $1`, [entityId])
    return rows[0] === undefined ? undefined : accountOf(rows[0])
  }

  async findByDeviceLookup (deviceLookup: string): Promise<RelayAccount | undefined> {
    const { rows } = await this.#pool.query<AccountRow>(`SELECT ${COLUMNS} FROM smsgw_relay_entities WHERE device_lookup = $1`, [deviceLookup])
    return rows[0] === undefined ? undefined : accountOf(rows[0])
  }

  async entityIdByDeviceLookup (deviceLookup: string): Promise<string | undefined> {
    const { rows } = await this.#pool.query<{ entity_id: string }>('SELECT entity_id FROM smsgw_relay_entities WHERE device_lookup = $1', [deviceLookup])
    return rows[0]?.entity_id
  }

  async update (entityId: string, expectedVersion: number | undefined, changes: RelayAccountChanges): Promise<number | undefined> {
    checkRelayAccountChanges(changes)
    const set = changedColumns(changes)
    const writeId = randomUUID()
    const values: unknown[] = [entityId, expectedVersion ?? null, writeId, this.#now(), ...set.map(([, value]) => value)]
    // Without an expected version ($2 null) the statement applies whatever the version and advances it.
    const assignments = [...set.map(([column], index) => `${column} = $${index + 5}`), 'state_version = COALESCE($2::bigint, state_version) + 1', 'updated_at_ms = $4', 'write_id = $3'].join(', ')
    // `OR write_id = $3`: this very statement committed before a lost connection made it run again.
    const { rows } = await this.#pool.query<{ state_version: string }>(`UPDATE smsgw_relay_entities SET ${assignments}
      WHERE entity_id = $1 AND ($2::bigint IS NULL OR state_version = $2 OR write_id = $3) RETURNING state_version`, values)
    return rows[0] === undefined ? undefined : Number(rows[0].state_version)
  }

  async remove (entityId: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('DELETE FROM smsgw_relay_entities WHERE entity_id = $1', [entityId])
    return rowCount === 1
  }

  /** Compared and ordered bytewise ("C"), as SQLite does, whatever the database's collation. */
  async entityIdsAfter (afterId: string, limit: number): Promise<string[]> {
    const { rows } = await this.#pool.query<{ entity_id: string }>('SELECT entity_id FROM smsgw_relay_entities WHERE entity_id COLLATE "C" > $1 ORDER BY entity_id COLLATE "C" LIMIT $2', [afterId, limit])
    return rows.map(row => row.entity_id)
  }

  async count (): Promise<number> {
    const { rows } = await this.#pool.query<{ count: string }>('SELECT count(*) AS count FROM smsgw_relay_entities')
    return Number(rows[0]?.count ?? 0)
  }
}

/** Another account holds the identifier or device lookup: not created, as for a taken entity id. */
function uniqueViolationAsNone (error: unknown): { rows: never[] } {
  if ((error as { code?: unknown }).code === '23505') return { rows: [] }
  throw error
}

function accountOf (row: AccountRow): RelayAccount {
  return relayAccountOf({ text: column => row[column] as string, integer: column => Number(row[column]), bytes: column => row[column] as Buffer })
}
