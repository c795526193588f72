import { deleteInChunks } from '../retention.ts'
import { checkForward, checkSegment, type NewSegment, type RelayIngressStore, type SegmentAddOutcome, type SegmentBounds, type StoredForward, type StoredSegment } from '../relay-ingress.ts'
import type { RetryingPool } from './retrying-pool.ts'

/**
 * The relay's ingress in PostgreSQL (tables smsgw_relay_forwards and smsgw_relay_segments,
 * src/store/relay-ingress.ts). A claim is one statement that skips rows another instance is
 * claiming, so instances share the due forwards without taking one twice.
 */
export class PostgresRelayIngressTable implements RelayIngressStore {
  readonly #pool: RetryingPool

  constructor (pool: RetryingPool) {
    this.#pool = pool
  }

  async addForward (id: string, sealed: Buffer, dueAtMs: number): Promise<void> {
    checkForward(id, sealed)
    // The id is the relay's, random: a retry after a lost connection finds its own row.
    await this.#pool.query('INSERT INTO smsgw_relay_forwards (forward_id, sealed, due_at_ms, attempts) VALUES ($1, $2, $3, 1) ON CONFLICT (forward_id) DO NOTHING', [id, sealed, dueAtMs])
  }

  /** A claim retried after a lost connection finds its rows held already: they wait for the next turn. */
  async claimDue (nowMs: number, holdUntilMs: number, limit: number): Promise<StoredForward[]> {
    const { rows } = await this.#pool.query<{ forward_id: string, sealed: Buffer, attempts: number }>(
      `UPDATE smsgw_relay_forwards SET due_at_ms = $2, attempts = attempts + 1
       WHERE forward_id IN (SELECT forward_id FROM smsgw_relay_forwards WHERE due_at_ms <= $1 ORDER BY due_at_ms LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING forward_id, sealed, attempts`, [nowMs, holdUntilMs, limit])
    return rows.map(row => ({ id: row.forward_id, sealed: row.sealed, attempts: row.attempts }))
  }

  async finishForward (id: string): Promise<void> {
    await this.#pool.query('DELETE FROM smsgw_relay_forwards WHERE forward_id = $1', [id])
  }

  async countForwards (): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>('SELECT count(*) AS n FROM smsgw_relay_forwards')
    return Number(rows[0]?.n ?? 0)
  }

  /** One statement: the bounds are read in it, so concurrent adds may pass them by a few. */
  async addSegment (segment: NewSegment, bounds: SegmentBounds): Promise<SegmentAddOutcome> {
    checkSegment(segment)
    await this.#pool.query('DELETE FROM smsgw_relay_segments WHERE stored_at_ms < $1', [bounds.notBeforeMs])
    const { rows } = await this.#pool.query<{ outcome: SegmentAddOutcome }>(
      `WITH held AS (SELECT 1 FROM smsgw_relay_segments WHERE session_key = $1 AND segment = $2),
            room AS (SELECT (SELECT count(*) FROM smsgw_relay_segments WHERE sender_key = $3) < $8
                        AND (SELECT count(*) FROM smsgw_relay_segments) < $9 AS ok),
            added AS (
              INSERT INTO smsgw_relay_segments (session_key, segment, sender_key, total, image_length, sealed, stored_at_ms)
              SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM held) AND (SELECT ok FROM room)
              ON CONFLICT (session_key, segment) DO NOTHING
              RETURNING 1)
       SELECT CASE WHEN EXISTS (SELECT 1 FROM added) THEN 'stored' WHEN EXISTS (SELECT 1 FROM held) OR (SELECT ok FROM room) THEN 'duplicate' ELSE 'full' END AS outcome`,
      [segment.sessionKey, segment.segment, segment.senderKey, segment.total, segment.imageLength, segment.sealed, segment.storedAtMs, bounds.maxPerSender, bounds.maxTotal])
    return rows[0]?.outcome ?? 'full'
  }

  async segmentsOf (sessionKey: string, notBeforeMs: number): Promise<StoredSegment[]> {
    const { rows } = await this.#pool.query<{ segment: number, total: number, image_length: number, sealed: Buffer }>(
      'SELECT segment, total, image_length, sealed FROM smsgw_relay_segments WHERE session_key = $1 AND stored_at_ms >= $2 ORDER BY segment', [sessionKey, notBeforeMs])
    return rows.map(row => ({ segment: row.segment, total: row.total, imageLength: row.image_length, sealed: row.sealed }))
  }

  async removeSession (sessionKey: string): Promise<void> {
    await this.#pool.query('DELETE FROM smsgw_relay_segments WHERE session_key = $1', [sessionKey])
  }

  async pruneSegments (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query('DELETE FROM smsgw_relay_segments WHERE ctid IN (SELECT ctid FROM smsgw_relay_segments WHERE stored_at_ms < $1 LIMIT $2)', [cutoffMs, limit])
      return rowCount ?? 0
    })
  }

  async countSegments (): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>('SELECT count(*) AS n FROM smsgw_relay_segments')
    return Number(rows[0]?.n ?? 0)
  }
}
