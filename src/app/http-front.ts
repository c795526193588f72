import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { Awaitable } from '../async/awaitable.ts'
import type { InboundFeed } from '../gateway/inbound/inbound-feed.ts'
import type { RequestIngress } from '../gateway/request-ingress.ts'
import type { RunningGateway } from './outbound-gateway.ts'
import type { StatusFeed } from '../gateway/status/status-feed.ts'
import { buildHttpApp } from '../http/app.ts'
import type { ApiKeyFile } from '../http/api-keys/index.ts'
import { dashboardPlugin } from '../http/dashboard/dashboard-plugin.ts'
import type { DashboardState } from '../http/dashboard/dashboard-state.ts'
import { relayPanelOf } from '../http/dashboard/relay-panel.ts'
import type { GatewayMetrics } from '../http/observability/gateway-metrics.ts'
import { watchGateway, watchSession } from '../http/observability/metric-sources.ts'
import { observabilityPlugin } from '../http/observability/observability-plugin.ts'
import { subscribeDiagnostics } from '../http/observability/diagnostics.ts'
import { watchRelay } from '../http/observability/relay-metrics.ts'
import { RelayView } from '../http/observability/relay-view.ts'
import { OperatorSessions } from '../http/operator/operator-session.ts'
import type { DestinationPolicy } from '../http/webhooks/destination-policy.ts'
import { watchUnknownOutcomes } from '../http/observability/unknown-outcomes-metric.ts'
import { unknownOutcomeRoutes } from '../http/api/unknown-outcome-routes.ts'
import type { Logger } from '../log/logger.ts'
import type { GatewayClientStore } from '../store/gateway-clients.ts'

export interface HttpFrontOptions {
  ingress: RequestIngress
  statuses: StatusFeed
  /** Inbound SMS stored for their owners (embedded mode only). */
  inbound?: InboundFeed
  apiKeys: ApiKeyFile
  running: RunningGateway
  metrics: GatewayMetrics
  dashboard: DashboardState
  rateLimit: { requestsPerSecond: number, burst: number }
  /** Where webhooks may post: the configuration's webhooks.allowedDestinations. */
  webhookDestinations: DestinationPolicy
  /** /metrics asks for an operator key too (config http.protectMetrics). */
  protectMetrics: boolean
  /** Whether the queue (the store, or the broker) is reachable, for /readyz. */
  transportReady: () => Awaitable<boolean>
  /** The relay vault's accounts in the store, where the vault runs (the accounts gauge). */
  relayAccounts?: () => Awaitable<number>
  /** Publications whose outcome is unknown, where the publisher runs (src/relay/publisher/, the gauge). */
  relayUnknownPublications?: () => Awaitable<number>
  /** The image-text segments waiting in the store, where the relay's ingress runs (the segments gauge). */
  relaySegments?: () => Awaitable<number>
  /** The relay's HTTP routes where the relay runs (/v3/publish, /v3/clients, /v1/platforms: relay-wire.md §5). */
  relayRoutes?: readonly FastifyPluginAsync[]
  /** Where the relay runs: the dashboard's relay panel, with the gateway-client registry it lists (without numbers). */
  relayPanel?: { gatewayClients: Pick<GatewayClientStore, 'list'> }
  log: Logger
}

/**
 * The HTTP side of a running gateway, embedded or on Kafka: the API with its docs, webhooks,
 * metrics, health and the dashboard. Not listening: the caller listens. Closing the app stops
 * watching the gateway.
 */
export async function buildHttpFront (options: HttpFrontOptions): Promise<FastifyInstance> {
  const { running, metrics, dashboard } = options
  // The operator keys live in the API key file; the sessions of dashboard logins last as long as this app.
  const operators = { keys: options.apiKeys, sessions: new OperatorSessions() }
  // Where the relay runs, the dashboard's relay panel: the relay's metrics read back, and the registry.
  const relayPanel = options.relayPanel === undefined ? undefined : { view: new RelayView(metrics.registry), gatewayClients: options.relayPanel.gatewayClients }
  const unwatch = [
    subscribeDiagnostics(metrics),
    watchGateway(metrics, running.gateway),
    ...[...running.smscSessions].map(([name, session]) => watchSession(metrics, name, session)),
    watchUnknownOutcomes(metrics.registry, async () => await running.unknownOutcomes.count()),
    watchRelay(metrics.registry, options.relayAccounts, options.relayUnknownPublications, options.relaySegments),
    ...relayPanel === undefined ? [] : [relayPanel.view.watch()]
  ]
  const relay = relayPanel === undefined ? {} : { relay: async () => await relayPanelOf(relayPanel) }
  const readiness = async (): Promise<{ ready: boolean, checks: Record<string, boolean> }> => {
    const checks = { queue: await options.transportReady(), smsc: running.smscReady() }
    return { ready: checks.queue && checks.smsc, checks }
  }
  const app = await buildHttpApp({
    ingress: options.ingress,
    statuses: options.statuses,
    ...(options.inbound === undefined ? {} : { inbound: options.inbound }),
    apiKeys: options.apiKeys,
    rateLimit: options.rateLimit,
    log: options.log,
    webhooks: { directory: options.apiKeys, destinations: options.webhookDestinations },
    plugins: [
      async app => { await observabilityPlugin(app, { metrics, readiness, ...(options.protectMetrics ? { protectMetricsWith: operators } : {}) }) },
      async app => { await dashboardPlugin(app, { statuses: options.statuses, metrics, snapshot: () => dashboard.snapshot(), operators, ...relay }) },
      async app => { await unknownOutcomeRoutes(app, { unknownOutcomes: running.unknownOutcomes, operators }) },
      ...options.relayRoutes ?? []
    ]
  })
  app.addHook('onClose', async () => { for (const stop of unwatch) stop() })
  return app
}
