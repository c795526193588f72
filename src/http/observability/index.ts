export { subscribeDiagnostics } from './diagnostics.ts'
export {
  commandStatusLabel, DEFAULT_END_TO_END_BUCKETS_SECONDS, DEFAULT_MAX_CLIENT_LABELS, DEFAULT_MAX_CONNECTION_LABELS, GatewayMetrics
} from './gateway-metrics.ts'
export type { ConnectionView, GatewayMetricsOptions, MetricsView } from './gateway-metrics.ts'
export { LabelCap, OTHER_LABEL } from './label-cap.ts'
export type { LabelCapOptions } from './label-cap.ts'
export { DEFAULT_LATENCY_SAMPLES, DEFAULT_LATENCY_WINDOW_MS, LatencyWindow } from './latency-window.ts'
export type { LatencySummary } from './latency-window.ts'
export { metricsStatusSink, watchGateway, watchSession } from './metric-sources.ts'
export type { WatchedSession } from './metric-sources.ts'
export { DEFAULT_READINESS_TIMEOUT_MS, observabilityPlugin } from './observability-plugin.ts'
export type { ObservabilityPluginOptions, Readiness } from './observability-plugin.ts'
