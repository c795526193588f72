import { randomUUID } from 'node:crypto'
import type { ConsumerLease, QueuedRequest, RequestQueueStore } from '../embedded-store.ts'
import { deleteInChunks } from '../retention.ts'
import { leaseLost } from '../store-errors.ts'
import { advisoryKey } from './advisory-locks.ts'
import { ConsumerLeases, noticePayloadSql, type ConsumerLeaseOptions, type PostgresConsumerLease } from './consumer-lease.ts'
import { SerialBatches } from './serial-batches.ts'
import type { RetryingPool } from './retrying-pool.ts'

/** Enqueue calls (each a batch of requests) gathered into one INSERT at most. */
const MAX_GATHERED_CALLS = 500
/** One value to enqueue, with the id that makes storing it idempotent. */
interface Enqueued {
  readonly value: string
  readonly id: string
}

/** The channel on which enqueueing instances tell the consumer there is more. */
export const ENQUEUED_CHANNEL = 'smsgw_requests'

/**
 * The durable request queue in PostgreSQL (table smsgw_requests), with the SQLite queue's
 * semantics for several instances at once.
 *
 * Why seq order is still commit order: identity values are handed out before commit, so two
 * transactions could commit seqs 8 and 7 in that order, and a reader that saw 8 would skip 7
 * for ever. Every enqueue therefore takes an advisory transaction lock before it takes seqs and
 * holds it through its commit: enqueues commit one after another, each batch whole.
 * Enqueues of one instance go in batches (one statement for everything accepted while the
 * previous batch was being written), so the lock costs one WAL flush per batch, not per request.
 *
 * Marking done is fenced by the consumer lease the requests were read under: it succeeds only
 * while that lease's epoch is the current one, so an attempt from before a lost lease (whose
 * requests the next holder, this instance or another, reads again) cannot mark them done
 * behind the new reader's back.
 */
export class PostgresRequestQueue implements RequestQueueStore {
  readonly #pool: RetryingPool
  readonly #now: () => number
  readonly #instance = randomUUID()
  readonly #batches: SerialBatches<readonly Enqueued[], number[]>
  readonly #leases: ConsumerLeases
  readonly #enqueuedListeners = new Set<() => void>()

  constructor (pool: RetryingPool, options: ConsumerLeaseOptions & { now?: () => number }) {
    this.#pool = pool
    this.#now = options.now ?? Date.now
    this.#batches = new SerialBatches(async batch => await this.#insert(batch), MAX_GATHERED_CALLS)
    this.#leases = new ConsumerLeases({
      ...options,
      listen: ENQUEUED_CHANNEL,
      onNotification: notice => { if (notice.instance !== this.#instance) this.#tellEnqueued() }
    })
  }

  /** Resolves with the seqs once the batch is committed, then tells the onEnqueued listeners. */
  async enqueue (values: readonly string[]): Promise<number[]> {
    if (values.length === 0) return []
    const seqs = await this.#batches.add(values.map(value => ({ value, id: randomUUID() })))
    this.#tellEnqueued()
    return seqs
  }

