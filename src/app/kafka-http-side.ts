import type { GatewayConfig } from '../config/index.ts'
import { ApiKeyFile } from '../http/api-keys/index.ts'
import { DashboardState } from '../http/dashboard/dashboard-state.ts'
import { GatewayMetrics } from '../http/observability/gateway-metrics.ts'
import { metricsStatusSink } from '../http/observability/metric-sources.ts'
import { DestinationPolicy } from '../http/webhooks/destination-policy.ts'
import type { Logger } from '../log/logger.ts'
import { RecentStatuses } from '../gateway/status/recent-statuses.ts'
import type { StatusSink } from '../gateway/status/status-sink.ts'
import { CoalescingProducer } from '../transport/kafka/coalescing-producer.ts'
import { kafkaIngress } from '../transport/kafka/kafka-ingress.ts'
import { buildHttpFront } from './http-front.ts'
import type { KafkaRelay } from './kafka-relay.ts'
import { listenHttp } from './listen-http.ts'
import type { RunningGateway } from './outbound-gateway.ts'

export interface KafkaHttpOptions {
  host: string
  port: number
  /** The API key file (the CLI finds it: --api-keys, else apiKeyFilePath). */
  apiKeysFile: string
}

export interface KafkaHttpSide {
  /** The sinks the gateway reports to for the HTTP side: its recent statuses, metrics, the dashboard. */
  readonly sinks: readonly StatusSink[]
  /** Starts the API once the gateway runs; resolves with its URL. What it starts goes on `started`, to be stopped last first. */
  listen: (running: RunningGateway, relay: KafkaRelay['httpFront'], started: Array<() => Promise<void>>) => Promise<string>
}

/**
 * The HTTP side of `smsgw gateway --http-port`: the API as an ingress that produces to `send-sms`,
 * this instance's recent statuses, metrics, health, the dashboard. Its parts shared with the
 * gateway are made before anything starts, so a bad allow-list entry stops the start with nothing
 * to clean up.
 */
export function kafkaHttpSide (config: GatewayConfig, log: Logger, http: KafkaHttpOptions): KafkaHttpSide {
  const webhookDestinations = DestinationPolicy.allowing(config.webhooks.allowedDestinations)
  const metrics = new GatewayMetrics({ clients: config.clients.allowed })
  const dashboard = new DashboardState({ requestsTotal: () => metrics.requestsTotal })
  // The statuses this instance reported, recent ones kept, for the API and the dashboard. Kept
  // here, not by every gateway: without the HTTP side they were up to 16 MiB of heap nobody read.
  const recent = new RecentStatuses()
  return {
    sinks: [recent, metricsStatusSink(metrics), dashboard],
    listen: async (running, relay, started) => {
      const producer = new CoalescingProducer({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-api` })
      started.push(async () => { await producer.close() })
      const apiKeys = await ApiKeyFile.open(http.apiKeysFile)
      // Unlike `smsgw run`, this makes no operator key of its own: it says how to make one instead.
      if ((await apiKeys.listOperatorKeys()).length === 0) {
        log.warn({ apiKeysFile: apiKeys.file }, `no operator key, so the dashboard answers nobody: make one with smsgw api-key operator create --file ${apiKeys.file}`)
      }
      const app = await buildHttpFront({
        ingress: kafkaIngress(producer, config.kafka.topics.sendSms),
        statuses: recent,
        apiKeys,
        running,
        metrics,
        dashboard,
        rateLimit: { requestsPerSecond: config.http.rateLimitPerSecond, burst: config.http.rateLimitBurst },
        webhookDestinations,
        protectMetrics: config.http.protectMetrics,
        // The gateway would not be running without the broker; a broker lost since shows in the logs.
        transportReady: () => true,
        ...relay,
        log
      })
      started.push(async () => { await app.close() })
      return await listenHttp(app, { host: http.host, port: http.port, hostOption: '--http-host', portOption: '--http-port' })
    }
  }
}
