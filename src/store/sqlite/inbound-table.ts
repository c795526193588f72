import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { checkInboundRecord, type InboundRecord, type StoredInbound } from '../../domain/stored-inbound.ts'
import { INBOUND_DUPLICATE_KEY, type InboundSmsStore } from '../embedded-store.ts'
import { deleteInChunks } from '../retention.ts'
import { integerColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

/**
 * Inbound SMS (table `inbound_sms`), sealed to their owners, and the duplicate keys of those
 * stored lately (table `inbound_duplicate_keys`): one key and its storing time per message.
 */
export class InboundTable implements InboundSmsStore {
  readonly #commit: GroupCommit
  readonly #now: () => number
  readonly #claimKey: StatementSync
  readonly #insert: StatementSync
  readonly #listAfter: StatementSync
  readonly #deleteBefore: StatementSync
  readonly #deleteKeysBefore: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit, now: () => number = Date.now) {
    this.#commit = commit
    this.#now = now
    // A key stored within the window stays (no row back: a duplicate); an older one is taken over.
    this.#claimKey = db.prepare(`INSERT INTO inbound_duplicate_keys (key, stored_at_ms) VALUES (?, ?)
      ON CONFLICT (key) DO UPDATE SET stored_at_ms = excluded.stored_at_ms WHERE inbound_duplicate_keys.stored_at_ms < ? RETURNING key`)
    this.#insert = db.prepare(`INSERT INTO inbound_sms (owner, connection, received_at_ms, parts, incomplete, sealed, stored_at_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`)
    this.#listAfter = db.prepare('SELECT id, owner, connection, received_at_ms, parts, incomplete, sealed FROM inbound_sms WHERE owner = ? AND id > ? ORDER BY id LIMIT ?')
    this.#deleteBefore = db.prepare('DELETE FROM inbound_sms WHERE id IN (SELECT id FROM inbound_sms WHERE stored_at_ms < ? ORDER BY id LIMIT ?)')
    this.#deleteKeysBefore = db.prepare('DELETE FROM inbound_duplicate_keys WHERE key IN (SELECT key FROM inbound_duplicate_keys WHERE stored_at_ms < ? LIMIT ?)')
  }

  async add (record: InboundRecord, duplicateKey: string, windowMs: number): Promise<StoredInbound | undefined> {
    checkInboundRecord(record)
    if (!INBOUND_DUPLICATE_KEY.test(duplicateKey)) throw new RangeError('an inbound duplicate key is 64 hex digits')
    const nowMs = this.#now()
    return await this.#commit.run(() => {
      if (this.#claimKey.get(duplicateKey, nowMs, nowMs - windowMs) === undefined) return undefined
      const row = this.#insert.get(record.owner, record.connection, record.receivedAtMs, record.parts, record.incomplete ? 1 : 0, record.sealed, nowMs)
      return { id: integerColumn(row ?? {}, 'id'), ...record }
    })
  }

  listAfter (owner: string, afterId: number, limit: number): StoredInbound[] {
    return this.#listAfter.all(owner, afterId, limit).map(row => ({
      id: integerColumn(row, 'id'),
      owner: textColumn(row, 'owner'),
      connection: textColumn(row, 'connection'),
      receivedAtMs: integerColumn(row, 'received_at_ms'),
      parts: integerColumn(row, 'parts'),
      incomplete: integerColumn(row, 'incomplete') === 1,
      sealed: textColumn(row, 'sealed')
    }))
  }

  /** Deletes messages and duplicate keys stored before `cutoffMs`; resolves with how many messages. */
  async prune (cutoffMs: number): Promise<number> {
    await deleteInChunks(async limit => await this.#commit.run(() => Number(this.#deleteKeysBefore.run(cutoffMs, limit).changes)))
    return await deleteInChunks(async limit => await this.#commit.run(() => Number(this.#deleteBefore.run(cutoffMs, limit).changes)))
  }
}
