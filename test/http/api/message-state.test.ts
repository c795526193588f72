// GET /v1/messages/{correlId} right after the 202 (issue 9, item 13): an accepted request is
// `queued` from the moment it is accepted, on the real ingresses: the embedded queue on SQLite
// and PostgreSQL, and `send-sms` on a real broker. No gateway consumes here, so the request stays
// queued for as long as the test looks; a status then turns it `reported`.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, test, type TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { requestValuePrefix, type RequestIngress } from '../../../src/gateway/request-ingress.ts'
import { RecentStatuses } from '../../../src/gateway/status/recent-statuses.ts'
import type { StatusFeed } from '../../../src/gateway/status/status-feed.ts'
import type { StatusSink } from '../../../src/gateway/status/status-sink.ts'
import { ApiKeyFile } from '../../../src/http/api-keys/index.ts'
import { checkSendRequest } from '../../../src/http/api/send-request-body.ts'
import { buildHttpApp } from '../../../src/http/app.ts'
import { createLogger } from '../../../src/log/logger.ts'
import { openEmbeddedTransport } from '../../../src/transport/embedded/index.ts'
import { CoalescingProducer } from '../../../src/transport/kafka/coalescing-producer.ts'
import { kafkaIngress } from '../../../src/transport/kafka/kafka-ingress.ts'
import { ensureTopics } from '../../../src/transport/kafka/topics.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { kafkaBrokers, uniqueTopicName } from '../../harness/kafka.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { statusOf, temporaryFolder } from './http-fakes.ts'

const kinds = await storeKinds('message-state')
const PAYLOAD = Buffer.from('a sealed payload stands here').toString('base64')

async function appOver (t: TestContext, ingress: RequestIngress, statuses: StatusFeed): Promise<{ app: FastifyInstance, key: string }> {
  const keys = await ApiKeyFile.open(join(await temporaryFolder(), 'keys.json'))
  const key = (await keys.create('acme')).key
  await keys.create('other')
  const app = await buildHttpApp({ ingress, statuses, apiKeys: keys, rateLimit: { requestsPerSecond: 1000, burst: 1000 }, log: createLogger({ level: 'silent' }) })
  t.after(async () => { await app.close() })
  return { app, key }
}

/** POST, then GET at once: queued; then a status: reported. Correl-ids with LIKE wildcards and quotes find only themselves. */
async function checkQueuedThenReported (app: FastifyInstance, key: string, sink: StatusSink): Promise<void> {
  const authorization = `Bearer ${key}`
  const get = async (correlId: string): Promise<{ statusCode: number, body: Record<string, unknown> }> => {
    const response = await app.inject({ method: 'GET', url: `/v1/messages/${encodeURIComponent(correlId)}`, headers: { authorization } })
    return { statusCode: response.statusCode, body: response.json() }
  }
  const correlId = 'a%b_c"d\\e'
  const posted = await app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization }, payload: { 'client-id': 'acme', 'correl-id': correlId, deadline: '2100-01-01T00:00:00Z', payload: PAYLOAD } })
  assert.equal(posted.statusCode, 202)

  assert.deepStrictEqual(await get(correlId), { statusCode: 200, body: { 'client-id': 'acme', 'correl-id': correlId, state: 'queued', statuses: [] } })
  for (const other of ['a%b_c"d', 'axb_c"d\\e', 'a%b_c"d\\e2']) assert.equal((await get(other)).statusCode, 404, other)

  await sink.report(statusOf('acme', correlId, 'SENT', 5))
  const reported = await get(correlId)
  assert.deepStrictEqual([reported.statusCode, reported.body.state, (reported.body.statuses as unknown[]).length], [200, 'reported', 1])
}

test('requestValuePrefix is how every value the API accepts begins', () => {
  for (const correlId of ['C1', 'a%b_c"d\\e', 'é\u2028😀', '12345678901234567890']) {
    const checked = checkSendRequest({ 'client-id': 'acme', 'correl-id': correlId, deadline: '2100-01-01T00:00:00Z', payload: PAYLOAD })
    assert.ok('request' in checked)
    assert.ok(checked.request.value.startsWith(requestValuePrefix('acme', correlId)), correlId)
  }
})

for (const kind of kinds) {
  describe(`GET /v1/messages/{correlId} on the embedded ${kind.name} queue`, () => {
    test('answers queued right after the 202, reported after the first status, and 404 once done without one', async t => {
      const transport = await openEmbeddedTransport(await openStore(await kind.newLocation()))
      t.after(async () => { await transport.close() })
      const { app, key } = await appOver(t, transport.ingress, transport.statuses)
      await checkQueuedThenReported(app, key, transport.statuses)

      // The queue's state is the store's: another client's correl-id, and a request done, are not queued.
      assert.equal(await transport.ingress.queued('other', 'a%b_c"d\\e'), false)
      const [queued] = await transport.store.requests.queuedAfter(0, 1)
      const lease = await transport.store.requests.leaseConsumer(AbortSignal.timeout(5_000))
      assert.ok(queued !== undefined && lease !== undefined)
      await transport.store.requests.markDone(queued.seq, lease)
      assert.equal(await transport.ingress.queued('acme', 'a%b_c"d\\e'), false)
    })
  })
}

test('GET /v1/messages/{correlId} on the Kafka ingress answers queued for what this instance put on send-sms', { timeout: 30_000 }, async t => {
  const connection = { brokers: [kafkaBrokers()], clientId: 'message-state-test' }
  const topic = uniqueTopicName('message-state')
  await ensureTopics(connection, [{ name: topic, compacted: false }], { partitions: 1, replicationFactor: 1 })
  const producer = new CoalescingProducer(connection)
  t.after(async () => { await producer.close() })
  const statuses = new RecentStatuses()
  const { app, key } = await appOver(t, kafkaIngress(producer, topic), statuses)
  await checkQueuedThenReported(app, key, statuses)
})
