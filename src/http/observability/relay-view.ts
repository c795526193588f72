import { channel } from 'node:diagnostics_channel'
import type { Registry } from 'prom-client'
import { relayDiagnosticsChannels, relayIngressKinds, relayIngressOutcomes, relayPlatformNames, relayPublishOutcomes } from '../../domain/relay-diagnostics-channels.ts'
import { LatencyWindow, type LatencySummary } from './latency-window.ts'
import type { METRIC_NAMES } from './relay-metrics.ts'

// The relay's metrics as the dashboard shows them: the counters and gauges of relay-metrics.ts
// read back from the registry (one source: what /metrics shows), and the publish latency of the
// last minutes from a window of its own, as the outbound latency is (latency-window.ts: the
// histogram answers only to its buckets' width).

type RelayMetricName = typeof METRIC_NAMES[number]
type IngressKind = typeof relayIngressKinds[number]
type IngressOutcome = typeof relayIngressOutcomes[number]
type PublishOutcome = typeof relayPublishOutcomes[number]

/** The forwards one ingress answered or finished since start, by outcome. */
export interface RelayIngressCounts {
  readonly ingress: IngressKind
  readonly counts: Record<IngressOutcome, number>
}

/** The payloads the publisher answered for one platform since start, by outcome. */
export interface RelayPublishCounts {
  readonly platform: string
  readonly counts: Record<PublishOutcome, number>
}

/** A stored decryption's failure since start: the error code, and how often. */
export interface RelayDecryptFailure {
  readonly code: string
  readonly count: number
}

/** Counts and closed-set labels only: no identifier, number, token or content can be in it. */
export interface RelayMetricsView {
  /** Every ingress, each with every outcome (zero included), so the table keeps its shape. */
  readonly ingress: RelayIngressCounts[]
  /** The platforms published to (any outcome) since start, in the platform table's order. */
  readonly publishes: RelayPublishCounts[]
  readonly decryptions: number
  readonly decryptFailures: RelayDecryptFailure[]
  /** PublishContent's duration for payloads that named a platform, over the window. */
  readonly publishLatency: LatencySummary
  /** The gauges; null where the part that counts them does not run here. */
  readonly accounts: number | null
  readonly unknownPublications: number | null
  readonly segmentsPending: number | null
}

export interface RelayViewOptions {
  /** Milliseconds since the epoch, for the latency window; Date.now by default. */
  clock?: () => number
  latencySamples?: number
  latencyWindowMs?: number
}

const DECRYPTED = 'decrypted'

/**
 * Reads the relay's metrics (registered on `registry` by watchRelay) for the dashboard. `watch`
 * starts feeding the latency window from the publish channel; `view` reads the rest at the time
 * it is called (the gauges read the store then, as a scrape does).
 */
export class RelayView {
  readonly #registry: Registry
  readonly #clock: () => number
  readonly #latency: LatencyWindow

  constructor (registry: Registry, options: RelayViewOptions = {}) {
    this.#registry = registry
    this.#clock = options.clock ?? Date.now
    this.#latency = new LatencyWindow(options.latencySamples, options.latencyWindowMs)
  }

  /** Subscribes to the publish channel; returns a function that unsubscribes. */
  watch (): () => void {
    const onPublish = (message: unknown): void => {
      const durationMs = typeof message === 'object' && message !== null ? (message as { durationMs?: unknown }).durationMs : undefined
      // As the histogram: every answer for a platform that carries its duration.
      if (typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs >= 0) this.#latency.add(durationMs / 1000, this.#clock())
    }
    channel(relayDiagnosticsChannels.publish).subscribe(onPublish)
    return () => { channel(relayDiagnosticsChannels.publish).unsubscribe(onPublish) }
  }

  async view (): Promise<RelayMetricsView> {
    const [ingress, publishes, decryptions, accounts, unknownPublications, segmentsPending] = await Promise.all([
      this.#values('smsgw_relay_ingress_total'),
      this.#values('smsgw_relay_publishes_total'),
      this.#values('smsgw_relay_decryptions_total'),
      this.#gauge('smsgw_relay_accounts'),
      this.#gauge('smsgw_relay_publications_unknown'),
      this.#gauge('smsgw_relay_segments_pending')
    ])
    const failures = decryptions.filter(value => value.labels.outcome !== DECRYPTED && value.value > 0)
    return {
      ingress: relayIngressKinds.map(kind => ({ ingress: kind, counts: countsOf(relayIngressOutcomes, ingress.filter(value => value.labels.ingress === kind), 'outcome') })),
      publishes: relayPlatformNames
        .map(platform => ({ platform, counts: countsOf(relayPublishOutcomes, publishes.filter(value => value.labels.platform === platform), 'outcome') }))
        .filter(row => Object.values(row.counts).some(count => count > 0)),
      decryptions: decryptions.reduce((sum, value) => sum + value.value, 0),
      decryptFailures: failures.map(value => ({ code: String(value.labels.outcome), count: value.value })).sort((a, b) => a.code.localeCompare(b.code)),
      publishLatency: this.#latency.summary(this.#clock()),
      accounts,
      unknownPublications,
      segmentsPending
    }
  }

  async #values (name: RelayMetricName): Promise<Array<{ value: number, labels: Record<string, string | number | undefined> }>> {
    const metric = this.#registry.getSingleMetric(name)
    return metric === undefined ? [] : (await metric.get()).values
  }

  /** A gauge's value (its collect reads the store); null when it is not registered. */
  async #gauge (name: RelayMetricName): Promise<number | null> {
    const metric = this.#registry.getSingleMetric(name)
    if (metric === undefined) return null
    return (await metric.get()).values[0]?.value ?? null
  }
}

function countsOf<K extends string> (keys: readonly K[], values: ReadonlyArray<{ value: number, labels: Record<string, string | number | undefined> }>, label: string): Record<K, number> {
  const counts = Object.fromEntries(keys.map(key => [key, 0])) as Record<K, number>
  for (const value of values) {
    const key = value.labels[label]
    if (typeof key === 'string' && key in counts) counts[key as K] += value.value
  }
  return counts
}
