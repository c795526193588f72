import type { Awaitable } from '../async/awaitable.ts'
import type { CorrelationRecord } from '../domain/correlation-record.ts'
import type { InboundRecord, StoredInbound } from '../domain/stored-inbound.ts'
import type { LedgerEntry, LedgerRecord } from '../domain/ledger-record.ts'
import type { StatusEvent } from '../domain/status-event.ts'
import type { GatewayClientRegistryStore } from './gateway-clients.ts'
import type { RelayAccountStore } from './relay-accounts.ts'
import type { RelayIngressStore } from './relay-ingress.ts'
import type { RelayLimitStore } from './relay-limits.ts'
import type { RelayOtpStore } from './relay-otps.ts'
import type { RelayTokenStore } from './relay-tokens.ts'
import type { RelayPublicationStore } from './relay-publications.ts'

// What the embedded deployment keeps, whatever keeps it: a SQLite file on this machine
// (src/store/sqlite) or a PostgreSQL database shared by several instances (src/store/postgres).
// The embedded transport (src/transport/embedded) works on these interfaces only. Reads are
// `Awaitable`: SQLite answers them synchronously, PostgreSQL over the network.

export type { Awaitable }

/** One accepted request waiting in the queue. */
export interface QueuedRequest {
  /** Its place in the queue: ascending in the order requests were accepted, never reused. */
  readonly seq: number
  /** The sealed request JSON (spec §2), as accepted. */
  readonly value: string
}

/** How many rows one prune deleted, per table. */
export interface PruneCounts {
  readonly requests: number
  readonly statuses: number
  readonly correlations: number
  readonly inbound: number
}

/**
 * The right to consume the queue. Several gateways may share one store, but only one consumes
 * at a time: two would both read every request. `lost` aborts when another instance may have
 * taken over; the holder stops reading then and asks again.
 */
export interface ConsumerLease {
  readonly lost: AbortSignal
}

/**
 * The durable request queue. Requests are accepted in batches, read in seq order, and marked
 * done by prefix. Once a reader has seen seq N, no request with a smaller seq can appear later:
 * a reader that remembers the last seq it saw never misses one.
 */
export interface RequestQueueStore {
  /** Stores `values` as one batch, all or none; resolves with their seqs once durable. */
  enqueue: (values: readonly string[]) => Promise<number[]>
  /** Up to `limit` queued requests with a seq above `afterSeq`, oldest first. */
  queuedAfter: (afterSeq: number, limit: number) => Awaitable<QueuedRequest[]>
  /**
   * Marks every queued request up to `seq` done; resolves with how many once durable. `lease`
   * is the one the requests were read under: when it has been lost since (even if this instance
   * holds a newer one), this rejects, because the next holder reads them again, and a request
   * marked done and forgotten by the ledger behind its back could be handed out a second time.
   */
  markDone: (seq: number, lease: ConsumerLease) => Promise<number>
  /** How many requests are queued. */
  countQueued: () => Awaitable<number>
  /** Whether the request `seq` is queued (false once done, pruned, or when there is none). */
  isQueued: (seq: number) => Awaitable<boolean>
  /**
   * Whether a queued request's value starts with `valuePrefix` (requestValuePrefix: a client's
   * correl-id). Reads the queued requests only, through their partial index.
   */
  hasQueuedValue: (valuePrefix: string) => Awaitable<boolean>
  /**
   * Calls `listener` after batches are enqueued (by this instance, and by others where the store
   * can tell); with the committed batch itself where the store hands it on (SQLite, this
   * process's batches), so that a reader may take it without reading it back.
   */
  onEnqueued: (listener: (batch?: readonly QueuedRequest[]) => void) => () => void
  /** Resolves once this instance is the queue's consumer; undefined when `until` aborts first. */
  leaseConsumer: (until: AbortSignal) => Promise<ConsumerLease | undefined>
}

/** Every status reported, as its `sms-status` JSON (spec §4), oldest first per request. */
export interface StatusHistoryStore {
  /**
   * Stores one status; resolves with it as history gives it back, once durable. A status with
   * a recall-id is stored once per request, state and recall-id (statusOnceKey): when that one
   * is stored already, this stores nothing and resolves with undefined (once the stored one is
   * durable).
   */
  append: (event: StatusEvent) => Promise<StatusEvent | undefined>
  history: (clientId: string, correlId: string) => Awaitable<StatusEvent[]>
  /**
   * Calls `listener` with each status another instance sharing the store appends, as the store
   * hears of it (live, best effort: history has them all); returns a function that stops it.
   * Absent where no other instance can share the store.
   */
  onAppendedElsewhere?: (listener: (event: StatusEvent) => void) => () => void
}

