import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite'
import { deleteInChunks } from '../retention.ts'
import { checkForward, checkSegment, type NewSegment, type RelayIngressStore, type SegmentAddOutcome, type SegmentBounds, type StoredForward, type StoredSegment } from '../relay-ingress.ts'
import { blobColumn, integerColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

/** The relay's ingress (tables relay_forwards and relay_segments, src/store/relay-ingress.ts); writes in the group commit. */
export class RelayIngressTable implements RelayIngressStore {
  readonly #commit: GroupCommit
  readonly #addForward: StatementSync
  readonly #due: StatementSync
  readonly #hold: StatementSync
  readonly #finish: StatementSync
  readonly #countForwards: StatementSync
  readonly #expire: StatementSync
  readonly #hasSegment: StatementSync
  readonly #countSender: StatementSync
  readonly #countSegments: StatementSync
  readonly #addSegment: StatementSync
  readonly #segments: StatementSync
  readonly #removeSession: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit) {
    this.#commit = commit
    this.#addForward = db.prepare('INSERT INTO relay_forwards (forward_id, sealed, due_at_ms, attempts) VALUES (?, ?, ?, 1) ON CONFLICT (forward_id) DO NOTHING')
    this.#due = db.prepare('SELECT forward_id, sealed, attempts FROM relay_forwards WHERE due_at_ms <= ? ORDER BY due_at_ms LIMIT ?')
    this.#hold = db.prepare('UPDATE relay_forwards SET due_at_ms = ?, attempts = attempts + 1 WHERE forward_id = ?')
    this.#finish = db.prepare('DELETE FROM relay_forwards WHERE forward_id = ?')
    this.#countForwards = db.prepare('SELECT count(*) AS n FROM relay_forwards')
    this.#expire = db.prepare('DELETE FROM relay_segments WHERE rowid IN (SELECT rowid FROM relay_segments WHERE stored_at_ms < ? LIMIT ?)')
    this.#hasSegment = db.prepare('SELECT 1 FROM relay_segments WHERE session_key = ? AND segment = ?')
    this.#countSender = db.prepare('SELECT count(*) AS n FROM relay_segments WHERE sender_key = ?')
    this.#countSegments = db.prepare('SELECT count(*) AS n FROM relay_segments')
    this.#addSegment = db.prepare('INSERT INTO relay_segments (session_key, segment, sender_key, total, image_length, sealed, stored_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
    this.#segments = db.prepare('SELECT segment, total, image_length, sealed FROM relay_segments WHERE session_key = ? AND stored_at_ms >= ? ORDER BY segment')
    this.#removeSession = db.prepare('DELETE FROM relay_segments WHERE session_key = ?')
  }

  async addForward (id: string, sealed: Buffer, dueAtMs: number): Promise<void> {
    checkForward(id, sealed)
    await this.#commit.run(() => { this.#addForward.run(id, sealed, dueAtMs) })
  }

  async claimDue (nowMs: number, holdUntilMs: number, limit: number): Promise<StoredForward[]> {
    return await this.#commit.run(() => this.#due.all(nowMs, limit).map(row => {
      const id = textColumn(row, 'forward_id')
      this.#hold.run(holdUntilMs, id)
      return { id, sealed: blobColumn(row, 'sealed'), attempts: integerColumn(row, 'attempts') + 1 }
    }))
  }

  async finishForward (id: string): Promise<void> {
    await this.#commit.run(() => { this.#finish.run(id) })
  }

  countForwards (): number {
    return integerColumn(this.#countForwards.get() as Record<string, SQLOutputValue>, 'n')
  }

  async addSegment (segment: NewSegment, bounds: SegmentBounds): Promise<SegmentAddOutcome> {
    checkSegment(segment)
    return await this.#commit.run(() => {
      this.#expire.run(bounds.notBeforeMs, -1)
      if (this.#hasSegment.get(segment.sessionKey, segment.segment) !== undefined) return 'duplicate'
      if (integerColumn(this.#countSender.get(segment.senderKey) as Record<string, SQLOutputValue>, 'n') >= bounds.maxPerSender) return 'full'
      if (this.countSegments() >= bounds.maxTotal) return 'full'
      this.#addSegment.run(segment.sessionKey, segment.segment, segment.senderKey, segment.total, segment.imageLength, segment.sealed, segment.storedAtMs)
      return 'stored'
    })
  }

  segmentsOf (sessionKey: string, notBeforeMs: number): StoredSegment[] {
    return this.#segments.all(sessionKey, notBeforeMs).map(segmentOf)
  }

  async removeSession (sessionKey: string): Promise<void> {
    await this.#commit.run(() => { this.#removeSession.run(sessionKey) })
  }

  async pruneSegments (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => await this.#commit.run(() => Number(this.#expire.run(cutoffMs, limit).changes)))
  }

  countSegments (): number {
    return integerColumn(this.#countSegments.get() as Record<string, SQLOutputValue>, 'n')
  }
}

function segmentOf (row: Record<string, SQLOutputValue>): StoredSegment {
  return { segment: integerColumn(row, 'segment'), total: integerColumn(row, 'total'), imageLength: integerColumn(row, 'image_length'), sealed: blobColumn(row, 'sealed') }
}
