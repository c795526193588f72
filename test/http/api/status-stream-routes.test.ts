import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { ApiKeyFile } from '../../../src/http/api-keys/index.ts'
import { buildHttpApp } from '../../../src/http/app.ts'
import { MAX_STREAMS_PER_CLIENT } from '../../../src/http/api/event-streams.ts'
import { MAX_STREAMS } from '../../../src/http/api/status-stream-routes.ts'
import { IngressFake, StatusFeedFake, capturingLogger, statusOf, temporaryFolder } from './http-fakes.ts'
import { eventually } from '../../harness/eventually.ts'

// GET /v1/statuses/stream over a real socket (inject() cannot hold a response open), read with fetch.

const folder = await temporaryFolder()
const keys = await ApiKeyFile.open(join(folder, 'keys.json'))
const testKey = (await keys.create('test')).key

async function listening (t: test.TestContext, statuses: StatusFeedFake, heartbeatMs?: number): Promise<{ app: FastifyInstance, url: string }> {
  const app = await buildHttpApp({
    ingress: new IngressFake(),
    statuses,
    apiKeys: keys,
    rateLimit: { requestsPerSecond: 100, burst: 100 },
    log: capturingLogger().log,
    ...(heartbeatMs === undefined ? {} : { heartbeatMs })
  })
  t.after(async () => { await app.close() })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, url: `${address}/v1/statuses/stream` }
}

/** Reads the event stream as text until `done` says the text so far is enough. */
async function readUntil (body: ReadableStream<Uint8Array>, done: (text: string) => boolean): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  for await (const chunk of body) {
    text += decoder.decode(chunk, { stream: true })
    if (done(text)) break
  }
  return text
}

test('GET /v1/statuses/stream sends the key\'s client\'s statuses as `status` events', async (t) => {
  const statuses = new StatusFeedFake()
  const { url } = await listening(t, statuses)
  const abort = new AbortController()
  const response = await fetch(url, { headers: { authorization: `Bearer ${testKey}` }, signal: abort.signal })
  assert.deepStrictEqual({ status: response.status, type: response.headers.get('content-type') },
    { status: 200, type: 'text/event-stream; charset=utf-8' })
  assert.ok(response.body !== null)
  await eventually('statuses.subscribers === 1', () => statuses.subscribers === 1)
  statuses.report(statusOf('other', 'X1', 'SENT'))
  statuses.report(statusOf('test', 'C1', 'SENT', 1, { recallId: '4711' }))
  statuses.report(statusOf('test', 'C1', 'DELIVERED', 2))
  const text = await readUntil(response.body, received => received.includes('DELIVERED'))
  abort.abort()
  assert.equal(text,
    ': connected\n\n' +
    'event: status\ndata: {"client-id":"test","correl-id":"C1","timestamp":"2026-11-21T10:00:01Z","sms-status":"SENT","recall-id":"4711"}\n\n' +
    'event: status\ndata: {"client-id":"test","correl-id":"C1","timestamp":"2026-11-21T10:00:02Z","sms-status":"DELIVERED"}\n\n')
})

test('GET /v1/statuses/stream sends a heartbeat comment while nothing happens', async (t) => {
  const { url } = await listening(t, new StatusFeedFake(), 20)
  const abort = new AbortController()
  const response = await fetch(url, { headers: { authorization: `Bearer ${testKey}` }, signal: abort.signal })
  assert.ok(response.body !== null)
  const text = await readUntil(response.body, received => received.split(': heartbeat\n\n').length > 2)
  abort.abort()
  assert.equal(text, ': connected\n\n: heartbeat\n\n: heartbeat\n\n')
})

test('GET /v1/statuses/stream unsubscribes when the client goes away', async (t) => {
  const statuses = new StatusFeedFake()
  const { url } = await listening(t, statuses)
  const abort = new AbortController()
  const response = await fetch(url, { headers: { authorization: `Bearer ${testKey}` }, signal: abort.signal })
  assert.equal(response.status, 200)
  await eventually('statuses.subscribers === 1', () => statuses.subscribers === 1)
  abort.abort()
  await eventually('statuses.subscribers === 0', () => statuses.subscribers === 0)
  // Reporting to nobody must not throw.
  statuses.report(statusOf('test', 'C1', 'SENT'))
})

