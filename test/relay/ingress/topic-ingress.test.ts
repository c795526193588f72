import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { createLogger } from '../../../src/log/logger.ts'
import type { Forward } from '../../../src/relay/ingress/forward.ts'
import { ingressTexts } from '../../../src/relay/ingress/ingress-texts.ts'
import type { PublishContent } from '../../../src/relay/ingress/publish-content.ts'
import type { SegmentCache } from '../../../src/relay/ingress/segment-cache.ts'
import { TopicIngress } from '../../../src/relay/ingress/topic-ingress.ts'
import type { SealingKeyRing } from '../../../src/relay/vault/index.ts'
import { eventually } from '../../harness/eventually.ts'
import { newKeyRing, recordingPublisher } from './ingress-fixtures.ts'

// The core of the Kafka deployment's ingress (docs/relay.md, "Several instances (Kafka and
// PostgreSQL)"): what it produces, how a record is processed and answered, its failures. The topics
// are two arrays here, and the test hands each record to the instance that would consume it: the
// Kafka side (src/app/kafka-relay-ingress.ts) runs against the broker in
// test/app/kafka-relay-ingress.test.ts.

const SENDER = '+237650001234'
const PAYLOAD = Buffer.concat([Buffer.from([2, 40, 0, 0, 0x74]), randomBytes(40), Buffer.from('en')]).toString('base64')
const forward: Forward = { text: PAYLOAD, sender: SENDER, date: 1700000000123, dateSent: 1700000000000 }
const published = { success: true, message: 'Successfully published Twitter message', publisher_response: 'Successfully sent message' }
const internal = { ok: false, refusal: { status: 500, error: ingressTexts.internal }, outcome: 'failed' }

/** These forwards are platform payloads: no segment reaches the cache. */
const noSegments: SegmentCache = {
  add: async () => assert.fail('no segment expected'),
  session: async () => assert.fail('no segment expected'),
  remove: async () => assert.fail('no segment expected')
}

function instance (keys: SealingKeyRing, publishContent: PublishContent, options: { answerTimeoutMs?: number, maxAttempts?: number } = {}): { ingress: TopicIngress, forwards: Buffer[], replies: Buffer[] } {
  const forwards: Buffer[] = []
  const replies: Buffer[] = []
  const ingress = new TopicIngress({
    topics: {
      produceForward: async (_id, value) => { forwards.push(Buffer.from(value)) },
      produceReply: async value => { replies.push(Buffer.from(value)) }
    },
    keys,
    segments: noSegments,
    publishContent,
    maxAttempts: options.maxAttempts ?? 3,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 10,
    answerTimeoutMs: options.answerTimeoutMs ?? 10_000,
    log: createLogger({ level: 'silent' })
  })
  return { ingress, forwards, replies }
}

function inClear (records: readonly Buffer[]): string[] {
  const bytes = Buffer.concat(records)
  return [SENDER, SENDER.slice(1), PAYLOAD, PAYLOAD.slice(4, 40), 'Successfully sent message'].filter(secret => bytes.includes(Buffer.from(secret)))
}

test('a forward accepted by one instance and processed by another is answered over the reply topic; one it processed itself in process; sealed on both topics', async () => {
  const keys = newKeyRing()
  const publisher = recordingPublisher(async () => published)
  const x = instance(keys, publisher.publishContent)
  const y = instance(keys, publisher.publishContent)
  const answer = x.ingress.publish(forward, 'http')
  await eventually('the forward to be produced', () => x.forwards.length === 1)
  await y.ingress.process(x.forwards[0] as Buffer)
  assert.equal(y.replies.length, 1)
  x.ingress.reply(y.replies[0] as Buffer)
  assert.deepStrictEqual(await answer, { ok: true, publisherResponse: 'Successfully sent message', outcome: 'published' })
  assert.deepStrictEqual(publisher.requests.map(request => request.metadata.From), [SENDER])

  const own = x.ingress.publish(forward, 'http')
  await eventually('the forward to be produced', () => x.forwards.length === 2)
  await x.ingress.process(x.forwards[1] as Buffer)
  assert.deepStrictEqual(await own, { ok: true, publisherResponse: 'Successfully sent message', outcome: 'published' })
  assert.equal(x.replies.length, 0, 'no reply record for its own phone')
  assert.deepStrictEqual(inClear([...x.forwards, ...y.replies]), [], 'no number, payload or answer in clear')
  assert.equal(x.ingress.waiting, 0)
})

test('an MO is produced and processed with nobody waiting: no reply record', async () => {
  const publisher = recordingPublisher(async () => published)
  const x = instance(newKeyRing(), publisher.publishContent)
  await x.ingress.accept(forward, 'smpp')
  await x.ingress.process(x.forwards[0] as Buffer)
  assert.equal(publisher.requests.length, 1)
  assert.equal(x.replies.length, 0)
})

test('a failure inside is answered 500 at once, and the record is tried again until it is published; one that keeps failing is given up after maxAttempts', async () => {
  let calls = 0
  const flaky = recordingPublisher(async () => {
    calls++
    if (calls === 1) throw new Error('the store is down')
    return published
  })
  const x = instance(newKeyRing(), flaky.publishContent)
  const answer = x.ingress.publish(forward, 'http')
  await eventually('the forward to be produced', () => x.forwards.length === 1)
  const processing = x.ingress.process(x.forwards[0] as Buffer)
  assert.deepStrictEqual(await answer, internal)
  await processing
  assert.equal(flaky.requests.length, 2, 'tried again after the failure')

  const broken = recordingPublisher(async () => { throw new Error('the store is down') })
  const y = instance(newKeyRing(), broken.publishContent, { maxAttempts: 3 })
  await y.ingress.accept(forward, 'smpp')
  await y.ingress.process(y.forwards[0] as Buffer)
  assert.equal(broken.requests.length, 3, 'given up after its last attempt: the record may be committed')
})

test('a record that does not open (another key ring, not a forward) is skipped without calling the publisher', async () => {
  const publisher = recordingPublisher(async () => published)
  const x = instance(newKeyRing(), publisher.publishContent)
  const other = instance(newKeyRing(), publisher.publishContent)
  await other.ingress.accept(forward, 'smpp')
  await x.ingress.process(other.forwards[0] as Buffer)
  await x.ingress.process(Buffer.from('not json'))
  await x.ingress.process(Buffer.from('{"id":1}'))
  assert.equal(publisher.requests.length, 0)
})

test('closing during the wait before another attempt leaves the record unprocessed (it is not committed); a forward never answered in time is answered 500', async () => {
  const broken = recordingPublisher(async () => { throw new Error('the store is down') })
  const x = instance(newKeyRing(), broken.publishContent, { maxAttempts: 1000, answerTimeoutMs: 50 })
  const unanswered = await x.ingress.publish(forward, 'http')
  assert.deepStrictEqual(unanswered, internal)
  assert.equal(x.ingress.waiting, 0)
  const processing = x.ingress.process(x.forwards[0] as Buffer)
  await eventually('a first attempt', () => broken.requests.length >= 1)
  await x.ingress.close()
  await assert.rejects(processing, { name: 'AbortError' })
})
