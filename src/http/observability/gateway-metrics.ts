import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { allowedSmsStatuses } from '../../domain/status-event.ts'
import type { StatusEvent } from '../../domain/status-event.ts'
import { describeCommandStatus } from '../../smpp/codec/index.ts'
import { allowedReceiptStats } from '../../smpp/receipts/index.ts'
import { LabelCap, OTHER_LABEL } from './label-cap.ts'
import { LatencyWindow } from './latency-window.ts'
import type { LatencySummary } from './latency-window.ts'

/** Most client ids labelled one by one, when the allowed list is a predicate that lets many through. */
export const DEFAULT_MAX_CLIENT_LABELS = 1_000
/** Most SMSC connection names labelled one by one; they come from the configuration. */
export const DEFAULT_MAX_CONNECTION_LABELS = 64
/**
 * Buckets of `smsgw_end_to_end_seconds`: a loop-back or refused request is final within
 * milliseconds, a submitted one when its receipt comes, seconds to hours later.
 */
export const DEFAULT_END_TO_END_BUCKETS_SECONDS: readonly number[] = [
  0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400
]

export interface GatewayMetricsOptions {
  /** The tenants (allowed client ids): each gets series of its own, any other client id is counted as `other`. */
  clients: Iterable<string> | ((clientId: string) => boolean)
  /** At most this many client labels, `other` aside; 1 000 by default. */
  maxClientLabels?: number
  /** At most this many connection labels, `other` aside; 64 by default. */
  maxConnectionLabels?: number
  /** The clients owning inbound SMS (`inbound.owners`): each gets series of its own, any other is `other`. */
  inboundOwners?: Iterable<string>
  /** Adds prom-client's process metrics (CPU, memory, event loop, GC) to the registry; true by default. */
  processMetrics?: boolean
  /** Upper bounds of the end-to-end histogram's buckets, in seconds. */
  endToEndBucketsSeconds?: readonly number[]
  /** Milliseconds since the epoch, for the latency window; Date.now by default. */
  clock?: () => number
}

/** One SMSC connection as the metrics last saw it. */
export interface ConnectionView {
  readonly name: string
  /** The session's state (`connecting`, `binding`, `bound`, `reconnecting`, …), or `unbound`/`unknown`. */
  readonly state: string
  readonly bound: boolean
  readonly windowInUse: number
  readonly submits: number
  readonly throttled: number
  readonly reconnects: number
}

/** The metrics' current values, read synchronously: what the dashboard shows beside its own series. */
export interface MetricsView {
  readonly requests: number
  readonly statuses: number
  readonly decryptFailures: number
  readonly inFlight: number
  readonly consumerLag: number
  readonly connections: readonly ConnectionView[]
  /** End-to-end latency (accepted to final status) over the last minutes. */
  readonly endToEnd: LatencySummary
  /** Inbound SMS since the start, by what became of them (embedded mode; zeros elsewhere). */
  readonly inbound: InboundCounts
}

/** Inbound SMS counted by outcome: counts only, never a number or a text. */
export interface InboundCounts {
  readonly stored: number
  readonly duplicate: number
  readonly refused: number
}

/** The owner label of an inbound SMS no client owns. */
const NO_OWNER_LABEL = 'none'

interface ConnectionRecord {
  state: string
  bound: boolean
  windowInUse: number
  readWindow: (() => number) | undefined
  submits: number
  throttled: number
  reconnects: number
}

/**
 * The gateway's Prometheus metrics, on a registry of their own (never prom-client's global one,
 * so two gateways in one process, or tests, do not share series). Every label value is bounded:
 * client ids by the tenant list, connection names by a count, statuses and command_status by
 * their tables. No method takes a recipient or a body, and none may be given one.
 */
export class GatewayMetrics {
  readonly registry = new Registry()
  readonly #clients: LabelCap
  readonly #connectionNames: LabelCap
  readonly #clock: () => number
  readonly #latency = new LatencyWindow()
  readonly #connections = new Map<string, ConnectionRecord>()
  readonly #inboundOwners: LabelCap
  readonly #inbound = { stored: 0, duplicate: 0, refused: 0 }
  #requests = 0
  #statuses = 0
  #decryptFailures = 0
  #inFlight = 0
  #consumerLag = 0
  #readInFlight: (() => number) | undefined
  #readConsumerLag: (() => number) | undefined

