import { deleteInChunks } from '../retention.ts'
import { checkPublication, type PublicationSettlement, type PublicationState, type RelayPublication, type RelayPublicationStore } from '../relay-publications.ts'
import type { RetryingPool } from './retrying-pool.ts'

/**
 * The publisher's records in PostgreSQL (table smsgw_relay_publications,
 * src/store/relay-publications.ts). A claim is one INSERT ... ON CONFLICT DO NOTHING, so of two
 * instances claiming one payload exactly one gets the row.
 */
export class PostgresRelayPublicationsTable implements RelayPublicationStore {
  readonly #pool: RetryingPool

  constructor (pool: RetryingPool) {
    this.#pool = pool
  }

  async get (key: string): Promise<RelayPublication | undefined> {
    const { rows } = await this.#pool.query<{ state: string, platform: string, response: string, code: number, created_at_ms: string, updated_at_ms: string }>(
      'SELECT state, platform, response, code, created_at_ms, updated_at_ms FROM smsgw_relay_publications WHERE publication_key = $1', [key])
    const row = rows[0]
    return row === undefined
      ? undefined
      : { state: row.state as PublicationState, platform: row.platform, response: row.response, code: Number(row.code), createdAtMs: Number(row.created_at_ms), updatedAtMs: Number(row.updated_at_ms) }
  }

  /**
   * A claim retried after a lost connection whose first try committed finds its own row and
   * answers false: the payload is then taken as claimed elsewhere (not published; never twice).
   */
  async claim (key: string, platform: string, atMs: number): Promise<boolean> {
    checkPublication(key, platform)
    const { rowCount } = await this.#pool.query(
      `INSERT INTO smsgw_relay_publications (publication_key, state, platform, response, code, created_at_ms, updated_at_ms)
       VALUES ($1, 'publishing', $2, '', 0, $3, $3) ON CONFLICT (publication_key) DO NOTHING`, [key, platform, atMs])
    return rowCount === 1
  }

  async release (key: string): Promise<void> {
    checkPublication(key)
    await this.#pool.query("DELETE FROM smsgw_relay_publications WHERE publication_key = $1 AND state = 'publishing'", [key])
  }

  async settle (key: string, settlement: PublicationSettlement, atMs: number): Promise<void> {
    checkPublication(key, undefined, settlement.response)
    await this.#pool.query("UPDATE smsgw_relay_publications SET state = $1, response = $2, code = $3, updated_at_ms = $4 WHERE publication_key = $5 AND state = 'publishing'",
      [settlement.state, settlement.response, settlement.code, atMs, key])
  }

  async countPublishing (beforeMs: number): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>("SELECT count(*) AS n FROM smsgw_relay_publications WHERE state = 'publishing' AND created_at_ms < $1", [beforeMs])
    return Number(rows[0]?.n ?? 0)
  }

  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query("DELETE FROM smsgw_relay_publications WHERE publication_key IN (SELECT publication_key FROM smsgw_relay_publications WHERE state <> 'publishing' AND updated_at_ms < $1 LIMIT $2)", [cutoffMs, limit])
      return rowCount ?? 0
    })
  }
}
