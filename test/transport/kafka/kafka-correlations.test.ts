// The correlation table on a real compacted `correl-id` topic, as two gateway instances share it:
// a record written before its SENT is out (pendingSent), confirmed once it is, and a receipt on
// the other instance that waits for the confirmation (issue 9 item 6).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { CorrelationRecord } from '../../../src/domain/correlation-record.ts'
import { createReceiptHandler } from '../../../src/gateway/backends/smpp/receipt-handler.ts'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import { createLogger } from '../../../src/log/logger.ts'
import { CoalescingProducer } from '../../../src/transport/kafka/coalescing-producer.ts'
import { KafkaCorrelations } from '../../../src/transport/kafka/kafka-correlations.ts'
import { ensureTopics } from '../../../src/transport/kafka/topics.ts'
import { kafkaBrokers, uniqueTopicName } from '../../harness/kafka.ts'
import { receiptPdu } from '../../harness/receipt-pdu.ts'

const log = createLogger({ level: 'silent' })
const NOW = new Date('2026-11-21T10:00:05Z')

describe('KafkaCorrelations shared by two instances', { timeout: 60_000 }, () => {
  const connection = { brokers: [kafkaBrokers()], clientId: 'test-correlations' }
  const topic = uniqueTopicName('correl-id')
  const producer = new CoalescingProducer(connection)
  let submitter: KafkaCorrelations
  let other: KafkaCorrelations

  before(async () => {
    await ensureTopics(connection, [{ name: topic, compacted: true }], { partitions: 1, replicationFactor: 1 })
    submitter = new KafkaCorrelations({ connection, topic, groupPrefix: 'test-a', producer })
    other = new KafkaCorrelations({ connection, topic, groupPrefix: 'test-b', producer })
    await Promise.all([submitter.start(), other.start()])
  })

  after(async () => {
    await Promise.all([submitter?.close(), other?.close()])
    await producer.close()
  })

  const pendingRecord = (recallId: string): CorrelationRecord => ({ recallId, clientId: 'acme', correlId: `c-${recallId}`, connection: 'main', pendingSent: { recallId, atMs: 1_795_000_000_000 } })

  test('sentOut on another instance resolves true once the submitter confirms the SENT', async () => {
    const record = pendingRecord('101')
    await submitter.put(record)
    const found = await other.waitFor('101', 10_000, 'main')
    assert.deepStrictEqual(found, record)
    const out = other.sentOut(record, 10_000)
    await submitter.confirmSent(record)
    assert.equal(await out, true)
    const { pendingSent: _sent, ...confirmed } = record
    assert.deepStrictEqual(other.get('101', 'main'), confirmed)
  })

  test('sentOut resolves false after its timeout when the submitter never confirms: it died before SENT was out', async () => {
    const record = pendingRecord('102')
    await submitter.put(record)
    assert.deepStrictEqual(await other.waitFor('102', 10_000, 'main'), record)
    const startedMs = Date.now()
    assert.equal(await other.sentOut(record, 300), false)
    assert.ok(Date.now() - startedMs >= 290)
  })

  test('a receipt reaching the other instance of a submitter that died before its SENT reports the SENT, then its own status', async () => {
    const record = pendingRecord('104')
    await submitter.put(record)
    const events: StatusEvent[] = []
    const handle = createReceiptHandler({ correlations: other, report: async event => { events.push(event) }, log, raceWaitMs: 300, now: () => NOW })
    assert.equal(await handle(receiptPdu('104', 'DELIVRD'), 'main', 'as-is'), 'reported')
    assert.deepStrictEqual(events.map(event => [event.status, event.recallId, event.timestamp]), [['SENT', '104', new Date(1_795_000_000_000)], ['DELIVERED', '104', NOW]])
  })

  test('a receipt reaching the other instance of a live submitter waits for its confirmation and reports no SENT of its own', async () => {
    const record = pendingRecord('105')
    await submitter.put(record)
    assert.ok(await other.waitFor('105', 10_000, 'main') !== undefined)
    const events: StatusEvent[] = []
    const handle = createReceiptHandler({ correlations: other, report: async event => { events.push(event) }, log, raceWaitMs: 10_000, now: () => NOW })
    const handled = handle(receiptPdu('105', 'DELIVRD'), 'main', 'as-is')
    await submitter.confirmSent(record)
    assert.equal(await handled, 'reported')
    assert.deepStrictEqual(events.map(event => event.status), ['DELIVERED'])
  })

  test('confirmSent after the record was removed (a final receipt came first) writes nothing back', async () => {
    // One partition: a marker written after a record is read after it, by every instance.
    const seenBy = async (store: KafkaCorrelations, recallId: string): Promise<void> => {
      await submitter.put(pendingRecord(recallId))
      assert.ok(await store.waitFor(recallId, 10_000, 'main') !== undefined)
    }
    const record = pendingRecord('103')
    await submitter.put(record)
    await submitter.remove('103', 'main')
    await seenBy(submitter, 'marker-1')
    await submitter.confirmSent(record)
    await seenBy(other, 'marker-2')
    assert.deepStrictEqual([submitter.get('103', 'main'), other.get('103', 'main')], [undefined, undefined])
  })
})
