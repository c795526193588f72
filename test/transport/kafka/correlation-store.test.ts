// The correlation table on a real compacted `correl-id` topic, as two gateway instances share it:
// a record written before its SENT is out (pendingSent), confirmed once it is, and a receipt on
// the other instance that waits for the confirmation (issue 9 item 6).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { CorrelationRecord } from '../../../src/gateway/backends/smpp/correlation-record.ts'
import { CoalescingProducer } from '../../../src/transport/kafka/coalescing-producer.ts'
import { CorrelationStore } from '../../../src/transport/kafka/correlation-store.ts'
import { ensureTopics } from '../../../src/transport/kafka/topics.ts'
import { kafkaBrokers, uniqueTopicName } from '../../harness/kafka.ts'

describe('Kafka CorrelationStore shared by two instances', { timeout: 60_000 }, () => {
  const connection = { brokers: [kafkaBrokers()], clientId: 'test-correlations' }
  const topic = uniqueTopicName('correl-id')
  const producer = new CoalescingProducer(connection)
  let submitter: CorrelationStore
  let other: CorrelationStore

  before(async () => {
    await ensureTopics(connection, [{ name: topic, compacted: true }], { partitions: 1, replicationFactor: 1 })
    submitter = new CorrelationStore({ connection, topic, groupPrefix: 'test-a', producer })
    other = new CorrelationStore({ connection, topic, groupPrefix: 'test-b', producer })
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

  test('confirmSent after the record was removed (a final receipt came first) writes nothing back', async () => {
    // One partition: a marker written after a record is read after it, by every instance.
    const seenBy = async (store: CorrelationStore, recallId: string): Promise<void> => {
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