/**
 * The request ledger's entries: the fold of its records (applyLedgerRecord). `apply` is a
 * compare-and-set: of two records racing for a key, the store's order decides, for every
 * instance sharing the store.
 */
export interface LedgerStore {
  get: (key: string) => Awaitable<LedgerEntry | undefined>
  /** Every entry, by key: requests in flight only, a few, not the traffic. */
  all: () => Awaitable<Array<{ key: string, entry: LedgerEntry }>>
  /** Applies one record (null: the tombstone); resolves with the entry it leaves, once durable. */
  apply: (key: string, record: LedgerRecord | null) => Promise<LedgerEntry | undefined>
  count: () => Awaitable<number>
}

/** Which request an SMSC message id belongs to, by correlationKey, with the `correl-id` topic's JSON. */
export interface CorrelationStore {
  get: (key: string) => Awaitable<CorrelationRecord | undefined>
  /** Stores `record` under `key`, replacing what was there; resolves once durable. */
  put: (key: string, record: CorrelationRecord) => Promise<void>
  /** Deletes the record under `key`; resolves with whether there was one, once durable. */
  remove: (key: string) => Promise<boolean>
}

/** A duplicate key: the hex of an HMAC-SHA256 (docs/inbound-sms.md, "De-duplication"). */
export const INBOUND_DUPLICATE_KEY = /^[0-9a-f]{64}$/

/**
 * Mobile-originated SMS received in embedded mode, sealed to their owners (stored-inbound.ts),
 * de-duplicated: an SMSC delivers again what it saw no deliver_sm_resp for.
 */
export interface InboundSmsStore {
  /**
   * Stores `record` unless one with the same `duplicateKey` was stored in the last `windowMs`
   * (by the store's clock); resolves, once durable, with the record and its id, or undefined
   * for a duplicate. Safe to retry: a retry of a committed add finds its own key. Rejects,
   * storing nothing, a record checkInboundRecord refuses or a key that is not 64 hex digits.
   */
  add: (record: InboundRecord, duplicateKey: string, windowMs: number) => Promise<StoredInbound | undefined>
  /** Up to `limit` of `owner`'s messages with an id above `afterId`, oldest first. */
  listAfter: (owner: string, afterId: number, limit: number) => Awaitable<StoredInbound[]>
  /**
   * Calls `listener` with each message another instance sharing the store adds, as the store
   * hears of it (live, best effort: listAfter has them all); returns a function that stops it.
   * Absent where no other instance can share the store.
   */
  onAddedElsewhere?: (listener: (message: StoredInbound) => void) => () => void
}

export interface EmbeddedStore {
  /** Where it is, for logs: a file, or a database URL without its password. */
  readonly location: string
  readonly requests: RequestQueueStore
  readonly statuses: StatusHistoryStore
  readonly ledger: LedgerStore
  readonly correlations: CorrelationStore
  readonly inbound: InboundSmsStore
  /** The relay vault's accounts (src/store/relay-accounts.ts); the outbound side never reads them. */
  readonly relay: RelayAccountStore
  /** The relay vault's rate limits (src/store/relay-limits.ts), kept across restarts and instances. */
  readonly relayLimits: RelayLimitStore
  /** The relay vault's one-time codes (src/store/relay-otps.ts), so another instance can verify a code. */
  readonly relayOtps: RelayOtpStore
  /** The platform tokens of relay accounts (src/store/relay-tokens.ts), sealed; they go with their account. */
  readonly relayTokens: RelayTokenStore
  /** The relay's gateway clients and their reliability tests (src/store/gateway-clients.ts). */
  readonly gatewayClients: GatewayClientRegistryStore
  /** The publisher's record of each payload (src/store/relay-publications.ts): at most one post per payload. */
  readonly relayPublications: RelayPublicationStore
  /** The relay's ingress (src/store/relay-ingress.ts): forwards not yet handed to the publisher, image-text segments. */
  readonly relayIngress: RelayIngressStore
  /**
   * Deletes what is older than the retention at `now`: done requests, statuses, correlation
   * records whose final receipt never came, inbound SMS and their duplicate keys. Queued requests and ledger entries are never pruned.
   */
  prune: (now?: Date) => Promise<PruneCounts>
  /** Whether the store answers now: for /readyz. */
  reachable: () => Promise<boolean>
  /** Commits the writes still queued and lets go of the store. Later writes reject. */
  close: () => Awaitable<void>
}
