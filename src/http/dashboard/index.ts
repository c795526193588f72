export { dashboardPlugin } from './dashboard-plugin.ts'
export type { DashboardFrame, DashboardPluginOptions, HistoryEntry } from './dashboard-plugin.ts'
export {
  DashboardState, DEFAULT_DASHBOARD_REQUESTS, DEFAULT_STATUS_BUCKET_MS, DEFAULT_STATUS_BUCKETS, DEFAULT_THROUGHPUT_SECONDS,
  MAX_DASHBOARD_ID_CHARS
} from './dashboard-state.ts'
export type { DashboardSnapshot, DashboardStateOptions, RequestRow, StatusBucket, ThroughputSample } from './dashboard-state.ts'
export { DEFAULT_FRAME_INTERVAL_MS, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_VIEWERS, SnapshotBroadcast } from './snapshot-broadcast.ts'
export type { SnapshotBroadcastOptions } from './snapshot-broadcast.ts'
export { gatewayClientRow, MAX_PANEL_GATEWAY_CLIENTS, relayPanelOf } from './relay-panel.ts'
export type { GatewayClientRow, RelayPanel, RelayPanelSources } from './relay-panel.ts'
