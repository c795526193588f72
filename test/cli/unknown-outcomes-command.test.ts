import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { ledgerKey, ledgerStates, type LedgerRecord } from '../../src/domain/ledger-record.ts'
import { CoalescingProducer } from '../../src/transport/kafka/coalescing-producer.ts'
import { KafkaLedgerLog } from '../../src/transport/kafka/kafka-ledger-log.ts'
import { ensureTopics } from '../../src/transport/kafka/topics.ts'
import { kafkaBrokers, uniqueTopicName } from '../harness/kafka.ts'
import { asText, smsgw, temporaryFolder } from './cli-fixtures.ts'

// `smsgw unknown-outcomes list|resolve` (issue 9, item 9): the Kafka gateway's unknown outcomes,
// read from the request ledger's topic by the CLI, run in-process.

const CLAIMED_AT_MS = Date.parse('2026-11-21T10:00:00Z')

test('smsgw unknown-outcomes lists the requests marked writing and unfinished on the ledger topic, and resolve forgets one', { timeout: 120_000 }, async () => {
  const brokers = kafkaBrokers()
  const topic = uniqueTopicName('claims')
  const connection = { brokers: [brokers], clientId: 'test-unknown-outcomes' }
  await ensureTopics(connection, [{ name: topic, compacted: true }], { partitions: 1, replicationFactor: 1 })
  const producer = new CoalescingProducer(connection)
  const ledger = new KafkaLedgerLog({ connection, topic, groupPrefix: topic, producer })
  await ledger.start()
  // Where each request came from: what the listing names as its source.
  const OFFSETS = new Map([['W1', 11n], ['CLAIMED', 12n], ['DONE', 13n]])
  const append = async (correlId: string, state: LedgerRecord['state'], atMs: number): Promise<void> => {
    await ledger.append(ledgerKey('acme', correlId), { token: `${correlId}/1`, state, source: { stream: 'send-sms/0', offset: OFFSETS.get(correlId) ?? 0n }, atMs, ...(state === ledgerStates.claimed ? { marksWrites: true } : {}) }, { readBack: true })
  }
  await append('W1', ledgerStates.claimed, CLAIMED_AT_MS)
  await append('W1', ledgerStates.writing, CLAIMED_AT_MS + 7)
  await append('CLAIMED', ledgerStates.claimed, CLAIMED_AT_MS)
  await append('DONE', ledgerStates.claimed, CLAIMED_AT_MS)
  await append('DONE', ledgerStates.writing, CLAIMED_AT_MS + 1)
  await append('DONE', ledgerStates.done, CLAIMED_AT_MS + 2)
  await ledger.close()
  await producer.close()

  const configFile = join(await temporaryFolder(), 'gateway.json')
  await writeFile(configFile, JSON.stringify({ kafka: { topics: { claims: topic } }, pipeline: { claimTakeoverMs: 60_000 } }))
  const args = ['--config', configFile, '--brokers', brokers]
  assert.deepStrictEqual(asText(await smsgw(['unknown-outcomes', 'list', ...args])), {
    code: 0,
    stdout: '{"client-id":"acme","correl-id":"W1","source":"send-sms/0/11","claimed-at":"2026-11-21T10:00:00.000Z","writing-at":"2026-11-21T10:00:00.007Z"}\n',
    stderr: ''
  })
  assert.deepStrictEqual(asText(await smsgw(['unknown-outcomes', 'resolve', 'acme', 'CLAIMED', ...args])), {
    code: 1, stdout: '', stderr: 'smsgw: no unknown outcome for correl-id "CLAIMED" of client acme\n'
  })
  assert.deepStrictEqual(asText(await smsgw(['unknown-outcomes', 'resolve', 'acme', 'W1', ...args])), { code: 0, stdout: '', stderr: '' })
  assert.deepStrictEqual(asText(await smsgw(['unknown-outcomes', 'list', ...args])), { code: 0, stdout: '', stderr: '' })
})
