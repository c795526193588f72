import type { RetryingPool } from './retrying-pool.ts'
import { applyLedgerRecord, type LedgerEntry, type LedgerRecord } from '../../gateway/ledger/ledger-record.ts'
import type { LedgerStore } from '../embedded-store.ts'

interface LedgerRow { key: string, token: string, source: string, claimed_at_ms: string, done: boolean }

/**
 * The request ledger's entries in PostgreSQL (table smsgw_ledger). A record is applied as an
 * optimistic compare-and-set: read the entry, fold the record into it with applyLedgerRecord,
 * and write the result only if the row is still what was read (an INSERT that yields to an
 * existing row, an UPDATE or DELETE matching every column read). When another instance changed
 * the row in between, the write changes nothing and the record is applied again to what it
 * left: the database's order of the writes decides every race, for every instance.
 */
export class PostgresLedgerTable implements LedgerStore {
  readonly #pool: RetryingPool

  constructor (pool: RetryingPool) {
    this.#pool = pool
  }

  async get (key: string): Promise<LedgerEntry | undefined> {
    const { rows } = await this.#pool.query<LedgerRow>('SELECT key, token, source, claimed_at_ms, done FROM smsgw_ledger WHERE key = $1', [key])
    return rows[0] === undefined ? undefined : entryOf(rows[0])
  }

  async all (): Promise<Array<{ key: string, entry: LedgerEntry }>> {
    const { rows } = await this.#pool.query<LedgerRow>('SELECT key, token, source, claimed_at_ms, done FROM smsgw_ledger ORDER BY key')
    return rows.map(row => ({ key: row.key, entry: entryOf(row) }))
  }

  async apply (key: string, record: LedgerRecord | null): Promise<LedgerEntry | undefined> {
    for (;;) {
      const current = await this.get(key)
      const next = applyLedgerRecord(current, record)
      if (next === current) return current
      if (await this.#replace(key, current, next)) return next
    }
  }

  async count (): Promise<number> {
    const { rows } = await this.#pool.query<{ count: string }>('SELECT count(*) AS count FROM smsgw_ledger')
    return Number(rows[0]?.count ?? 0)
  }

  /** Writes `next` over `current`; false when the row is no longer `current`. */
  async #replace (key: string, current: LedgerEntry | undefined, next: LedgerEntry | undefined): Promise<boolean> {
    if (current === undefined) {
      if (next === undefined) return true
      const { rowCount } = await this.#pool.query(`INSERT INTO smsgw_ledger (key, token, source, claimed_at_ms, done) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (key) DO NOTHING`, [key, next.token, next.source, next.claimedAtMs, next.done])
      return rowCount === 1
    }
    const unchanged = 'key = $1 AND token = $2 AND source = $3 AND claimed_at_ms = $4 AND done = $5'
    const was = [key, current.token, current.source, current.claimedAtMs, current.done]
    const { rowCount } = next === undefined
      ? await this.#pool.query(`DELETE FROM smsgw_ledger WHERE ${unchanged}`, was)
      : await this.#pool.query(`UPDATE smsgw_ledger SET token = $6, source = $7, claimed_at_ms = $8, done = $9 WHERE ${unchanged}`,
        [...was, next.token, next.source, next.claimedAtMs, next.done])
    return rowCount === 1
  }
}

function entryOf (row: LedgerRow): LedgerEntry {
  return { token: row.token, source: row.source, claimedAtMs: Number(row.claimed_at_ms), done: row.done }
}
