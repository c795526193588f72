import type { GatewayConfig } from '../config/index.ts'
import { DEFAULT_DATA_DIR } from '../config/data-dir.ts'
import { relayRuns } from '../config/relay-runs.ts'
import type { RunningGateway } from './outbound-gateway.ts'
import type { Logger } from '../log/logger.ts'
import type { KafkaHttpOptions } from './kafka-http-side.ts'
import { startKafkaGateway } from './kafka-gateway.ts'

export type { KafkaHttpOptions } from './kafka-http-side.ts'

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
  // The HTTP side and the relay are loaded only when they run: their modules (Fastify, Swagger,
  // prom-client; gRPC and the platforms' clients) were a third of what a gateway without them
  // loaded, ~20 MiB of its idle memory and ~40 MiB of its peak under load (docs/performance.md).
  const front = http === undefined ? undefined : (await import('./kafka-http-side.ts')).kafkaHttpSide(config, log, http)
  // What is running, stopped last first by close (a signal and the end of the run may both ask).
  const started: Array<() => Promise<void>> = []
  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closing ??= (async () => { for (const stop of [...started].reverse()) await stop() })()
    await closing
  }
  try {
    const relay = relayRuns(config) ? await (await import('./kafka-relay.ts')).startKafkaRelay(config, vaultPassword, dataDir, log) : undefined
    if (relay !== undefined) started.push(relay.close)
    const running = await startKafkaGateway(config, vaultPassword, log, front === undefined ? {} : { sinks: front.sinks }, relay?.mo)
    started.push(async () => { await running.shutdown() })
    const url = front === undefined ? undefined : await front.listen(running, relay?.httpFront ?? {}, started)
    return { running, url, relayGrpcPort: relay?.port, relayPublisherGrpcPort: relay?.publisherPort, close }
  } catch (error) {
    // Nothing may keep the process alive after a failed start: it exits with the error.
    await close()
    throw error
  }
}
