import { createHash } from 'node:crypto'
import { allowedSmsStatuses, isFinalStatus, statusKey } from '../../domain/status-event.ts'
import type { SmsStatus, StatusEvent } from '../../domain/status-event.ts'
import type { StatusSink } from '../../gateway/status/status-sink.ts'

/** How many requests the dashboard lists, the most recently reported first. */
export const DEFAULT_DASHBOARD_REQUESTS = 50
/** How many one-second throughput samples it keeps: five minutes. */
export const DEFAULT_THROUGHPUT_SECONDS = 300
/** The width of a statuses-by-kind bucket. */
export const DEFAULT_STATUS_BUCKET_MS = 60_000
/** How many statuses-by-kind buckets it keeps: fifteen minutes. */
export const DEFAULT_STATUS_BUCKETS = 15
/** Ids longer than this are cut (with `…`): they come from clients, and a row must stay small. */
export const MAX_DASHBOARD_ID_CHARS = 128
/** Statuses kept per listed request; a request has two or three. */
const MAX_STATUSES_PER_REQUEST = 8

export interface DashboardStateOptions {
  /** Reads how many requests were taken in so far (`() => metrics.requestsTotal`), for requests per second. */
  requestsTotal?: () => number
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number
  maxRequests?: number
  throughputSeconds?: number
  statusBucketMs?: number
  statusBuckets?: number
}

/** One second of throughput. `requests` may be fractional: a gap between samples is shared out evenly. */
export interface ThroughputSample {
  readonly atMs: number
  readonly requests: number
  readonly statuses: number
}

/** The statuses reported within one bucket of time, by status. */
export interface StatusBucket {
  readonly atMs: number
  readonly counts: Readonly<Record<SmsStatus, number>>
}

/**
 * One listed request. Ids and statuses only: a status's error text can echo the recipient
 * (spec §5), so it is never kept here.
 */
export interface RequestRow {
  readonly clientId: string
  readonly correlId: string
  /** The latest status; a SENT reported after the final status does not replace it. */
  readonly status: SmsStatus
  /** The latest status's timestamp, ISO 8601. */
  readonly time: string
  readonly recallId?: string
  /** Every status reported for the request, in the order reported. */
  readonly statuses: readonly SmsStatus[]
}

/** What the dashboard's state holds at one moment. */
export interface DashboardSnapshot {
  readonly atMs: number
  /** Completed seconds, oldest first. */
  readonly throughput: readonly ThroughputSample[]
  /** The last `statusBuckets` buckets, oldest first, the current (partial) one last; empty ones included. */
  readonly statusesByKind: readonly StatusBucket[]
  /** The most recently reported requests, newest first. */
  readonly requests: readonly RequestRow[]
}

interface RowRecord {
  clientId: string
  correlId: string
  status: SmsStatus
  time: string
  recallId: string | undefined
  statuses: SmsStatus[]
}

/**
 * The dashboard's memory: the latest requests and their statuses, statuses per second and per
 * bucket of minutes, requests per second. Fed as a StatusSink (add it to the gateway's
 * StatusFanOut); every buffer is a ring of fixed size, so memory stays flat under any load.
 */
export class DashboardState implements StatusSink {
  readonly #requestsTotal: () => number
  readonly #clock: () => number
  readonly #maxRequests: number
  readonly #throughputSeconds: number
  readonly #statusBucketMs: number
  readonly #statusBuckets: number
  readonly #rows = new Map<string, RowRecord>()
  readonly #samples: ThroughputSample[] = []
  readonly #buckets: Array<{ atMs: number, counts: Record<SmsStatus, number> }> = []
  #second: number
  #secondStatuses = 0
  #lastRequestsTotal: number

  constructor (options: DashboardStateOptions = {}) {
    this.#requestsTotal = options.requestsTotal ?? (() => 0)
    this.#clock = options.clock ?? Date.now
    this.#maxRequests = options.maxRequests ?? DEFAULT_DASHBOARD_REQUESTS
    this.#throughputSeconds = options.throughputSeconds ?? DEFAULT_THROUGHPUT_SECONDS
    this.#statusBucketMs = options.statusBucketMs ?? DEFAULT_STATUS_BUCKET_MS
    this.#statusBuckets = options.statusBuckets ?? DEFAULT_STATUS_BUCKETS
    this.#second = Math.floor(this.#clock() / 1000)
    this.#lastRequestsTotal = this.#requestsTotal()
  }

  async report (event: StatusEvent): Promise<void> {
    const nowMs = this.#clock()
    this.#advance(nowMs)
    this.#secondStatuses++
    this.#bucketAt(nowMs).counts[event.status]++
    this.#remember(event)
  }

