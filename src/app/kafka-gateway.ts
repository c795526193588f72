import type { GatewayConfig } from '../config/index.ts'
import type { Logger } from '../log/logger.ts'
import type { MoIngress } from '../relay/ingress/mo-forward.ts'
import type { KafkaConnection } from '../transport/kafka/client-options.ts'
import { CoalescingProducer } from '../transport/kafka/coalescing-producer.ts'
import { InboundPublisher } from '../transport/kafka/inbound-publisher.ts'
import { KafkaCorrelations } from '../transport/kafka/kafka-correlations.ts'
import { KafkaLedgerLog } from '../transport/kafka/kafka-ledger-log.ts'
import { RequestConsumer } from '../transport/kafka/request-consumer.ts'
import { KafkaStatusPublisher } from '../transport/kafka/status-publisher.ts'
import { ensureTopics } from '../transport/kafka/topics.ts'
import { startOutboundGateway, type GatewayParts, type RunningGateway } from './outbound-gateway.ts'

export type { GatewayParts, RunningGateway } from './outbound-gateway.ts'

/**
 * The outbound gateway on Kafka: creates missing topics, catches up the compacted tables
 * (`correl-id`, the ledger) before the first request is pulled, joins the consumer group of
 * `send-sms`, and runs the gateway over them. Inbound SMS go to the inbound topic; those for a
 * relay number to the relay's ingress (`relayMo`: its topic, sealed) instead.
 */
export async function startKafkaGateway (config: GatewayConfig, vaultPassword: string, log: Logger, parts: GatewayParts = {}, relayMo?: MoIngress): Promise<RunningGateway> {
  const connection: KafkaConnection = { brokers: config.kafka.brokers, clientId: config.kafka.clientId }
  const { topics } = config.kafka
  if (config.kafka.createTopics) {
    const created = await ensureTopics(connection, [
      { name: topics.sendSms, compacted: false },
      { name: topics.smsStatus, compacted: false },
      { name: topics.correlId, compacted: true },
      { name: topics.claims, compacted: true },
      { name: topics.inbound, compacted: false }
    ], { partitions: config.kafka.partitions, replicationFactor: config.kafka.replicationFactor })
    if (created.length > 0) log.info({ topics: created }, 'created topics')
  }

  const producer = new CoalescingProducer(connection)
  const groupPrefix = `${config.kafka.groupId}-table`
  const ledgerLog = new KafkaLedgerLog({ connection, topic: topics.claims, groupPrefix, producer })
  const correlations = new KafkaCorrelations({ connection, topic: topics.correlId, groupPrefix, producer })
  await Promise.all([ledgerLog.start(), correlations.start()])
  const consumer = new RequestConsumer({ connection, topic: topics.sendSms, groupId: config.kafka.groupId })
  await consumer.start()
  const inbound = new InboundPublisher(producer, topics.inbound)

  const running = await startOutboundGateway(config, vaultPassword, {
    source: consumer,
    statuses: new KafkaStatusPublisher(producer, topics.smsStatus),
    ledgerLog,
    correlations,
    publishInbound: async sms => {
      if (relayMo?.takes(sms) === true) await relayMo.accept(sms)
      else await inbound.publish(sms)
    },
    flush: async () => {
      await producer.flush()
      await consumer.disconnect()
    },
    close: async () => {
      await Promise.all([ledgerLog.close(), correlations.close()])
      await producer.close()
    }
  }, log, parts)
  log.info({ brokers: config.kafka.brokers, topic: topics.sendSms, groupId: config.kafka.groupId, openWorkers: config.pipeline.openWorkers }, 'gateway started')
  return running
}
