import { mkdir } from 'node:fs/promises'
import type { GatewayConfig } from '../config/index.ts'
import { storeLocationOf } from '../config/data-dir.ts'
import { relayRuns } from '../config/relay-runs.ts'
import type { Logger } from '../log/logger.ts'
import { reliabilityTestsOf } from '../relay/gateway-clients/reliability.ts'
import { startConfiguredRelayVault } from '../relay/grpc/relay-vault-server.ts'
import type { MoIngress } from '../relay/ingress/mo-forward.ts'
import { CoalescingProducer } from '../transport/kafka/coalescing-producer.ts'
import { kafkaIngress } from '../transport/kafka/kafka-ingress.ts'
import { gatewayClientRegistryRoutes } from './gateway-client-registry.ts'
import type { HttpFrontOptions } from './http-front.ts'
import { KafkaForwardTopics } from './kafka-relay-ingress.ts'
import { openConfiguredStore } from './open-configured-store.ts'
import { relayOutbound } from './relay-outbound.ts'
import { EmbeddedRelayIngress } from './relay-ingress-app.ts'
import { configuredPublisher } from './relay-publisher.ts'

export interface KafkaRelay {
  /** The port of vault.v1.Entity, when relay.grpcPort is set. */
  readonly port: number | undefined
  /** The port of publisher.v1.Publisher, when relay.publisherGrpcPort is set. */
  readonly publisherPort: number | undefined
  /** The MO of relay.ingressNumbers, for the gateway's binds, when relay.ingress is on. */
  readonly mo: MoIngress | undefined
  /** What the HTTP front serves of the relay: its routes, gauges and the dashboard's relay panel. */
  readonly httpFront: Pick<HttpFrontOptions, 'relayRoutes' | 'relayAccounts' | 'relaySegments' | 'relayUnknownPublications' | 'relayPanel'>
  /** Stops the gRPC servers, the ingress, then the producer of the OTP SMS and notices, then closes the store. */
  close: () => Promise<void>
}

/**
 * The relay beside the gateway on Kafka (docs/relay.md, "Several instances (Kafka and
 * PostgreSQL)"), as `smsgw run` runs it: the vault (relay.grpcPort) with the gateway-client
 * registry's routes, the publisher (relay.publisherGrpcPort) with GET /v1/platforms, and the
 * ingress (relay.ingress) with its forwards held on relay.ingressTopic. The Kafka flavour keeps
 * its requests on Kafka and has no store of its own, so the relay's accounts, tokens and
 * publication records get one here: `store.url` (PostgreSQL when several instances serve the
 * relay, or a SQLite file), else `smsgw.db` in `dataDir`, where `smsgw relay accounts` finds it
 * too. The OTP SMS and delivery notices (relay.otpSmsClient) are produced to `send-sms` as the
 * sealed request of any client, so this gateway or another instance of its group sends them.
 * Undefined when neither gRPC port is set.
 */
export async function startKafkaRelay (config: GatewayConfig, vaultPassword: string, dataDir: string, log: Logger): Promise<KafkaRelay | undefined> {
  const { relay } = config
  if (!relayRuns(config)) return undefined
  const location = storeLocationOf(config.store.url, dataDir)
  // An operator's data folder may not exist yet (`smsgw run` makes its own the same way).
  if (config.store.url === undefined) await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const store = await openConfiguredStore(config, location, log)
  const producer = new CoalescingProducer({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-relay` })
  // What is running, stopped last first: by close, or when a later step of the start fails.
  const started: Array<() => Promise<void>> = [async () => { await store.close() }, async () => { await producer.close() }]
  const close = async (): Promise<void> => { for (const stop of started.splice(0).reverse()) await stop() }
  try {
    log.info({ store: store.location }, 'relay store opened')
    const outbound = await relayOutbound(config, vaultPassword, kafkaIngress(producer, config.kafka.topics.sendSms))
    const topics = relay.ingress ? new KafkaForwardTopics(config, log) : undefined
    const ingress = new EmbeddedRelayIngress(config, log, topics?.holder)
    const mo = ingress.mo(store)
    started.push(async () => { await ingress.close() })
    await topics?.open()
    const publisher = configuredPublisher(config, store, log, { outbound, reliabilityTests: relay.grpcPort === undefined ? undefined : reliabilityTestsOf(store.gatewayClients) })
    ingress.start(publisher?.publisher.publishContent)
    const vault = await startConfiguredRelayVault(relay, store, log, outbound)
    if (vault !== undefined) started.push(async () => { await vault.close() })
    const publisherServer = await publisher?.start()
    if (publisherServer !== undefined) started.push(async () => { await publisherServer.close() })
    const routes = [...gatewayClientRegistryRoutes(config, store), ...(publisher === undefined ? [] : [publisher.routes])]
    return {
      port: vault?.port,
      publisherPort: publisherServer?.port,
      mo,
      httpFront: {
        ...ingress.httpFront(routes),
        ...(vault === undefined ? {} : { relayAccounts: async () => await store.relay.count(), relayPanel: { gatewayClients: store.gatewayClients.clients } }),
        ...(publisher === undefined ? {} : { relayUnknownPublications: publisher.countUnknown })
      },
      close
    }
  } catch (error) {
    await close()
    throw error
  }
}
