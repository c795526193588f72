import type { GatewayConfig } from '../config/index.ts'
import { UnknownOutcomes } from '../gateway/ledger/unknown-outcomes.ts'
import type { KafkaConnection } from '../transport/kafka/client-options.ts'
import { CoalescingProducer } from '../transport/kafka/coalescing-producer.ts'
import { KafkaLedgerLog } from '../transport/kafka/kafka-ledger-log.ts'

/**
 * Reads the request ledger's topic (`kafka.topics.claims`) to its end, as a gateway instance
 * does at start, and hands `use` its unknown outcomes: for `smsgw unknown-outcomes`, which an
 * operator runs beside the gateways of a consumer group. Resolving one appends a tombstone to
 * the topic, which every instance applies. Rejects when the broker or the topic cannot be read.
 */
export async function withLedgerTopicOutcomes<T> (config: GatewayConfig, use: (outcomes: UnknownOutcomes) => Promise<T>): Promise<T> {
  const connection: KafkaConnection = { brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-operator` }
  const producer = new CoalescingProducer(connection)
  const ledgerLog = new KafkaLedgerLog({ connection, topic: config.kafka.topics.claims, groupPrefix: `${config.kafka.groupId}-operator`, producer })
  try {
    await ledgerLog.start()
    return await use(new UnknownOutcomes(ledgerLog, { takeoverMs: config.pipeline.claimTakeoverMs }))
  } finally {
    await ledgerLog.close()
    await producer.close()
  }
}
