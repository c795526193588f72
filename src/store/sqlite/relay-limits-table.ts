import assert from 'node:assert/strict'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { deleteInChunks } from '../retention.ts'
import { checkLimitKey, type RelayLimit, type RelayLimitStore } from '../relay-limits.ts'
import { integerColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

/** The relay vault's rate limits (table relay_limits, src/store/relay-limits.ts); writes in the group commit. */
export class RelayLimitsTable implements RelayLimitStore {
  readonly #commit: GroupCommit
  readonly #now: () => number
  readonly #select: StatementSync
  readonly #bump: StatementSync
  readonly #block: StatementSync
  readonly #clear: StatementSync
  readonly #prune: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit, now: () => number) {
    this.#commit = commit
    this.#now = now
    this.#select = db.prepare('SELECT count, blocked_until_ms FROM relay_limits WHERE limit_key = ?')
    this.#bump = db.prepare('INSERT INTO relay_limits (limit_key, count, blocked_until_ms, updated_at_ms) VALUES (?, 1, 0, ?) ON CONFLICT (limit_key) DO UPDATE SET count = count + 1, updated_at_ms = excluded.updated_at_ms RETURNING count')
    this.#block = db.prepare('UPDATE relay_limits SET blocked_until_ms = max(blocked_until_ms, ?), updated_at_ms = ? WHERE limit_key = ?')
    this.#clear = db.prepare('DELETE FROM relay_limits WHERE limit_key = ?')
    this.#prune = db.prepare('DELETE FROM relay_limits WHERE limit_key IN (SELECT limit_key FROM relay_limits WHERE updated_at_ms < ? AND blocked_until_ms < ? LIMIT ?)')
  }

  get (key: string): RelayLimit | undefined {
    const row = this.#select.get(key)
    return row === undefined ? undefined : { count: integerColumn(row, 'count'), blockedUntilMs: integerColumn(row, 'blocked_until_ms') }
  }

  async bump (key: string): Promise<number> {
    checkLimitKey(key)
    const atMs = this.#now()
    return await this.#commit.run(() => {
      const row = this.#bump.get(key, atMs)
      // An impossible state (STYLE: node:assert): an INSERT … ON CONFLICT DO UPDATE … RETURNING always returns its row.
      assert.ok(row !== undefined, 'the rate-limit upsert returned no row')
      return integerColumn(row, 'count')
    })
  }

  async block (key: string, untilMs: number): Promise<void> {
    checkLimitKey(key)
    const atMs = this.#now()
    await this.#commit.run(() => { this.#block.run(untilMs, atMs, key) })
  }

  async clear (key: string): Promise<void> {
    await this.#commit.run(() => { this.#clear.run(key) })
  }

  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => await this.#commit.run(() => Number(this.#prune.run(cutoffMs, cutoffMs, limit).changes)))
  }
}