  snapshot (): DashboardSnapshot {
    const nowMs = this.#clock()
    this.#advance(nowMs)
    this.#bucketAt(nowMs)
    return {
      atMs: nowMs,
      throughput: [...this.#samples],
      statusesByKind: this.#statusesByKind(),
      requests: [...this.#rows.values()].reverse().map(row => ({
        clientId: row.clientId,
        correlId: row.correlId,
        status: row.status,
        time: row.time,
        ...(row.recallId === undefined ? {} : { recallId: row.recallId }),
        statuses: [...row.statuses]
      }))
    }
  }

  /** Every bucket of the window, the ones before the first status too, so a chart always has the same width. */
  #statusesByKind (): StatusBucket[] {
    const current = this.#buckets.at(-1) as { atMs: number }
    const byTime = new Map(this.#buckets.map(bucket => [bucket.atMs, bucket.counts]))
    return Array.from({ length: this.#statusBuckets }, (_, index) => {
      const atMs = current.atMs - (this.#statusBuckets - 1 - index) * this.#statusBucketMs
      return { atMs, counts: { ...(byTime.get(atMs) ?? emptyCounts()) } }
    })
  }

  #remember (event: StatusEvent): void {
    const key = rowKey(event.clientId, event.correlId)
    const known = this.#rows.get(key)
    const row: RowRecord = known ?? {
      clientId: clip(event.clientId),
      correlId: clip(event.correlId),
      status: event.status,
      time: event.timestamp.toISOString(),
      recallId: undefined,
      statuses: []
    }
    // Spec §4: clients must tolerate a SENT after the final status; the row keeps showing the final one.
    if (known === undefined || !isFinalStatus(row.status) || isFinalStatus(event.status)) {
      row.status = event.status
      row.time = event.timestamp.toISOString()
    }
    if (event.recallId !== undefined && event.recallId !== '') row.recallId = clip(event.recallId)
    if (row.statuses.length < MAX_STATUSES_PER_REQUEST) row.statuses.push(event.status)
    // Re-inserting moves the request to the newest end of the map's order.
    this.#rows.delete(key)
    this.#rows.set(key, row)
    if (this.#rows.size > this.#maxRequests) this.#rows.delete(this.#rows.keys().next().value as string)
  }

  /** Closes every second before the one of `nowMs` into a throughput sample. */
  #advance (nowMs: number): void {
    const second = Math.floor(nowMs / 1000)
    if (second <= this.#second) return
    const total = this.#requestsTotal()
    const elapsed = second - this.#second
    // Requests are read from a counter, not seen one by one: what came since the last sample
    // is spread over the seconds it covers.
    const requestsPerSecond = Math.max(0, total - this.#lastRequestsTotal) / elapsed
    const first = Math.max(this.#second, second - this.#throughputSeconds)
    for (let at = first; at < second; at++) {
      this.#samples.push({ atMs: at * 1000, requests: requestsPerSecond, statuses: at === this.#second ? this.#secondStatuses : 0 })
    }
    if (this.#samples.length > this.#throughputSeconds) this.#samples.splice(0, this.#samples.length - this.#throughputSeconds)
    this.#second = second
    this.#secondStatuses = 0
    this.#lastRequestsTotal = total
  }

  /** The bucket of `nowMs`, created (with the empty ones before it) when new. */
  #bucketAt (nowMs: number): { atMs: number, counts: Record<SmsStatus, number> } {
    const atMs = Math.floor(nowMs / this.#statusBucketMs) * this.#statusBucketMs
    const last = this.#buckets.at(-1)
    if (last !== undefined && last.atMs >= atMs) return last
    const from = last === undefined ? atMs : Math.max(last.atMs + this.#statusBucketMs, atMs - (this.#statusBuckets - 1) * this.#statusBucketMs)
    for (let bucketAt = from; bucketAt <= atMs; bucketAt += this.#statusBucketMs) this.#buckets.push({ atMs: bucketAt, counts: emptyCounts() })
    if (this.#buckets.length > this.#statusBuckets) this.#buckets.splice(0, this.#buckets.length - this.#statusBuckets)
    return this.#buckets.at(-1) as { atMs: number, counts: Record<SmsStatus, number> }
  }
}

function emptyCounts (): Record<SmsStatus, number> {
  return Object.fromEntries(allowedSmsStatuses.map(status => [status, 0])) as Record<SmsStatus, number>
}

/**
 * The key of a request's row: its ids as they are when short, else a hash of them, so that a
 * row takes a few hundred bytes whatever the ids (a status may carry a correl-id of 64 KiB: the
 * INVALID of an over-long one). A hash never looks like the JSON of the short form.
 */
function rowKey (clientId: string, correlId: string): string {
  const key = statusKey(clientId, correlId)
  return key.length <= MAX_DASHBOARD_ID_CHARS ? key : createHash('sha256').update(key).digest('base64url')
}

function clip (id: string): string {
  if (id.length <= MAX_DASHBOARD_ID_CHARS) return id
  // A slice of a long string keeps all of it alive in V8 (a sliced string); a copy does not.
  return `${Buffer.from(id.slice(0, MAX_DASHBOARD_ID_CHARS - 1), 'utf16le').toString('utf16le')}…`
}