  readonly #requestsTotal: Counter
  readonly #statusesTotal: Counter<'status' | 'client'>
  readonly #decryptFailuresTotal: Counter<'client'>
  readonly #submitsTotal: Counter<'connection'>
  readonly #responsesTotal: Counter<'connection' | 'command_status'>
  readonly #throttledTotal: Counter<'connection'>
  readonly #reconnectsTotal: Counter<'connection'>
  readonly #receiptsTotal: Counter<'connection' | 'state'>
  readonly #inboundTotal: Counter<'connection' | 'owner' | 'outcome'>
  readonly #bound: Gauge<'connection'>
  readonly #windowInUse: Gauge<'connection'>
  readonly #consumerLagGauge: Gauge
  readonly #inFlightGauge: Gauge
  readonly #endToEnd: Histogram

  constructor (options: GatewayMetricsOptions) {
    const clients = typeof options.clients === 'function' ? options.clients : [...options.clients]
    this.#clients = new LabelCap({ allowed: clients, maxValues: options.maxClientLabels ?? DEFAULT_MAX_CLIENT_LABELS })
    this.#connectionNames = new LabelCap({ maxValues: options.maxConnectionLabels ?? DEFAULT_MAX_CONNECTION_LABELS })
    this.#clock = options.clock ?? Date.now
    this.#inboundOwners = new LabelCap({ allowed: options.inboundOwners ?? [], maxValues: options.maxClientLabels ?? DEFAULT_MAX_CLIENT_LABELS })
    const registers = [this.registry]
    this.#requestsTotal = new Counter({ name: 'smsgw_requests_total', help: 'Requests taken in from the queue or the API.', registers })
    this.#statusesTotal = new Counter({ name: 'smsgw_statuses_total', help: 'Statuses reported, by status and client.', labelNames: ['status', 'client'], registers })
    this.#decryptFailuresTotal = new Counter({ name: 'smsgw_decrypt_failures_total', help: 'Payloads that could not be opened, by client.', labelNames: ['client'], registers })
    this.#submitsTotal = new Counter({ name: 'smsgw_smpp_submits_total', help: 'submit_sm sent, by SMSC connection.', labelNames: ['connection'], registers })
    this.#responsesTotal = new Counter({
      name: 'smsgw_smpp_responses_total', help: 'submit_sm_resp received, by SMSC connection and command_status.', labelNames: ['connection', 'command_status'], registers
    })
    this.#throttledTotal = new Counter({ name: 'smsgw_smpp_throttled_total', help: 'Submits refused as throttled (ESME_RTHROTTLED, ESME_RMSGQFUL), by SMSC connection.', labelNames: ['connection'], registers })
    this.#reconnectsTotal = new Counter({ name: 'smsgw_smpp_reconnects_total', help: 'Sessions lost or never bound, each followed by a reconnect, by SMSC connection.', labelNames: ['connection'], registers })
    this.#inboundTotal = new Counter({
      name: 'smsgw_inbound_sms_total', help: 'Inbound SMS (embedded mode), by SMSC connection, owning client (`none`: unowned) and outcome (stored, duplicate, refused).', labelNames: ['connection', 'owner', 'outcome'], registers
    })
    this.#receiptsTotal = new Counter({ name: 'smsgw_receipts_total', help: 'Delivery receipts received, by SMSC connection and receipt state.', labelNames: ['connection', 'state'], registers })
    this.#bound = new Gauge({ name: 'smsgw_smsc_bound', help: '1 while the SMSC connection is bound, 0 otherwise.', labelNames: ['connection'], registers })
    this.#windowInUse = new Gauge({
      name: 'smsgw_smpp_window_in_use',
      help: 'Submits awaiting their response on the SMSC connection.',
      labelNames: ['connection'],
      registers,
      collect: () => { this.#readGauges() }
    })
    this.#consumerLagGauge = new Gauge({ name: 'smsgw_consumer_lag', help: 'Requests waiting on the queue, not yet taken in.', registers, collect: () => { this.#readGauges() } })
    this.#inFlightGauge = new Gauge({ name: 'smsgw_in_flight', help: 'Requests taken in whose statuses are not all out yet.', registers, collect: () => { this.#readGauges() } })
    this.#endToEnd = new Histogram({
      name: 'smsgw_end_to_end_seconds',
      help: 'Seconds from a request being accepted to its final status.',
      buckets: [...(options.endToEndBucketsSeconds ?? DEFAULT_END_TO_END_BUCKETS_SECONDS)],
      registers
    })
    this.#consumerLagGauge.set(0)
    this.#inFlightGauge.set(0)
    // Known series start at 0, so that rate() sees the first status of a tenant as an increase.
    if (typeof clients !== 'function') {
      for (const clientId of clients) {
        const client = this.#clients.label(clientId)
        for (const status of allowedSmsStatuses) this.#statusesTotal.inc({ status, client }, 0)
        this.#decryptFailuresTotal.inc({ client }, 0)
      }
    }
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry })
  }

  /** Requests taken in so far: cheap to read, for the dashboard's requests per second. */
  get requestsTotal (): number {
    return this.#requests
  }

  /** A request was taken in. */
  requestIn (): void {
    this.#requests++
    this.#requestsTotal.inc()
  }

  /** A status was reported (the gateway's StatusFanOut calls this through metricsStatusSink). */
  status (event: StatusEvent): void {
    this.#statuses++
    this.#statusesTotal.inc({ status: event.status, client: this.#clients.label(event.clientId) })
  }

  /** A sealed payload of `clientId` could not be opened. */
  decryptFailure (clientId: string): void {
    this.#decryptFailures++
    this.#decryptFailuresTotal.inc({ client: this.#clients.label(clientId) })
  }

  /** A submit_sm went out on `connection`. */
  submit (connection: string): void {
    const name = this.#connectionNames.label(connection)
    this.#connection(name).submits++
    this.#submitsTotal.inc({ connection: name })
  }

  /** A submit_sm_resp came back on `connection` with `commandStatus` (0 for ESME_ROK). */
  response (connection: string, commandStatus: number): void {
    this.#responsesTotal.inc({ connection: this.#connectionNames.label(connection), command_status: commandStatusLabel(commandStatus) })
  }

  /** The SMSC on `connection` refused a submit as throttled and the session holds its submits. */
  throttled (connection: string): void {
    const name = this.#connectionNames.label(connection)
    this.#connection(name).throttled++
    this.#throttledTotal.inc({ connection: name })
  }

  /** The session on `connection` closed or failed to bind, and a reconnect follows. */
  reconnecting (connection: string): void {
    const name = this.#connectionNames.label(connection)
    this.#connection(name).reconnects++
    this.#reconnectsTotal.inc({ connection: name })
  }

  /** A delivery receipt with `stat` `state` (`DELIVRD`, `UNDELIV`, …) came on `connection`; other values count as `other`. */
  receipt (connection: string, state: string): void {
    const stat = state.trim().toUpperCase()
    this.#receiptsTotal.inc({
      connection: this.#connectionNames.label(connection),
      state: (allowedReceiptStats as readonly string[]).includes(stat) ? stat : OTHER_LABEL
    })
  }

  /** An inbound SMS on `connection` for `owner` (undefined: none owns it) was stored, found a duplicate, or refused. */
  inboundSms (connection: string, owner: string | undefined, outcome: keyof InboundCounts): void {
    this.#inbound[outcome]++
    this.#inboundTotal.inc({
      connection: this.#connectionNames.label(connection),
      owner: owner === undefined ? NO_OWNER_LABEL : this.#inboundOwners.label(owner),
      outcome
    })
  }

  /** The session on `connection` is bound (`up`) or not. */
  bound (connection: string, up: boolean): void {
    const name = this.#connectionNames.label(connection)
    const record = this.#connection(name)
    record.bound = up
    if (up) record.state = 'bound'
    else if (record.state === 'bound' || record.state === 'unknown') record.state = 'unbound'
    this.#bound.set({ connection: name }, up ? 1 : 0)
  }

  /** The session on `connection` entered `state` (a ReconnectingSession state); sets `smsgw_smsc_bound` to match. */
  connectionState (connection: string, state: string): void {
    const name = this.#connectionNames.label(connection)
    const record = this.#connection(name)
    record.state = state
    record.bound = state === 'bound'
    this.#bound.set({ connection: name }, record.bound ? 1 : 0)
  }

  /** `n` submits on `connection` await their response. */
  windowInUse (connection: string, n: number): void {
    this.#setWindow(this.#connectionNames.label(connection), n)
  }

  /** `n` requests are in flight. */
  inFlight (n: number): void {
    this.#inFlight = n
    this.#inFlightGauge.set(n)
  }

  /** `n` requests wait on the queue. */
  lag (n: number): void {
    this.#consumerLag = n
    this.#consumerLagGauge.set(n)
  }

  /** A request reached its final status `seconds` after it was accepted. */
  endToEnd (seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) return
    this.#endToEnd.observe(seconds)
    this.#latency.add(seconds, this.#clock())
  }

  /**
   * Reads gauges when they are scraped or viewed instead of when they change: for values that
   * change on every request, such as the gateway's in-flight count. Returns a function that stops it.
   */
  track (readers: { inFlight?: () => number, consumerLag?: () => number }): () => void {
    if (readers.inFlight !== undefined) this.#readInFlight = readers.inFlight
    if (readers.consumerLag !== undefined) this.#readConsumerLag = readers.consumerLag
    return () => {
      if (this.#readInFlight === readers.inFlight) this.#readInFlight = undefined
      if (this.#readConsumerLag === readers.consumerLag) this.#readConsumerLag = undefined
    }
  }

  /** Reads `connection`'s window when scraped or viewed; returns a function that stops it. */
  trackWindow (connection: string, read: () => number): () => void {
    const record = this.#connection(this.#connectionNames.label(connection))
    record.readWindow = read
    return () => { if (record.readWindow === read) record.readWindow = undefined }
  }

  /** The current values, for the dashboard. */
  view (): MetricsView {
    this.#readGauges()
    return {
      requests: this.#requests,
      statuses: this.#statuses,
      decryptFailures: this.#decryptFailures,
      inFlight: this.#inFlight,
      consumerLag: this.#consumerLag,
      connections: [...this.#connections].map(([name, record]) => ({
        name,
        state: record.state,
        bound: record.bound,
        windowInUse: record.windowInUse,
        submits: record.submits,
        throttled: record.throttled,
        reconnects: record.reconnects
      })),
      endToEnd: this.#latency.summary(this.#clock()),
      inbound: { ...this.#inbound }
    }
  }

  /** The Prometheus text exposition of every metric. */
  async exposition (): Promise<string> {
    return await this.registry.metrics()
  }

  #readGauges (): void {
    if (this.#readInFlight !== undefined) this.inFlight(this.#readInFlight())
    if (this.#readConsumerLag !== undefined) this.lag(this.#readConsumerLag())
    for (const [name, record] of this.#connections) if (record.readWindow !== undefined) this.#setWindow(name, record.readWindow())
  }

  #setWindow (name: string, n: number): void {
    this.#connection(name).windowInUse = n
    this.#windowInUse.set({ connection: name }, n)
  }

  #connection (name: string): ConnectionRecord {
    let record = this.#connections.get(name)
    if (record === undefined) {
      record = { state: 'unknown', bound: false, windowInUse: 0, readWindow: undefined, submits: 0, throttled: 0, reconnects: 0 }
      this.#connections.set(name, record)
      this.#bound.set({ connection: name }, 0)
      this.#windowInUse.set({ connection: name }, 0)
    }
    return record
  }
}

/**
 * The `command_status` label: the SMPP name for a defined code (`ESME_ROK`, `ESME_RTHROTTLED`),
 * the hex code in the SMSC vendor range 0x400–0x4FF (256 values at most), `reserved` for
 * anything else, which would otherwise let a peer mint a series per 32-bit value.
 */
export function commandStatusLabel (commandStatus: number): string {
  const row = describeCommandStatus(commandStatus)
  if (row !== undefined) return row.name
  if (commandStatus >= 0x400 && commandStatus <= 0x4ff) return `0x${commandStatus.toString(16).padStart(8, '0')}`
  return 'reserved'
}
