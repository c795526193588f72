import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { StatusEvent } from '../../domain/status-event.ts'
import type { StatusHistoryStore } from '../embedded-store.ts'
import { deleteInChunks } from '../retention.ts'
import { decodeStoredStatus, storableStatus } from '../stored-status.ts'
import { integerColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

/** The statuses reported (table `statuses`), each kept as its `sms-status` JSON (see stored-status.ts). */
export class StatusStore implements StatusHistoryStore {
  readonly #commit: GroupCommit
  readonly #now: () => number
  readonly #insert: StatementSync
  readonly #history: StatementSync
  readonly #firstKept: StatementSync
  readonly #deleteBefore: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit, now: () => number = Date.now) {
    this.#commit = commit
    this.#now = now
    this.#insert = db.prepare(`INSERT INTO statuses (client_id, correl_id, status, reported_at_ms, once_key) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (once_key) WHERE once_key IS NOT NULL DO NOTHING`)
    this.#history = db.prepare('SELECT status FROM statuses WHERE client_id = ? AND correl_id = ? ORDER BY seq')
    this.#firstKept = db.prepare('SELECT seq FROM statuses WHERE reported_at_ms >= ? ORDER BY seq LIMIT 1')
    this.#deleteBefore = db.prepare('DELETE FROM statuses WHERE seq IN (SELECT seq FROM statuses WHERE seq < ? ORDER BY seq LIMIT ?)')
  }

  /**
   * Stores one status; resolves with it as stored (what history gives back) once durable, or
   * with undefined when a status of the same once-key is stored already (statusOnceKey).
   * Rejects, storing nothing, an event the contract cannot carry (an empty client-id or
   * correl-id): the pipeline never reports one.
   */
  async append (event: StatusEvent): Promise<StatusEvent | undefined> {
    const { text, stored, onceKey } = storableStatus(event)
    const reportedAtMs = this.#now()
    const inserted = await this.#commit.run(() => Number(this.#insert.run(event.clientId, event.correlId, text, reportedAtMs, onceKey).changes) > 0)
    return inserted ? stored : undefined
  }

  /** The statuses of one request, in the order they were stored; empty when none. */
  history (clientId: string, correlId: string): StatusEvent[] {
    return this.#history.all(clientId, correlId).map(row => decodeStoredStatus(textColumn(row, 'status')))
  }

  /**
   * Deletes statuses stored before `cutoffMs`, a chunk per transaction; resolves with how many.
   * Storing times grow with seq, so those are the rows below the first one to keep.
   */
  async prune (cutoffMs: number): Promise<number> {
    const kept = this.#firstKept.get(cutoffMs)
    const boundary = kept === undefined ? Number.MAX_SAFE_INTEGER : integerColumn(kept, 'seq')
    return await deleteInChunks(async limit => await this.#commit.run(() => Number(this.#deleteBefore.run(boundary, limit).changes)))
  }
}
