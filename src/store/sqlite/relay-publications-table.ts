import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite'
import { deleteInChunks } from '../retention.ts'
import { checkPublication, type PublicationSettlement, type PublicationState, type RelayPublication, type RelayPublicationStore } from '../relay-publications.ts'
import { integerColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

/** The publisher's records (table relay_publications, src/store/relay-publications.ts); writes in the group commit. */
export class RelayPublicationsTable implements RelayPublicationStore {
  readonly #commit: GroupCommit
  readonly #select: StatementSync
  readonly #claim: StatementSync
  readonly #release: StatementSync
  readonly #settle: StatementSync
  readonly #countPublishing: StatementSync
  readonly #prune: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit) {
    this.#commit = commit
    this.#select = db.prepare('SELECT state, platform, response, code, created_at_ms, updated_at_ms FROM relay_publications WHERE publication_key = ?')
    this.#claim = db.prepare(`INSERT INTO relay_publications (publication_key, state, platform, response, code, created_at_ms, updated_at_ms)
      VALUES (?, 'publishing', ?, '', 0, ?, ?) ON CONFLICT (publication_key) DO NOTHING`)
    this.#release = db.prepare("DELETE FROM relay_publications WHERE publication_key = ? AND state = 'publishing'")
    this.#settle = db.prepare("UPDATE relay_publications SET state = ?, response = ?, code = ?, updated_at_ms = ? WHERE publication_key = ? AND state = 'publishing'")
    this.#countPublishing = db.prepare("SELECT count(*) AS n FROM relay_publications WHERE state = 'publishing' AND created_at_ms < ?")
    this.#prune = db.prepare("DELETE FROM relay_publications WHERE publication_key IN (SELECT publication_key FROM relay_publications WHERE state <> 'publishing' AND updated_at_ms < ? LIMIT ?)")
  }

  get (key: string): RelayPublication | undefined {
    const row = this.#select.get(key)
    return row === undefined ? undefined : publicationOf(row)
  }

  async claim (key: string, platform: string, atMs: number): Promise<boolean> {
    checkPublication(key, platform)
    return await this.#commit.run(() => Number(this.#claim.run(key, platform, atMs, atMs).changes) === 1)
  }

  async release (key: string): Promise<void> {
    checkPublication(key)
    await this.#commit.run(() => { this.#release.run(key) })
  }

  async settle (key: string, settlement: PublicationSettlement, atMs: number): Promise<void> {
    checkPublication(key, undefined, settlement.response)
    await this.#commit.run(() => { this.#settle.run(settlement.state, settlement.response, settlement.code, atMs, key) })
  }

  async countPublishing (beforeMs: number): Promise<number> {
    const row = this.#countPublishing.get(beforeMs)
    return row === undefined ? 0 : integerColumn(row, 'n')
  }

  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => await this.#commit.run(() => Number(this.#prune.run(cutoffMs, limit).changes)))
  }
}

function publicationOf (row: Record<string, SQLOutputValue>): RelayPublication {
  return {
    state: textColumn(row, 'state') as PublicationState,
    platform: textColumn(row, 'platform'),
    response: textColumn(row, 'response'),
    code: integerColumn(row, 'code'),
    createdAtMs: integerColumn(row, 'created_at_ms'),
    updatedAtMs: integerColumn(row, 'updated_at_ms')
  }
}
