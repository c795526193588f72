import { deleteInChunks } from '../retention.ts'
import { checkLimitKey, type RelayLimit, type RelayLimitStore } from '../relay-limits.ts'
import type { RetryingPool } from './retrying-pool.ts'

/** The relay vault's rate limits in PostgreSQL (table smsgw_relay_limits, src/store/relay-limits.ts). */
export class PostgresRelayLimitsTable implements RelayLimitStore {
  readonly #pool: RetryingPool
  readonly #now: () => number

  constructor (pool: RetryingPool, now: () => number) {
    this.#pool = pool
    this.#now = now
  }

  async get (key: string): Promise<RelayLimit | undefined> {
    const { rows } = await this.#pool.query<{ count: string, blocked_until_ms: string }>('SELECT count, blocked_until_ms FROM smsgw_relay_limits WHERE limit_key = $1', [key])
    const row = rows[0]
    return row === undefined ? undefined : { count: Number(row.count), blockedUntilMs: Number(row.blocked_until_ms) }
  }

  /** One statement: the row lock of the upsert orders instances counting at once. */
  async bump (key: string): Promise<number> {
    checkLimitKey(key)
    const { rows } = await this.#pool.query<{ count: string }>(
      `INSERT INTO smsgw_relay_limits (limit_key, count, blocked_until_ms, updated_at_ms) VALUES ($1, 1, 0, $2)
       ON CONFLICT (limit_key) DO UPDATE SET count = smsgw_relay_limits.count + 1, updated_at_ms = excluded.updated_at_ms RETURNING count`, [key, this.#now()])
    return Number(rows[0]?.count)
  }

  async block (key: string, untilMs: number): Promise<void> {
    checkLimitKey(key)
    await this.#pool.query('UPDATE smsgw_relay_limits SET blocked_until_ms = greatest(blocked_until_ms, $1), updated_at_ms = $2 WHERE limit_key = $3', [untilMs, this.#now(), key])
  }

  async clear (key: string): Promise<void> {
    await this.#pool.query('DELETE FROM smsgw_relay_limits WHERE limit_key = $1', [key])
  }

  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query('DELETE FROM smsgw_relay_limits WHERE limit_key IN (SELECT limit_key FROM smsgw_relay_limits WHERE updated_at_ms < $1 AND blocked_until_ms < $1 LIMIT $2)', [cutoffMs, limit])
      return rowCount ?? 0
    })
  }
}
