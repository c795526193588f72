import assert from 'node:assert/strict'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { decodeStatusEvent, encodeStatusEvent, type StatusEvent } from '../../gateway/status/status-event.ts'
import { integerColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'
import { deleteInChunks } from './retention.ts'

/**
 * The statuses reported (table `statuses`), each kept as its `sms-status` JSON (spec §4): the
 * text a client reads on Kafka deployments, with every field the contract has. History gives
 * back what that text holds, so the timestamp in whole seconds, as a follower of `sms-status`
 * would read it: the HTTP API answers the same on both deployments.
 */
export class StatusStore {
  readonly #commit: GroupCommit
  readonly #now: () => number
  readonly #insert: StatementSync
  readonly #history: StatementSync
  readonly #firstKept: StatementSync
  readonly #deleteBefore: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit, now: () => number = Date.now) {
    this.#commit = commit
    this.#now = now
    this.#insert = db.prepare('INSERT INTO statuses (client_id, correl_id, status, reported_at_ms) VALUES (?, ?, ?, ?)')
    this.#history = db.prepare('SELECT status FROM statuses WHERE client_id = ? AND correl_id = ? ORDER BY seq')
    this.#firstKept = db.prepare('SELECT seq FROM statuses WHERE reported_at_ms >= ? ORDER BY seq LIMIT 1')
    this.#deleteBefore = db.prepare('DELETE FROM statuses WHERE seq IN (SELECT seq FROM statuses WHERE seq < ? ORDER BY seq LIMIT ?)')
  }

  /**
   * Stores one status; resolves with it as stored (what history gives back) once durable.
   * Rejects, storing nothing, an event the contract cannot carry (an empty client-id or
   * correl-id): the pipeline never reports one.
   */
  async append (event: StatusEvent): Promise<StatusEvent> {
    const text = encodeStatusEvent(event)
    const stored = decodeStatusEvent(text)
    if (stored === null) throw new TypeError('not a status the contract can carry (empty client-id or correl-id?)')
    const reportedAtMs = this.#now()
    await this.#commit.run(() => this.#insert.run(event.clientId, event.correlId, text, reportedAtMs))
    return stored
  }

  /** The statuses of one request, in the order they were stored; empty when none. */
  history (clientId: string, correlId: string): StatusEvent[] {
    return this.#history.all(clientId, correlId).map(row => decodeStored(textColumn(row, 'status')))
  }

  /**
   * Deletes statuses stored before `cutoffMs`, a chunk per transaction; resolves with how many.
   * Storing times grow with seq, so those are the rows below the first one to keep.
   */
  async prune (cutoffMs: number): Promise<number> {
    const kept = this.#firstKept.get(cutoffMs)
    const boundary = kept === undefined ? Number.MAX_SAFE_INTEGER : integerColumn(kept, 'seq')
    return await deleteInChunks(this.#commit, limit => Number(this.#deleteBefore.run(boundary, limit).changes))
  }
}

function decodeStored (text: string): StatusEvent {
  const event = decodeStatusEvent(text)
  // The store only holds what encodeStatusEvent wrote, and the two round-trip.
  assert.ok(event !== null, 'a stored status does not decode')
  return event
}
