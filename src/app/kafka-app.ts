import type { GatewayConfig } from '../config/index.ts'
import { DEFAULT_DATA_DIR } from '../config/data-dir.ts'
import type { RunningGateway } from './outbound-gateway.ts'
import { ApiKeyFile } from '../http/api-keys/index.ts'
import { DashboardState } from '../http/dashboard/dashboard-state.ts'
import { GatewayMetrics } from '../http/observability/gateway-metrics.ts'
import { metricsStatusSink } from '../http/observability/metric-sources.ts'
import type { Logger } from '../log/logger.ts'
import { CoalescingProducer } from '../transport/kafka/coalescing-producer.ts'
import { kafkaIngress } from '../transport/kafka/kafka-ingress.ts'
import { startKafkaGateway } from './kafka-gateway.ts'
import { startKafkaRelay, type KafkaRelay } from './kafka-relay.ts'
import { DestinationPolicy } from '../http/webhooks/destination-policy.ts'
import { buildHttpFront } from './http-front.ts'
import { listenHttp } from './listen-http.ts'

export interface KafkaHttpOptions {
  host: string
  port: number
  /** The API key file (the CLI finds it: --api-keys, else apiKeyFilePath). */
  apiKeysFile: string
}

export interface KafkaApp {
  readonly running: RunningGateway
  readonly url: string | undefined
  /** The port of the relay vault's gRPC server, when relay.grpcPort is set (docs/relay.md). */
  readonly relayGrpcPort: number | undefined
  /** The port of publisher.v1.Publisher, when relay.publisherGrpcPort is set (docs/relay.md, "Publisher"). */
  readonly relayPublisherGrpcPort: number | undefined
  /** Stops the HTTP side, the gateway and the relay, in that order; later calls wait for the first. */
  close: () => Promise<void>
}

/**
 * `smsgw gateway`: the gateway on Kafka and, when asked, its HTTP side: the API as an ingress
 * that produces to `send-sms`, this instance's recent statuses, metrics, health, the dashboard;
 * and, when the relay is configured, the relay over its store (kafka-relay.ts: `store.url`, else
 * smsgw.db in `dataDir`): the vault, the publisher, the ingress (its forwards on
 * relay.ingressTopic, the MO of relay.ingressNumbers from this gateway's binds) and their HTTP
 * routes. The relay's store opens first, so the gateway's MO path and the HTTP side get their
 * relay parts when they start.
 */
export async function startKafkaApp (config: GatewayConfig, vaultPassword: string, log: Logger, http?: KafkaHttpOptions, dataDir: string = DEFAULT_DATA_DIR): Promise<KafkaApp> {
  const front = http === undefined ? undefined : httpFrontParts(config)
  // What is running, stopped last first by close (a signal and the end of the run may both ask).
  const started: Array<() => Promise<void>> = []
  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closing ??= (async () => { for (const stop of [...started].reverse()) await stop() })()
    await closing
  }
  try {
    const relay = await startKafkaRelay(config, vaultPassword, dataDir, log)
    if (relay !== undefined) started.push(relay.close)
    const running = await startKafkaGateway(config, vaultPassword, log, front === undefined ? {} : { sinks: [metricsStatusSink(front.metrics), front.dashboard] }, relay?.mo)
    started.push(async () => { await running.shutdown() })
    const url = http === undefined || front === undefined ? undefined : await startHttp(config, log, http, { ...front, running, relay: relay?.httpFront ?? {} }, started)
    return { running, url, relayGrpcPort: relay?.port, relayPublisherGrpcPort: relay?.publisherPort, close }
  } catch (error) {
    // Nothing may keep the process alive after a failed start: it exits with the error.
    await close()
    throw error
  }
}

interface HttpFrontParts {
  readonly metrics: GatewayMetrics
  readonly dashboard: DashboardState
  readonly webhookDestinations: DestinationPolicy
}

/** What the HTTP side shares with the gateway; made before anything starts, so a bad allow-list entry stops the start with nothing to clean up. */
function httpFrontParts (config: GatewayConfig): HttpFrontParts {
  const webhookDestinations = DestinationPolicy.allowing(config.webhooks.allowedDestinations)
  const metrics = new GatewayMetrics({ clients: config.clients.allowed })
  return { metrics, dashboard: new DashboardState({ requestsTotal: () => metrics.requestsTotal }), webhookDestinations }
}

/** The HTTP side: the API produces what it accepts to send-sms. Resolves with its URL. */
async function startHttp (config: GatewayConfig, log: Logger, http: KafkaHttpOptions, parts: HttpFrontParts & { readonly running: RunningGateway, readonly relay: KafkaRelay['httpFront'] }, started: Array<() => Promise<void>>): Promise<string> {
  const producer = new CoalescingProducer({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-api` })
  started.push(async () => { await producer.close() })
  const apiKeys = await ApiKeyFile.open(http.apiKeysFile)
  // Unlike `smsgw run`, this makes no operator key of its own: it says how to make one instead.
  if ((await apiKeys.listOperatorKeys()).length === 0) {
    log.warn({ apiKeysFile: apiKeys.file }, `no operator key, so the dashboard answers nobody: make one with smsgw api-key operator create --file ${apiKeys.file}`)
  }
  const app = await buildHttpFront({
    ingress: kafkaIngress(producer, config.kafka.topics.sendSms),
    statuses: parts.running.recent,
    apiKeys,
    running: parts.running,
    metrics: parts.metrics,
    dashboard: parts.dashboard,
    rateLimit: { requestsPerSecond: config.http.rateLimitPerSecond, burst: config.http.rateLimitBurst },
    webhookDestinations: parts.webhookDestinations,
    protectMetrics: config.http.protectMetrics,
    // The gateway would not be running without the broker; a broker lost since shows in the logs.
    transportReady: () => true,
    ...parts.relay,
    log
  })
  started.push(async () => { await app.close() })
  return await listenHttp(app, { host: http.host, port: http.port, hostOption: '--http-host', portOption: '--http-port' })
}
