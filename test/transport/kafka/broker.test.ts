// Integration smoke test of the harness broker (scripts/kafka.sh) with @platformatic/kafka and
// kcat: topics with configs, a JSON round trip through a consumer group with a manual commit,
// and bytes from another client read back unchanged.
import { deepStrictEqual, strictEqual } from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, describe, test } from 'node:test'
import { Admin, ConfigResourceTypes, Consumer, jsonDeserializer, jsonSerializer, Producer } from '@platformatic/kafka'
import type { Message, MessagesStream } from '@platformatic/kafka'
import { kafkaBrokers, uniqueTopicName } from '../../harness/kafka.ts'

interface SmokeValue {
  id: string
  text: string
  parts: number
}

// Every client states these explicitly: `strict` validates the options we pass (off by default),
// `handleBackPressure` honours socket write() returning false (off by default).
const clientDefaults = { strict: true, handleBackPressure: true, timeout: 10_000 } as const

describe('Kafka broker integration', { timeout: 120_000 }, () => {
  let bootstrapBrokers: string[]
  let admin: Admin

  before(() => {
    bootstrapBrokers = [kafkaBrokers()]
    admin = new Admin({ ...clientDefaults, clientId: 'smsgw-test-admin', bootstrapBrokers })
  })

  after(async () => {
    await admin?.close()
  })

  /** A test consumer's options, in a consumer group of its own. */
  function consumerOptions (groupId: string) {
    return {
      ...clientDefaults,
      clientId: 'smsgw-test-consumer',
      groupId,
      bootstrapBrokers,
      // The library commits every fetched batch by default, before the application has seen it.
      autocommit: false,
      maxWaitTime: 500,
      highWaterMark: 16
    }
  }

  test('broker creates a topic with 3 partitions and a compacted topic', async () => {
    const plain = uniqueTopicName('plain')
    const compacted = uniqueTopicName('compacted')

    await admin.createTopics({ topics: [plain], partitions: 3, replicas: 1 })
    // Topic configs go in `configs`, applied to every topic of the call.
    await admin.createTopics({
      topics: [compacted],
      partitions: 3,
      replicas: 1,
      configs: [{ name: 'cleanup.policy', value: 'compact' }]
    })

    const metadata = await admin.metadata({ topics: [plain, compacted] })
    strictEqual(metadata.topics.get(plain)?.partitionsCount, 3)
    strictEqual(metadata.topics.get(compacted)?.partitionsCount, 3)

    const [description] = await admin.describeConfigs({
      resources: [{
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: compacted,
        configurationKeys: ['cleanup.policy']
      }]
    })
    deepStrictEqual(description?.configs.map(({ name, value }) => ({ name, value })), [
      { name: 'cleanup.policy', value: 'compact' }
    ])
  })

  test('broker returns a produced JSON value to a consumer group that commits it', async () => {
    const topic = uniqueTopicName('json')
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 })
    const sent: SmokeValue = { id: 'req-1', text: 'héllo, wörld ✓', parts: 1 }

    const producer = new Producer<Buffer, SmokeValue, Buffer, Buffer>({
      ...clientDefaults,
      clientId: 'smsgw-test-producer',
      bootstrapBrokers,
      serializers: { value: jsonSerializer }
    })
    let produced
    try {
      produced = await producer.send({ messages: [{ topic, value: sent }] })
    } finally {
      await producer.close()
    }
    const [target] = produced.offsets ?? []

    const groupId = uniqueTopicName('group')
    const consumer = new Consumer<Buffer, SmokeValue, Buffer, Buffer>({
      ...consumerOptions(groupId),
      deserializers: { value: jsonDeserializer }
    })
    try {
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest' })
      const message = await firstMessage(stream)
      deepStrictEqual(message.value, sent)
      deepStrictEqual({ partition: message.partition, offset: message.offset },
        { partition: target?.partition, offset: target?.offset })

      await message.commit()
      await stream.close()
      const committed = await consumer.listCommittedOffsets({ topics: [{ topic, partitions: [message.partition] }] })
      deepStrictEqual(committed.get(topic), [message.offset + 1n])
    } finally {
      await consumer.close()
    }
  })

  test('broker returns a value produced by kcat byte for byte', async () => {
    const topic = uniqueTopicName('kcat')
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 })
    // kcat -P sends one message per line and strips only the newline: the trailing space stays.
    const expected = Buffer.from('{"id":"req-2","text":"caf\\u00e9 ✓"} ')
    await runKcat(['-P', '-b', bootstrapBrokers.join(','), '-t', topic], Buffer.concat([expected, Buffer.from('\n')]))

    const consumer = new Consumer(consumerOptions(uniqueTopicName('group')))
    try {
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest' })
      const message = await firstMessage(stream)
      await stream.close()
      deepStrictEqual(message.value, expected)
    } finally {
      await consumer.close()
    }
  })
})

async function firstMessage<Key, Value, HeaderKey, HeaderValue> (
  stream: MessagesStream<Key, Value, HeaderKey, HeaderValue>
): Promise<Message<Key, Value, HeaderKey, HeaderValue>> {
  const { value, done } = await stream[Symbol.asyncIterator]().next()
  if (done === true) throw new Error('the stream ended before a message arrived')
  return value
}

async function runKcat (args: string[], input: Buffer): Promise<void> {
  const child = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', chunk => { stderr += chunk })
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', error => reject(new Error('kcat could not run (apt-get install -y kcat)', { cause: error })))
    child.once('close', resolve)
  })
  child.stdin.end(input)
  const code = await exited
  if (code !== 0) throw new Error(`kcat exited with ${code}: ${stderr}`)
}
