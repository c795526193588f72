import {
  checkNewRelayToken, checkRelayTokenChanges, checkRelayTokenKey,
  type NewRelayToken, type RelayToken, type RelayTokenChanges, type RelayTokenKey, type RelayTokenStore
} from '../relay-tokens.ts'
import type { RetryingPool } from './retrying-pool.ts'

const COLUMNS = 'entity_id, platform, account_lookup, account_identifier, token, created_at_ms, updated_at_ms'
const KEY = 'entity_id = $1 AND platform = $2 AND account_lookup = $3'

interface TokenRow { entity_id: string, platform: string, account_lookup: string, account_identifier: Buffer, token: Buffer, created_at_ms: string, updated_at_ms: string }

/**
 * The platform tokens of relay accounts in PostgreSQL (table smsgw_relay_tokens,
 * src/store/relay-tokens.ts). Each change is one statement. A compare-and-set retried after a lost
 * connection (RetryingPool) finds its own committed write by the new sealed token (every sealing
 * draws a fresh nonce, so no other write holds the same bytes).
 */
export class PostgresRelayTokensTable implements RelayTokenStore {
  readonly #pool: RetryingPool
  readonly #now: () => number

  constructor (pool: RetryingPool, now: () => number) {
    this.#pool = pool
    this.#now = now
  }

  async put (token: NewRelayToken): Promise<void> {
    checkNewRelayToken(token)
    const atMs = this.#now()
    await this.#pool.query(`INSERT INTO smsgw_relay_tokens (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $6)
      ON CONFLICT (entity_id, platform, account_lookup) DO UPDATE SET token = excluded.token, updated_at_ms = excluded.updated_at_ms`,
    [token.entityId, token.platform, token.accountLookup, token.sealedAccountIdentifier, token.sealedToken, atMs])
  }

  async get (key: RelayTokenKey): Promise<RelayToken | undefined> {
    const { rows } = await this.#pool.query<TokenRow>(`SELECT ${COLUMNS} FROM smsgw_relay_tokens WHERE ${KEY}`, [key.entityId, key.platform, key.accountLookup])
    return rows[0] === undefined ? undefined : tokenOf(rows[0])
  }

  async update (key: RelayTokenKey, changes: RelayTokenChanges, expectedSealedToken?: Buffer): Promise<boolean> {
    checkRelayTokenKey(key)
    checkRelayTokenChanges(changes)
    // $7 null: whatever the token is; `OR token = $4`: this very statement committed before a lost connection made it run again.
    const { rowCount } = await this.#pool.query(`UPDATE smsgw_relay_tokens SET token = $4, account_identifier = coalesce($5, account_identifier), updated_at_ms = $6
      WHERE ${KEY} AND ($7::bytea IS NULL OR token = $7 OR token = $4)`,
    [key.entityId, key.platform, key.accountLookup, changes.sealedToken, changes.sealedAccountIdentifier ?? null, this.#now(), expectedSealedToken ?? null])
    return rowCount === 1
  }

  async remove (key: RelayTokenKey): Promise<boolean> {
    const { rowCount } = await this.#pool.query(`DELETE FROM smsgw_relay_tokens WHERE ${KEY}`, [key.entityId, key.platform, key.accountLookup])
    return rowCount === 1
  }

  /** Oldest first; rows stored in the same millisecond by their key, bytewise. */
  async listOf (entityId: string): Promise<RelayToken[]> {
    const { rows } = await this.#pool.query<TokenRow>(`SELECT ${COLUMNS} FROM smsgw_relay_tokens WHERE entity_id = $1 ORDER BY created_at_ms, platform COLLATE "C", account_lookup COLLATE "C"`, [entityId])
    return rows.map(tokenOf)
  }
}

function tokenOf (row: TokenRow): RelayToken {
  return {
    entityId: row.entity_id,
    platform: row.platform,
    accountLookup: row.account_lookup,
    sealedAccountIdentifier: row.account_identifier,
    sealedToken: row.token,
    createdAtMs: Number(row.created_at_ms),
    updatedAtMs: Number(row.updated_at_ms)
  }
}
