import { describe } from 'node:test'
import { CoalescingProducer } from '../../../src/transport/kafka/coalescing-producer.ts'
import { KafkaLedgerLog } from '../../../src/transport/kafka/kafka-ledger-log.ts'
import { ensureTopics } from '../../../src/transport/kafka/topics.ts'
import { ledgerLogContract } from '../../gateway/ledger/ledger-log-contract.ts'
import { kafkaBrokers, uniqueTopicName } from '../../harness/kafka.ts'

// The ledger log contract (test/gateway/ledger/ledger-log-contract.ts) on a compacted topic of
// the test run's broker: every record is read back in log order into the view.

describe('KafkaLedgerLog on a compacted topic', () => {
  ledgerLogContract(async () => {
    const connection = { brokers: [kafkaBrokers()], clientId: 'test-kafka-ledger' }
    const topic = uniqueTopicName('ledger')
    await ensureTopics(connection, [{ name: topic, compacted: true }], { partitions: 1, replicationFactor: 1 })
    const producer = new CoalescingProducer(connection)
    const log = new KafkaLedgerLog({ connection, topic, groupPrefix: topic, producer })
    await log.start()
    // An append without read-back is durable but maybe not yet in the view: the tests read the
    // view after a later read-back append, or after this barrier.
    const barrier = async (): Promise<void> => { await log.append(`barrier-${topic}`, { token: 'barrier', state: 'claimed', source: { stream: 'barrier', offset: 0n }, atMs: 0 }, { readBack: true }) }
    return {
      log: {
        append: async (key, record, options) => {
          await log.append(key, record, options)
          if (options?.readBack !== true) await barrier()
        },
        entry: key => log.entry(key),
        entries: () => log.entries().filter(({ key }) => !key.startsWith('barrier-')),
        watch: (key, listener) => log.watch(key, listener)
      },
      size: () => log.entries().filter(({ key }) => !key.startsWith('barrier-')).length,
      close: async () => {
        await log.close()
        await producer.close()
      }
    }
  })
})
