import type { FastifyInstance } from 'fastify'
import type { GatewayConfig } from '../config/index.ts'
import type { RunningGateway } from './outbound-gateway.ts'
import { ApiKeyFile } from '../http/api-keys/index.ts'
import { DashboardState } from '../http/dashboard/dashboard-state.ts'
import { GatewayMetrics } from '../http/observability/gateway-metrics.ts'
import { metricsStatusSink } from '../http/observability/metric-sources.ts'
import type { Logger } from '../log/logger.ts'
import { CoalescingProducer } from '../transport/kafka/coalescing-producer.ts'
import { kafkaIngress } from '../transport/kafka/kafka-ingress.ts'
import { startKafkaGateway } from './kafka-gateway.ts'
import { DestinationPolicy } from '../http/webhooks/destination-policy.ts'
import { buildHttpFront } from './http-front.ts'
import { listenHttp } from './listen-http.ts'

export interface KafkaHttpOptions {
  host: string
  port: number
  /** The API key file (the CLI finds it: --api-keys, else apiKeyFilePath). */
  apiKeysFile: string
}

/**
 * `smsgw gateway`: the gateway on Kafka and, when asked, its HTTP side: the API as an ingress
 * that produces to `send-sms`, this instance's recent statuses, metrics, health, the dashboard.
 */
export async function startKafkaApp (config: GatewayConfig, vaultPassword: string, log: Logger, http?: KafkaHttpOptions): Promise<{ running: RunningGateway, url: string | undefined, close: () => Promise<void> }> {
  if (http === undefined) {
    const running = await startKafkaGateway(config, vaultPassword, log)
    return { running, url: undefined, close: running.shutdown }
  }
  // Before anything starts: a bad allow-list entry stops the start with nothing to clean up.
  const webhookDestinations = DestinationPolicy.allowing(config.webhooks.allowedDestinations)
  const metrics = new GatewayMetrics({ clients: config.clients.allowed })
  const dashboard = new DashboardState({ requestsTotal: () => metrics.requestsTotal })
  const running = await startKafkaGateway(config, vaultPassword, log, { sinks: [metricsStatusSink(metrics), dashboard] })
  const producer = new CoalescingProducer({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-api` })
  let app: FastifyInstance | undefined
  const close = async (): Promise<void> => {
    await app?.close()
    await producer.close()
    await running.shutdown()
  }
  try {
    const apiKeys = await ApiKeyFile.open(http.apiKeysFile)
    // Unlike `smsgw run`, this makes no operator key of its own: it says how to make one instead.
    if ((await apiKeys.listOperatorKeys()).length === 0) {
      log.warn({ apiKeysFile: apiKeys.file }, `no operator key, so the dashboard answers nobody: make one with smsgw api-key operator create --file ${apiKeys.file}`)
    }
    app = await buildHttpFront({
      ingress: kafkaIngress(producer, config.kafka.topics.sendSms),
      statuses: running.recent,
      apiKeys,
      running,
      metrics,
      dashboard,
      rateLimit: { requestsPerSecond: config.http.rateLimitPerSecond, burst: config.http.rateLimitBurst },
      webhookDestinations,
      protectMetrics: config.http.protectMetrics,
      // The gateway would not be running without the broker; a broker lost since shows in the logs.
      transportReady: () => true,
      log
    })
    const url = await listenHttp(app, { host: http.host, port: http.port, hostOption: '--http-host', portOption: '--http-port' })
    return { running, url, close }
  } catch (error) {
    // Nothing may keep the process alive after a failed start: it exits with the error.
    await close()
    throw error
  }
}
