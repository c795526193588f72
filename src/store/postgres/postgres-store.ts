import pg from 'pg'
import { DEFAULT_STORE_POOL_SIZE } from '../../config/defaults.ts'
import { errorCodes, isSmsgwError, SmsgwError } from '../../errors.ts'
import type { EmbeddedStore, PruneCounts } from '../embedded-store.ts'
import { DEFAULT_RETENTION_MS, pruneStore } from '../retention.ts'
import { PostgresCorrelationTable } from './correlation-table.ts'
import { PostgresInboundTable } from './inbound-table.ts'
import { PostgresLedgerTable } from './ledger-table.ts'
import { PostgresRelayIngressTable } from './relay-ingress-table.ts'
import { PostgresRelayLimitsTable } from './relay-limits-table.ts'
import { PostgresRelayOtpsTable } from './relay-otps-table.ts'
import { PostgresRelayTokensTable } from './relay-tokens-table.ts'
import { PostgresGatewayClientsTables } from './gateway-clients-table.ts'
import { PostgresRelayPublicationsTable } from './relay-publications-table.ts'
import { PostgresRelayTable } from './relay-table.ts'
import { PostgresRequestQueue } from './request-queue.ts'
import { RetryingPool } from './retrying-pool.ts'
import { migrate } from './schema.ts'
import { PostgresStatusStore } from './status-store.ts'

/** How long reachable() waits for the database's answer. */
const REACHABLE_TIMEOUT_MS = 2_000
/**
 * How long a query or a new connection may take before it fails (and its caller retries or
 * reports): a server that hangs (a network partition) must not hang the gateway's pipeline.
 */
const QUERY_TIMEOUT_MS = 30_000
const CONNECT_TIMEOUT_MS = 10_000

export interface PostgresStoreOptions {
  /** Connections in the pool (the consumer lease takes one more); default DEFAULT_STORE_POOL_SIZE. */
  poolSize?: number
  /** How long done requests, statuses, unanswered correlations and inbound SMS are kept; default 7 days. */
  retentionMs?: number
  /** Told of errors on idle connections and of lease sessions that failed; they are retried. */
  onError?: (error: unknown) => void
  /** The clock of acceptance and storing times, ms since the epoch (tests). */
  now?: () => number
}

/**
 * The embedded store in PostgreSQL, for operators who have one and for several gateways sharing
 * one queue: every instance accepts requests (the HTTP API), one at a time consumes them (the
 * consumer lease), and a standby takes over when it goes. Durability is the server's: a request
 * is accepted once its COMMIT returned (with the default synchronous_commit, flushed to the
 * server's WAL).
 */
export class PostgresStore implements EmbeddedStore {
  readonly location: string
  readonly requests: PostgresRequestQueue
  readonly statuses: PostgresStatusStore
  readonly ledger: PostgresLedgerTable
  readonly correlations: PostgresCorrelationTable
  readonly inbound: PostgresInboundTable
  readonly relay: PostgresRelayTable
  readonly relayLimits: PostgresRelayLimitsTable
  readonly relayOtps: PostgresRelayOtpsTable
  readonly relayTokens: PostgresRelayTokensTable
  readonly gatewayClients: PostgresGatewayClientsTables
  readonly relayPublications: PostgresRelayPublicationsTable
  readonly relayIngress: PostgresRelayIngressTable
  readonly #pool: pg.Pool
  readonly #retentionMs: number
  #closed = false

  /** Connects to `url`, creates or migrates the schema. Rejects when it cannot. */
  static async open (url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const connection: pg.ClientConfig = { connectionString: url, application_name: 'smsgw', connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true }
    const pool = new pg.Pool({ ...connection, query_timeout: QUERY_TIMEOUT_MS, max: options.poolSize ?? DEFAULT_STORE_POOL_SIZE })
    // An idle connection that breaks (the server restarted) is dropped by the pool and replaced
    // on the next query; without a listener, node would end the process over it.
    pool.on('error', error => options.onError?.(error))
    let schema: string
    try {
      await migrate(pool)
      schema = String((await pool.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema)
    } catch (error) {
      await pool.end()
      // A newer schema keeps its code: what to do about it differs from a server that cannot be reached.
      const code = isSmsgwError(error, errorCodes.storeSchemaNewer) ? errorCodes.storeSchemaNewer : errorCodes.storeUnavailable
      throw new SmsgwError(code, `cannot open the PostgreSQL store at ${withoutPassword(url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    }
    return new PostgresStore(url, pool, { connection, schema }, options)
  }

  private constructor (url: string, pool: pg.Pool, { connection, schema }: { connection: pg.ClientConfig, schema: string }, options: PostgresStoreOptions) {
    const now = options.now ?? Date.now
    this.location = withoutPassword(url)
    this.#pool = pool
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS
    const queries = new RetryingPool(pool)
    this.requests = new PostgresRequestQueue(queries, { connection, now, ...(options.onError === undefined ? {} : { onError: options.onError }) })
    this.statuses = new PostgresStatusStore(queries, { now, connection, schema, ...(options.onError === undefined ? {} : { onError: options.onError }) })
    this.ledger = new PostgresLedgerTable(queries)
    this.correlations = new PostgresCorrelationTable(queries, now)
    this.inbound = new PostgresInboundTable(queries, { now, connection, schema, ...(options.onError === undefined ? {} : { onError: options.onError }) })
    this.relay = new PostgresRelayTable(queries, now)
    this.relayLimits = new PostgresRelayLimitsTable(queries, now)
    this.relayOtps = new PostgresRelayOtpsTable(queries)
    this.relayTokens = new PostgresRelayTokensTable(queries, now)
    this.gatewayClients = new PostgresGatewayClientsTables(queries)
    this.relayPublications = new PostgresRelayPublicationsTable(queries)
    this.relayIngress = new PostgresRelayIngressTable(queries)
  }

  async prune (now: Date = new Date()): Promise<PruneCounts> {
    return await pruneStore(this, now, this.#retentionMs)
  }

  async reachable (): Promise<boolean> {
    if (this.#closed) return false
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<boolean>(resolve => { timer = setTimeout(() => resolve(false), REACHABLE_TIMEOUT_MS) })
    const answer = this.#pool.query('SELECT 1').then(() => true, () => false)
    try {
      return await Promise.race([answer, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Waits for the enqueues on their way, lets go of the consumer lease and closes the pool. */
  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.requests.close()
    await this.statuses.close()
    await this.inbound.close()
    await this.#pool.end()
  }
}

/** The URL as logs may show it: node-postgres reads a password from the user info and from `?password=`. */
function withoutPassword (url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***')
    return parsed.toString()
  } catch {
    return 'postgres://(an unparsable URL)'
  }
}