  async queuedAfter (afterSeq: number, limit: number): Promise<QueuedRequest[]> {
    const { rows } = await this.#pool.query<{ seq: string, value: string }>(
      "SELECT seq, value FROM smsgw_requests WHERE state = 'queued' AND seq > $1 ORDER BY seq LIMIT $2", [afterSeq, limit])
    return rows.map(row => ({ seq: Number(row.seq), value: row.value }))
  }

  async markDone (seq: number, lease: ConsumerLease): Promise<number> {
    const { epoch } = lease as PostgresConsumerLease
    if (lease.lost.aborted || epoch === undefined) throw leaseLost('the queue\'s consumer lease was lost: the next holder reads these requests again')
    // FOR SHARE: a new consumer's epoch bump waits for this statement and the other way round,
    // so either this marks them before the new consumer reads the queue, or it marks none.
    const { rows } = await this.#pool.query<{ held: string, marked: string }>(`
      WITH lease AS (SELECT epoch FROM smsgw_consumer_lease WHERE id = 1 AND epoch = $2 FOR SHARE),
           marked AS (UPDATE smsgw_requests SET state = 'done' FROM lease WHERE state = 'queued' AND seq <= $1 RETURNING 1)
      SELECT (SELECT count(*) FROM lease) AS held, (SELECT count(*) FROM marked) AS marked`, [seq, epoch])
    const row = rows[0]
    if (row === undefined || Number(row.held) === 0) throw leaseLost('the queue\'s consumer lease passed to another instance: it reads these requests again')
    return Number(row.marked)
  }

  async countQueued (): Promise<number> {
    const { rows } = await this.#pool.query<{ count: string }>("SELECT count(*) AS count FROM smsgw_requests WHERE state = 'queued'")
    return Number(rows[0]?.count ?? 0)
  }

  async isQueued (seq: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query("SELECT 1 FROM smsgw_requests WHERE seq = $1 AND state = 'queued'", [seq])
    return rowCount === 1
  }

  /** Whether a queued request's value starts with `valuePrefix` (starts_with: no LIKE wildcards). */
  async hasQueuedValue (valuePrefix: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query("SELECT 1 FROM smsgw_requests WHERE state = 'queued' AND starts_with(value, $1) LIMIT 1", [valuePrefix])
    return rowCount === 1
  }

  /** Listeners hear this instance's batches, and other instances' while this one holds the lease. */
  onEnqueued (listener: () => void): () => void {
    this.#enqueuedListeners.add(listener)
    return () => { this.#enqueuedListeners.delete(listener) }
  }

  async leaseConsumer (until: AbortSignal): Promise<PostgresConsumerLease | undefined> {
    return await this.#leases.acquire(until)
  }

  /** Deletes done requests accepted before `cutoffMs`, a chunk per transaction; resolves with how many. */
  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query(`DELETE FROM smsgw_requests WHERE seq IN (
        SELECT seq FROM smsgw_requests WHERE state = 'done' AND accepted_at_ms < $1 ORDER BY seq LIMIT $2)`, [cutoffMs, limit])
      return rowCount ?? 0
    })
  }

  /** Waits for the batches on their way, then lets go of the lease. */
  async close (): Promise<void> {
    await this.#batches.settled()
    await this.#leases.close()
  }

  // One statement, so one transaction: the lock (taken before any seq), the rows in the
  // callers' order, and the notice to the consumer, delivered at commit. Each value carries the
  // enqueue id its call gave it: when the connection broke after a commit, the retry (by the
  // pool, or value by value) inserts nothing again and finds the seqs already given. Without
  // it, one accepted request could be queued twice and, once the first copy was forgotten by
  // the ledger, submitted twice.
  async #insert (batches: ReadonlyArray<readonly Enqueued[]>): Promise<number[][]> {
    const enqueued = batches.flat()
    const ids = enqueued.map(({ id }) => id)
    const { rows } = await this.#pool.query<{ seq: string, enqueue_id: string }>(`
      WITH ordered AS (SELECT pg_advisory_xact_lock(${advisoryKey('queueOrder')})),
           inserted AS (
             INSERT INTO smsgw_requests (value, accepted_at_ms, state, enqueue_id)
             SELECT value, $2, 'queued', id FROM ordered, unnest($1::text[], $4::uuid[]) WITH ORDINALITY AS given (value, id, position) ORDER BY position
             ON CONFLICT (enqueue_id) DO NOTHING
             RETURNING seq, enqueue_id)
      SELECT seq, enqueue_id, pg_notify('${ENQUEUED_CHANNEL}', ${noticePayloadSql('$3')}) FROM inserted`, [enqueued.map(({ value }) => value), this.#now(), this.#instance, ids])
    const stored = rows.length === ids.length
      ? rows
      : (await this.#pool.query<{ seq: string, enqueue_id: string }>('SELECT seq, enqueue_id FROM smsgw_requests WHERE enqueue_id = ANY($1::uuid[])', [ids])).rows
    const seqOf = new Map(stored.map(row => [row.enqueue_id, Number(row.seq)]))
    return batches.map(batch => batch.map(({ id }) => seqOf.get(id) as number))
  }

  #tellEnqueued (): void {
    for (const listener of [...this.#enqueuedListeners]) listener()
  }
}
