import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import type { GatewayConfig } from '../config/index.ts'
import { storeLocationOf } from '../config/data-dir.ts'
import type { Logger } from '../log/logger.ts'
import { startConfiguredRelayVault } from '../relay/grpc/relay-vault-server.ts'
import { CoalescingProducer } from '../transport/kafka/coalescing-producer.ts'
import { kafkaIngress } from '../transport/kafka/kafka-ingress.ts'
import { openConfiguredStore } from './open-configured-store.ts'
import { relayOutbound } from './relay-outbound.ts'

export interface KafkaRelay {
  /** The port of vault.v1.Entity. */
  readonly port: number
  /** How many accounts the relay's store holds (the smsgw_relay_accounts gauge). */
  accounts: () => Promise<number>
  /** Stops the gRPC server, then the producer of the OTP SMS, then closes the store. */
  close: () => Promise<void>
}

/**
 * The relay vault beside the gateway on Kafka (docs/relay.md), when relay.grpcPort is set. The
 * Kafka flavour keeps its requests on Kafka and has no store of its own, so the relay's accounts,
 * rate limits and one-time codes get one here: `store.url` (PostgreSQL when several instances
 * serve the relay, or a SQLite file), else `smsgw.db` in `dataDir`, where `smsgw relay accounts`
 * finds it too. The OTP SMS (relay.otpSmsClient) are produced to `send-sms` as the sealed request
 * of any client, so this gateway or another instance of its group consumes and sends them.
 */
export async function startKafkaRelay (config: GatewayConfig, vaultPassword: string, dataDir: string, log: Logger): Promise<KafkaRelay | undefined> {
  if (config.relay.grpcPort === undefined) return undefined
  const location = storeLocationOf(config.store.url, dataDir)
  // An operator's data folder may not exist yet (`smsgw run` makes its own the same way).
  if (config.store.url === undefined) await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const store = await openConfiguredStore(config, location, log)
  const producer = new CoalescingProducer({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-relay` })
  const stopParts = async (): Promise<void> => {
    await producer.close()
    await store.close()
  }
  try {
    const outbound = await relayOutbound(config, vaultPassword, kafkaIngress(producer, config.kafka.topics.sendSms))
    const server = await startConfiguredRelayVault(config.relay, store, log, outbound)
    assert(server !== undefined, 'relay.grpcPort is set, so the relay vault starts')
    log.info({ store: store.location }, 'relay vault store opened')
    return {
      port: server.port,
      accounts: async () => await store.relay.count(),
      close: async () => {
        await server.close()
        await stopParts()
      }
    }
  } catch (error) {
    await stopParts()
    throw error
  }
}
