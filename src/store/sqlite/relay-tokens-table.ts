import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite'
import {
  checkNewRelayToken, checkRelayTokenChanges, checkRelayTokenKey,
  type NewRelayToken, type RelayToken, type RelayTokenChanges, type RelayTokenKey, type RelayTokenStore
} from '../relay-tokens.ts'
import { blobColumn, integerColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

const COLUMNS = 'entity_id, platform, account_lookup, account_identifier, token, created_at_ms, updated_at_ms'
const KEY = 'entity_id = ? AND platform = ? AND account_lookup = ?'

/** The platform tokens of relay accounts (table relay_tokens, src/store/relay-tokens.ts); writes in the group commit. */
export class RelayTokensTable implements RelayTokenStore {
  readonly #commit: GroupCommit
  readonly #now: () => number
  readonly #put: StatementSync
  readonly #select: StatementSync
  readonly #update: StatementSync
  readonly #updateIf: StatementSync
  readonly #delete: StatementSync
  readonly #list: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit, now: () => number) {
    this.#commit = commit
    this.#now = now
    this.#put = db.prepare(`INSERT INTO relay_tokens (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (entity_id, platform, account_lookup) DO UPDATE SET token = excluded.token, updated_at_ms = excluded.updated_at_ms`)
    this.#select = db.prepare(`SELECT ${COLUMNS} FROM relay_tokens WHERE ${KEY}`)
    const assignments = 'token = ?, account_identifier = coalesce(?, account_identifier), updated_at_ms = ?'
    this.#update = db.prepare(`UPDATE relay_tokens SET ${assignments} WHERE ${KEY}`)
    this.#updateIf = db.prepare(`UPDATE relay_tokens SET ${assignments} WHERE ${KEY} AND token = ?`)
    this.#delete = db.prepare(`DELETE FROM relay_tokens WHERE ${KEY}`)
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM relay_tokens WHERE entity_id = ? ORDER BY created_at_ms, rowid`)
  }

  async put (token: NewRelayToken): Promise<void> {
    checkNewRelayToken(token)
    const atMs = this.#now()
    await this.#commit.run(() => { this.#put.run(token.entityId, token.platform, token.accountLookup, token.sealedAccountIdentifier, token.sealedToken, atMs, atMs) })
  }

  get (key: RelayTokenKey): RelayToken | undefined {
    const row = this.#select.get(key.entityId, key.platform, key.accountLookup)
    return row === undefined ? undefined : tokenOf(row)
  }

  async update (key: RelayTokenKey, changes: RelayTokenChanges, expectedSealedToken?: Buffer): Promise<boolean> {
    checkRelayTokenKey(key)
    checkRelayTokenChanges(changes)
    const values = [changes.sealedToken, changes.sealedAccountIdentifier ?? null, this.#now(), key.entityId, key.platform, key.accountLookup]
    return await this.#commit.run(() => {
      const result = expectedSealedToken === undefined ? this.#update.run(...values) : this.#updateIf.run(...values, expectedSealedToken)
      return Number(result.changes) === 1
    })
  }

  async remove (key: RelayTokenKey): Promise<boolean> {
    return await this.#commit.run(() => Number(this.#delete.run(key.entityId, key.platform, key.accountLookup).changes) === 1)
  }

  listOf (entityId: string): RelayToken[] {
    return this.#list.all(entityId).map(tokenOf)
  }
}

function tokenOf (row: Record<string, SQLOutputValue>): RelayToken {
  return {
    entityId: textColumn(row, 'entity_id'),
    platform: textColumn(row, 'platform'),
    accountLookup: textColumn(row, 'account_lookup'),
    sealedAccountIdentifier: blobColumn(row, 'account_identifier'),
    sealedToken: blobColumn(row, 'token'),
    createdAtMs: integerColumn(row, 'created_at_ms'),
    updatedAtMs: integerColumn(row, 'updated_at_ms')
  }
}