test('GET /v1/statuses/stream streams end when the app closes', async (t) => {
  const statuses = new StatusFeedFake()
  const { app, url } = await listening(t, statuses)
  const response = await fetch(url, { headers: { authorization: `Bearer ${testKey}` } })
  assert.ok(response.body !== null)
  await eventually('statuses.subscribers === 1', () => statuses.subscribers === 1)
  const [text] = await Promise.all([readUntil(response.body, () => false), app.close()])
  assert.deepStrictEqual({ text, subscribers: statuses.subscribers }, { text: ': connected\n\n', subscribers: 0 })
})

test('GET /v1/statuses/stream answers 401 without a key and 429 past the open streams a client may have', async (t) => {
  const statuses = new StatusFeedFake()
  const { url } = await listening(t, statuses)
  const unauthorised = await fetch(url)
  assert.deepStrictEqual({ status: unauthorised.status, body: await unauthorised.json() },
    { status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'missing API key: send the header Authorization: Bearer <key>' } })
  const abort = new AbortController()
  t.after(() => { abort.abort() })
  const open = await Promise.all(Array.from({ length: MAX_STREAMS_PER_CLIENT },
    async () => await fetch(url, { headers: { authorization: `Bearer ${testKey}` }, signal: abort.signal })))
  assert.deepStrictEqual(open.map(response => response.status), open.map(() => 200))
  const refused = await fetch(url, { headers: { authorization: `Bearer ${testKey}` } })
  assert.deepStrictEqual({ status: refused.status, retryAfter: refused.headers.get('retry-after'), body: await refused.json() }, {
    status: 429,
    retryAfter: '5',
    body: { statusCode: 429, error: 'Too Many Requests', message: `client test has ${MAX_STREAMS_PER_CLIENT} status streams open already` }
  })
})

// Issue 9: every subscriber is bounded, over all clients too, not only per client.
test('GET /v1/statuses/stream answers 503 past the open streams of all clients together, and takes one again when one ends', async (t) => {
  const statuses = new StatusFeedFake()
  const { url } = await listening(t, statuses)
  const clients = Math.ceil((MAX_STREAMS + 1) / MAX_STREAMS_PER_CLIENT)
  const clientKeys = await Promise.all(Array.from({ length: clients }, async (_, n) => (await keys.create(`many-${n}`)).key))
  const aborts = Array.from({ length: MAX_STREAMS }, () => new AbortController())
  t.after(() => { for (const abort of aborts) abort.abort() })
  const open = await Promise.all(aborts.map(async (abort, n) =>
    await fetch(url, { headers: { authorization: `Bearer ${clientKeys[n % clients] ?? ''}` }, signal: abort.signal })))
  assert.deepStrictEqual(open.map(response => response.status), open.map(() => 200))
  await eventually('statuses.subscribers === MAX_STREAMS', () => statuses.subscribers === MAX_STREAMS)
  const refused = await fetch(url, { headers: { authorization: `Bearer ${clientKeys[clients - 1] ?? ''}` } })
  assert.deepStrictEqual({ status: refused.status, retryAfter: refused.headers.get('retry-after'), body: await refused.json() }, {
    status: 503,
    retryAfter: '5',
    body: { statusCode: 503, error: 'Service Unavailable', message: `the gateway has ${MAX_STREAMS} status streams open already` }
  })
  aborts[0]?.abort()
  await eventually('statuses.subscribers === MAX_STREAMS - 1', () => statuses.subscribers === MAX_STREAMS - 1)
  const again = await fetch(url, { headers: { authorization: `Bearer ${clientKeys[0] ?? ''}` } })
  assert.equal(again.status, 200)
  await again.body?.cancel()
})
