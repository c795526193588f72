// keepInGroup on a real broker. The library emits `error` on a consumer whose own rejoin failed
// (consumer.js `#heartbeat`); making a real rejoin fail on cue would take killing the broker under
// a rebalance, so the test emits that same event on a real, joined consumer and checks what
// follows: the process does not throw, the member joins its group again and keeps reading; a
// closed consumer's error is ignored.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { Consumer, Producer, stringSerializers } from '@platformatic/kafka'
import { test } from 'node:test'
import { clientOptions, GROUP_MEMBERSHIP } from '../../../src/transport/kafka/client-options.ts'
import { keepInGroup } from '../../../src/transport/kafka/group-rejoin.ts'
import { ensureTopics } from '../../../src/transport/kafka/topics.ts'
import { kafkaBrokers, uniqueTopicName } from '../../harness/kafka.ts'

const connection = { brokers: [kafkaBrokers()], clientId: 'test-group-rejoin' }

test('a consumer whose rejoin failed joins its group again and keeps reading; after close its errors are ignored', { timeout: 60_000 }, async t => {
  const topic = uniqueTopicName('group-rejoin')
  await ensureTopics(connection, [{ name: topic, compacted: false }], { partitions: 1, replicationFactor: 1 })
  const consumer = new Consumer({ ...clientOptions(connection, 'reader'), groupId: uniqueTopicName('group-rejoin'), autocommit: false, maxWaitTime: 100, ...GROUP_MEMBERSHIP })
  keepInGroup(consumer)
  const producer = new Producer({ ...clientOptions(connection, 'writer'), serializers: stringSerializers })
  t.after(async () => { await producer.close() })
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest' })
  t.after(async () => { await stream.close(); await consumer.close() })
  const values: string[] = []
  stream.on('data', (message: { value: Buffer }) => { values.push(message.value.toString()) })

  const warnings: Error[] = []
  const onWarning = (warning: Error): void => { warnings.push(warning) }
  process.on('warning', onWarning)
  t.after(() => { process.off('warning', onWarning) })

  // Without keepInGroup's listener this emit throws: an `error` event nobody listens to.
  consumer.emit('error', new Error('rejoin refused by the test'))
  // After the emit: `once` rejects on an `error` event of its emitter.
  await once(consumer, 'consumer:group:join')
  assert.equal(warnings.length, 1)
  assert.match(warnings[0]?.message ?? '', /out of its group and joins again: rejoin refused by the test/)

  await producer.send({ messages: [{ topic, value: 'after the rejoin' }] })
  const deadline = Date.now() + 20_000
  while (!values.includes('after the rejoin') && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
  assert.deepEqual(values, ['after the rejoin'])

  await stream.close()
  await consumer.close()
  consumer.emit('error', new Error('Connection pool is closed.'))
  assert.equal(warnings.length, 1, 'a closed consumer\'s error is its close\'s race, not reported')
})
