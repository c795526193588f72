import { DatabaseSync } from 'node:sqlite'
import { DEFAULT_STORE_BUSY_TIMEOUT_MS } from '../../config/defaults.ts'
import { errorCodes, SmsgwError } from '../../errors.ts'
import type { EmbeddedStore, PruneCounts } from '../embedded-store.ts'
import { DEFAULT_RETENTION_MS, pruneStore } from '../retention.ts'
import { CorrelationTable } from './correlation-table.ts'
import { GroupCommit } from './group-commit.ts'
import { InboundTable } from './inbound-table.ts'
import { LedgerTable } from './ledger-table.ts'
import { RequestQueue } from './request-queue.ts'
import { RelayIngressTable } from './relay-ingress-table.ts'
import { RelayLimitsTable } from './relay-limits-table.ts'
import { RelayOtpsTable } from './relay-otps-table.ts'
import { RelayTokensTable } from './relay-tokens-table.ts'
import { GatewayClientsTables } from './gateway-clients-table.ts'
import { RelayPublicationsTable } from './relay-publications-table.ts'
import { RelayTable } from './relay-table.ts'
import { migrate } from './schema.ts'
import { StatusStore } from './status-store.ts'
import { allowedSynchronousModes, synchronousModes, type SynchronousMode } from '../../config/synchronous-modes.ts'

/** The WAL file is truncated back to this after a checkpoint, so it does not keep a peak's size. */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024

export interface SqliteStoreOptions {
  /** Default `full`; see synchronousModes. */
  synchronous?: SynchronousMode
  /** Default DEFAULT_STORE_BUSY_TIMEOUT_MS (config defaults). */
  busyTimeoutMs?: number
  /** How long done requests, statuses, unanswered correlations and inbound SMS are kept; default 7 days. */
  retentionMs?: number
  /** Writes gathered into one transaction at most; default DEFAULT_MAX_BATCH_WRITES. */
  maxBatchWrites?: number
  /** The clock of acceptance and storing times, ms since the epoch (tests). */
  now?: () => number
}

/**
 * The embedded store: one SQLite file in WAL mode holding the request queue, the statuses, the
 * request ledger and the correlation table. Reads are synchronous; writes go through one group
 * commit and resolve once durable. Several processes may open the same file (SQLite arbitrates
 * the writer), but in-process notifications (new requests, ledger changes) reach only the
 * instance that made the change.
 */
export class SqliteStore implements EmbeddedStore {
  readonly file: string
  readonly requests: RequestQueue
  readonly statuses: StatusStore
  readonly ledger: LedgerTable
  readonly correlations: CorrelationTable
  readonly inbound: InboundTable
  readonly relay: RelayTable
  readonly relayLimits: RelayLimitsTable
  readonly relayOtps: RelayOtpsTable
  readonly relayTokens: RelayTokensTable
  readonly gatewayClients: GatewayClientsTables
  readonly relayPublications: RelayPublicationsTable
  readonly relayIngress: RelayIngressTable
  readonly #db: DatabaseSync
  readonly #commit: GroupCommit
  readonly #retentionMs: number

  /** Opens (creating it if need be) and migrates the store in `file`. Throws if it cannot. */
  static open (file: string, options: SqliteStoreOptions = {}): SqliteStore {
    const db = new DatabaseSync(file)
    try {
      configure(db, options)
      migrate(db)
    } catch (error) {
      db.close()
      throw error
    }
    return new SqliteStore(file, db, options)
  }

  private constructor (file: string, db: DatabaseSync, options: SqliteStoreOptions) {
    const now = options.now ?? Date.now
    this.file = file
    this.#db = db
    this.#commit = new GroupCommit(db, options.maxBatchWrites === undefined ? {} : { maxBatchWrites: options.maxBatchWrites })
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS
    this.requests = new RequestQueue(db, this.#commit, now)
    this.statuses = new StatusStore(db, this.#commit, now)
    this.ledger = new LedgerTable(db, this.#commit)
    this.correlations = new CorrelationTable(db, this.#commit, now)
    this.inbound = new InboundTable(db, this.#commit, now)
    this.relay = new RelayTable(db, this.#commit, now)
    this.relayLimits = new RelayLimitsTable(db, this.#commit, now)
    this.relayOtps = new RelayOtpsTable(db, this.#commit)
    this.relayTokens = new RelayTokensTable(db, this.#commit, now)
    this.gatewayClients = new GatewayClientsTables(db, this.#commit)
    this.relayPublications = new RelayPublicationsTable(db, this.#commit)
    this.relayIngress = new RelayIngressTable(db, this.#commit)
  }

  /**
   * Deletes what is older than the retention at `now`: done requests (by acceptance time),
   * statuses and inbound SMS (by storing time) and correlation records whose final receipt never came. Queued
   * requests and ledger entries are never pruned. Resolves with the counts.
   */
  async prune (now: Date = new Date()): Promise<PruneCounts> {
    return await pruneStore(this, now, this.#retentionMs)
  }

  get location (): string {
    return this.file
  }

  /** A local file: reachable for as long as it is open. */
  async reachable (): Promise<boolean> {
    return this.#db.isOpen
  }

  /** The connection's settings as SQLite reports them: for the health check and the tests. */
  settings (): { journalMode: string, synchronous: string, busyTimeoutMs: number } {
    const read = (name: string, column = name): unknown => this.#db.prepare(`PRAGMA ${name}`).get()?.[column]
    const synchronous = read('synchronous')
    return {
      journalMode: String(read('journal_mode')),
      // SQLite answers with the level's number: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
      synchronous: ['off', 'normal', 'full', 'extra'][Number(synchronous)] ?? String(synchronous),
      busyTimeoutMs: Number(read('busy_timeout', 'timeout'))
    }
  }

  /** Commits the writes still queued and closes the file. Later writes reject. */
  close (): void {
    if (!this.#db.isOpen) return
    this.#commit.close()
    // Lets SQLite refresh the query planner's statistics where they changed, as it advises.
    this.#db.exec('PRAGMA optimize')
    this.#db.close()
  }

  [Symbol.dispose] (): void {
    this.close()
  }
}

function configure (db: DatabaseSync, options: SqliteStoreOptions): void {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_STORE_BUSY_TIMEOUT_MS
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new RangeError(`busyTimeoutMs must be a whole number of ms, got ${busyTimeoutMs}`)
  const synchronous = options.synchronous ?? synchronousModes.full
  if (!allowedSynchronousModes.includes(synchronous)) throw new RangeError(`synchronous must be one of ${allowedSynchronousModes.join(', ')}, got ${String(synchronous)}`)
  // First, so that the WAL switch below already waits for a process holding the file.
  db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`)
  const mode = db.prepare('PRAGMA journal_mode = WAL').get()?.journal_mode
  // WAL needs shared memory between the processes using the file: not on a network file system.
  if (mode !== 'wal') throw new SmsgwError(errorCodes.storeUnavailable, `the store could not switch to WAL mode (journal mode is ${String(mode)}); is it on a network file system?`)
  db.exec(`PRAGMA synchronous = ${synchronous.toUpperCase()}`)
  db.exec(`PRAGMA journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`)
}
