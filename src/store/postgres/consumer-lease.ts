import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { ConsumerLease } from '../embedded-store.ts'
import { advisoryLocks } from './advisory-locks.ts'

/** How long to wait before trying again when the database cannot be reached. */
const RETRY_MS = 1_000
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

/**
 * The queue's consumer lease in PostgreSQL: a session-level advisory lock held on a connection
 * of its own, for as long as that connection lives. A standby instance waits on the lock and
 * gets it the moment the holder's session ends (it stopped, crashed, or its connection broke).
 * Taking the lease bumps the epoch in smsgw_consumer_lease; marking requests done checks it.
 * The lease's connection also LISTENs for enqueue notices, so the consumer hears of requests
 * accepted by other instances at once.
 */
export class ConsumerLeases {
  readonly #options: ConsumerLeaseOptions & { listen: string, onNotification: (payload: string) => void }
  #held: { client: pg.Client, epoch: number } | undefined
  /** The session waiting for the lock, ended by close. */
  #waiting: pg.Client | undefined
  #closed = false

  constructor (options: ConsumerLeaseOptions & { listen: string, onNotification: (payload: string) => void }) {
    this.#options = options
  }

  /** The epoch of the lease this instance holds now; undefined when it holds none. */
  get epoch (): number | undefined {
    return this.#held?.epoch
  }

  /** Waits for the lease; resolves undefined when `until` aborts (or the leases close) first. */
  async acquire (until: AbortSignal): Promise<ConsumerLease | undefined> {
    while (!until.aborted && !this.#closed) {
      const client = new pg.Client({ ...this.#options.connection, keepAlive: true })
      const lost = new AbortController()
      const end = (): void => { client.end().catch(() => {}) }
      client.on('error', error => {
        this.#options.onError?.(error)
        lost.abort(error)
      })
      client.on('end', () => { lost.abort(new Error('the lease\'s connection ended')) })
      lost.signal.addEventListener('abort', () => { if (this.#held?.client === client) this.#held = undefined })
      until.addEventListener('abort', end)
      this.#waiting = client
      try {
        await client.connect()
        await client.query(`SET tcp_keepalives_idle = ${KEEPALIVE.idle}; SET tcp_keepalives_interval = ${KEEPALIVE.interval}; SET tcp_keepalives_count = ${KEEPALIVE.count}`)
        // Blocks while another instance holds it.
        await client.query('SELECT pg_advisory_lock($1, $2)', [...advisoryLocks.consumer])
        client.on('notification', message => { this.#options.onNotification(message.payload ?? '') })
        await client.query(`LISTEN ${this.#options.listen}`)
        const { rows } = await client.query<{ epoch: string }>(
          'UPDATE smsgw_consumer_lease SET epoch = epoch + 1, holder = $1, since_ms = $2 WHERE id = 1 RETURNING epoch', [`${hostname()}/${process.pid}`, Date.now()])
        if (lost.signal.aborted || until.aborted || this.#closed) throw new Error('the lease\'s connection ended while it was being taken')
        this.#held = { client, epoch: Number(rows[0]?.epoch) }
        until.removeEventListener('abort', end)
        this.#waiting = undefined
        return { lost: lost.signal }
      } catch (error) {
        until.removeEventListener('abort', end)
        end()
        this.#waiting = undefined
        if (until.aborted || this.#closed) break
        this.#options.onError?.(error)
        await sleep(RETRY_MS, undefined, { signal: until }).catch(() => {})
      }
    }
    return undefined
  }

  /** Lets go of the lease (ending its session) and stops any wait for it. */
  async close (): Promise<void> {
    this.#closed = true
    const held = this.#held
    this.#held = undefined
    await Promise.all([held?.client, this.#waiting].map(async client => { await client?.end().catch(() => {}) }))
  }
}
