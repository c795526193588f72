import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { ConsumerLease } from '../embedded-store.ts'
import { leaseLost } from '../store-errors.ts'
import { advisoryKey } from './advisory-locks.ts'
import { ABORTED, untilAborted } from './until-aborted.ts'

/** How long to wait before trying again when the database cannot be reached. */
const RETRY_MS = 1_000
/**
 * How often a standby asks for the lock. It asks (pg_try_advisory_lock) rather than waits in
 * pg_advisory_lock: a session blocked in a lock wait does not notice its client going away, and
 * standbys that stop while waiting would leave such sessions behind.
 */
const POLL_MS = 250
/**
 * TCP keepalive of the lease's session, in seconds, set on the server side: a consumer whose
 * machine vanished without closing its connection loses the lease (and a standby takes over)
 * after about idle + interval * count, not after the OS default of two hours.
 */
const KEEPALIVE = { idle: 10, interval: 5, count: 3 } as const

export interface ConsumerLeaseOptions {
  /** How to reach the database (the store's connection settings). */
  connection: pg.ClientConfig
  /** Told of a lease session that failed or could not be opened (it is retried). */
  onError?: (error: unknown) => void
}

export interface PostgresConsumerLease extends ConsumerLease {
  readonly epoch: number
}

/** What the lease's session hears on the enqueue channel: who enqueued, in which schema. */
export interface EnqueueNotice {
  readonly schema: string
  readonly instance: string
}

/**
 * The queue's consumer lease in PostgreSQL: a session-level advisory lock held on a connection
 * of its own, for as long as that connection lives. A standby instance asks for it every
 * POLL_MS and gets it once the holder's session ends (it stopped, crashed, or its connection
 * broke). Taking the lease bumps the epoch in smsgw_consumer_lease; marking requests done
 * checks it. The lease's connection also LISTENs for enqueue notices, so the consumer hears of
 * requests accepted by other instances at once.
 */
export class ConsumerLeases {
  readonly #options: ConsumerLeaseOptions & { listen: string, onNotification: (notice: EnqueueNotice) => void }
  readonly #closing = new AbortController()
  readonly #sessions = new Set<pg.Client>()

  constructor (options: ConsumerLeaseOptions & { listen: string, onNotification: (notice: EnqueueNotice) => void }) {
    this.#options = options
  }

  /** Waits for the lease; resolves undefined when `until` aborts (or the leases close) first. */
  async acquire (until: AbortSignal): Promise<PostgresConsumerLease | undefined> {
    const stop = AbortSignal.any([until, this.#closing.signal])
    while (!stop.aborted) {
      const client = new pg.Client(this.#options.connection)
      this.#sessions.add(client)
      const lost = new AbortController()
      client.on('error', error => { lost.abort(error) })
      client.on('end', () => {
        this.#sessions.delete(client)
        lost.abort(leaseLost('the lease\'s connection ended'))
      })
      try {
        const epoch = await this.#take(client, lost.signal, stop)
        if (epoch !== undefined) return { lost: lost.signal, epoch }
      } catch (error) {
        if (!stop.aborted) this.#options.onError?.(error)
      }
      await client.end().catch(() => {})
      this.#sessions.delete(client)
      await sleep(RETRY_MS, undefined, { signal: stop }).catch(() => {})
    }
    return undefined
  }

  /** Lets go of the lease (ending its session) and stops any wait for it. */
  async close (): Promise<void> {
    this.#closing.abort()
    await Promise.all([...this.#sessions].map(async client => { await client.end().catch(() => {}) }))
  }

  // Resolves with the new epoch once `client` holds the lock; undefined when `stop` aborts first.
  async #take (client: pg.Client, lost: AbortSignal, stop: AbortSignal): Promise<number | undefined> {
    // pg settles no connect() that end() interrupted: race it against `stop` instead.
    if (await untilAborted(client.connect(), stop) === ABORTED) return undefined
    await client.query(`SET tcp_keepalives_idle = ${KEEPALIVE.idle}; SET tcp_keepalives_interval = ${KEEPALIVE.interval}; SET tcp_keepalives_count = ${KEEPALIVE.count}`)
    const { rows: [where] } = await client.query<{ schema: string }>('SELECT current_schema() AS schema')
    const schema = where?.schema ?? ''
    for (;;) {
      if (stop.aborted) return undefined
      if (lost.aborted) throw lost.reason
      const { rows: [answer] } = await client.query<{ held: boolean }>(`SELECT pg_try_advisory_lock(${advisoryKey('consumer')}) AS held`)
      if (answer?.held === true) break
      await sleep(POLL_MS, undefined, { signal: stop }).catch(() => {})
    }
    client.on('notification', message => {
      const notice = parseNotice(message.payload)
      if (notice?.schema === schema) this.#options.onNotification(notice)
    })
    await client.query(`LISTEN ${this.#options.listen}`)
    const { rows } = await client.query<{ epoch: string }>(
      'UPDATE smsgw_consumer_lease SET epoch = epoch + 1, holder = $1, since_ms = $2 WHERE id = 1 RETURNING epoch', [`${hostname()}/${process.pid}`, Date.now()])
    if (lost.aborted) throw lost.reason
    if (stop.aborted) return undefined
    return Number(rows[0]?.epoch)
  }
}

/** The payload of an enqueue notice: `<schema>/<instance>` (schema names may hold a slash; instance ids do not). */
export function noticePayloadSql (instanceParameter: string): string {
  return `current_schema() || '/' || ${instanceParameter}`
}

function parseNotice (payload: string | undefined): EnqueueNotice | undefined {
  const slash = payload?.lastIndexOf('/') ?? -1
  if (payload === undefined || slash < 0) return undefined
  return { schema: payload.slice(0, slash), instance: payload.slice(slash + 1) }
}
