import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import type { StatusFeed } from '../../../src/gateway/status/status-feed.ts'
import type { InboundFeed } from '../../../src/gateway/inbound/inbound-feed.ts'
import type { StoredInbound } from '../../../src/domain/stored-inbound.ts'
import { DestinationPolicy, guardedFetch, startWebhookDelivery, type WebhookDeliveryOptions } from '../../../src/http/webhooks/index.ts'
import type { HostResolver, Webhook, WebhookDirectory } from '../../../src/http/webhooks/index.ts'
import { garbageCollector } from '../../harness/garbage-collector.ts'
import { StatusFeedFake, capturingLogger, statusOf } from '../api/http-fakes.ts'
import { eventually } from '../../harness/eventually.ts'

// Webhook delivery to a real HTTP server on 127.0.0.1, with retries shortened to milliseconds.
// The loop-back is an internal destination: these tests allow it as an operator would
// (webhooks.allowedDestinations), and the last ones show what happens when it is not allowed.

const ALLOW_LOOPBACK = DestinationPolicy.allowing(['127.0.0.1'])

interface Received {
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** An HTTP server that records each request and answers it through `answer` (which may hold the response). */
async function receiver (t: test.TestContext, answer: (response: ServerResponse, index: number) => void = response => { response.writeHead(200).end() }) {
  const requests: Received[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      answer(response, requests.length - 1)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.after(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })
  return { requests, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/smsgw?token=receiver-own` }
}

const SECRET = 'whsec_test-secret'

function directoryOf (...webhooks: Webhook[]): WebhookDirectory {
  const byClient = new Map(webhooks.map(webhook => [webhook.clientId, webhook]))
  return { webhookOf: async clientId => byClient.get(clientId) }
}

function deliveryWith (t: test.TestContext, url: string, options: Partial<WebhookDeliveryOptions> = {}) {
  const statuses = new StatusFeedFake()
  const logged = capturingLogger('debug')
  const delivery = startWebhookDelivery({
    statuses,
    directory: directoryOf({ clientId: 'test', url, secret: SECRET }),
    log: logged.log,
    retry: { maxAttempts: 4, firstDelayMs: 10, maxDelayMs: 40, jitter: 0 },
    destinations: ALLOW_LOOPBACK,
    ...options
  })
  t.after(async () => { await delivery.close() })
  return { statuses, delivery, logged }
}

test('webhook delivery posts the status JSON, signed with the client\'s secret, with a delivery id', async (t) => {
  const { requests, url } = await receiver(t)
  const { statuses, delivery } = deliveryWith(t, url)
  statuses.report(statusOf('test', 'C1', 'INVALID', 0, { errorText: 'SMS body is empty' }))
  await eventually('requests.length === 1', () => requests.length === 1)
  await delivery.idle()
  const [request] = requests
  assert.ok(request !== undefined)
  const body = '{"client-id":"test","correl-id":"C1","timestamp":"2026-11-21T10:00:00Z","sms-status":"INVALID","error-text":"SMS body is empty"}'
  assert.deepStrictEqual({
    body: request.body,
    contentType: request.headers['content-type'],
    signature: request.headers['x-smsgw-signature'],
    deliveryId: /^[0-9a-f]{32}$/.test(String(request.headers['x-smsgw-delivery']))
  }, {
    body,
    contentType: 'application/json',
    // What a receiver computes with nothing but node:crypto.
    signature: `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    deliveryId: true
  })
  assert.deepStrictEqual(delivery.counters(), { delivered: 1, failed: 0, dropped: 0, duplicates: 0 })
})

test('webhook delivery tries again after 5xx answers, with the same body and delivery id', async (t) => {
  const { requests, url } = await receiver(t, (response, index) => { response.writeHead(index < 2 ? 500 : 200).end() })
  const { statuses, delivery, logged } = deliveryWith(t, url)
  statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('requests.length === 3', () => requests.length === 3)
  await delivery.idle()
  assert.equal(new Set(requests.map(request => `${request.headers['x-smsgw-delivery']} ${request.headers['x-smsgw-signature']} ${request.body}`)).size, 1)
  assert.deepStrictEqual(delivery.counters(), { delivered: 1, failed: 0, dropped: 0, duplicates: 0 })
  const retries = logged.lines().split('\n').filter(line => line.includes('will retry')).map(line => JSON.parse(line))
  assert.deepStrictEqual(retries.map(({ attempt, reason, retryInMs, origin }) => ({ attempt, reason, retryInMs, origin })), [
    { attempt: 1, reason: 'HTTP 500', retryInMs: 10, origin: new URL(url).origin },
    { attempt: 2, reason: 'HTTP 500', retryInMs: 20, origin: new URL(url).origin }
  ])
  // Only the origin is logged: the receiver's path and query may hold its own secret.
  assert.ok(!logged.lines().includes('receiver-own'))
})

test('webhook delivery gives up after maxAttempts, and at once on a 4xx that is not 408 or 429', async (t) => {
  const { requests, url } = await receiver(t, (response, index) => { response.writeHead(index < 4 ? 503 : 400).end() })
  const { statuses, delivery, logged } = deliveryWith(t, url)
  statuses.report(statusOf('test', 'C1', 'SENT'))
  statuses.report(statusOf('test', 'C1', 'DELIVERED', 1))
  await eventually('requests.length === 5', () => requests.length === 5)
  await delivery.idle()
  assert.deepStrictEqual(requests.map(request => JSON.parse(request.body)['sms-status']), ['SENT', 'SENT', 'SENT', 'SENT', 'DELIVERED'])
  assert.deepStrictEqual(delivery.counters(), { delivered: 0, failed: 2, dropped: 0, duplicates: 0 })
  const givenUp = logged.lines().split('\n').filter(line => line.includes('given up')).map(line => JSON.parse(line))
  assert.deepStrictEqual(givenUp.map(({ level, status, attempts, reason }) => ({ level, status, attempts, reason })), [
    { level: 'warn', status: 'SENT', attempts: 4, reason: 'HTTP 503' },
    { level: 'warn', status: 'DELIVERED', attempts: 1, reason: 'HTTP 400' }
  ])
})

test('webhook delivery counts a webhook that does not answer in time as a failed attempt', async (t) => {
  const { requests, url } = await receiver(t, () => {})
  const { statuses, delivery, logged } = deliveryWith(t, url, { timeoutMs: 50, retry: { maxAttempts: 2, firstDelayMs: 10, jitter: 0 } })
  statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('delivery.counters().failed === 1', () => delivery.counters().failed === 1)
  assert.equal(requests.length, 2)
  assert.match(logged.lines(), /"reason":"no answer within 50 ms"/)
})

test('webhook delivery tries again when the webhook cannot be reached', async (t) => {
  // A port that was free a moment ago. (Not a low one such as 1: fetch refuses those as "bad port".)
  const probe = createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise(resolve => probe.close(resolve))
  const { statuses, delivery, logged } = deliveryWith(t, `http://127.0.0.1:${port}/closed`, { retry: { maxAttempts: 2, firstDelayMs: 10, jitter: 0 } })
  statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('delivery.counters().failed === 1', () => delivery.counters().failed === 1)
  assert.match(logged.lines(), /"reason":"ECONNREFUSED"/)
})

test('webhook delivery posts a status reported twice once', async (t) => {
  const { requests, url } = await receiver(t)
  const { statuses, delivery } = deliveryWith(t, url)
  statuses.report(statusOf('test', 'C1', 'SENT'))
  statuses.report(statusOf('test', 'C1', 'SENT'))
  await delivery.idle()
  // Again after it was delivered, and with the milliseconds the status JSON does not carry.
  statuses.report({ ...statusOf('test', 'C1', 'SENT'), timestamp: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, 900)) })
  // The same status at another time, or another status, is news.
  statuses.report(statusOf('test', 'C1', 'SENT', 5))
  statuses.report(statusOf('test', 'C1', 'DELIVERED', 5))
  await eventually('requests.length === 3', () => requests.length === 3)
  await delivery.idle()
  assert.deepStrictEqual(requests.map(request => JSON.parse(request.body)).map(status => `${status['sms-status']} ${status.timestamp}`), [
    'SENT 2026-11-21T10:00:00Z', 'SENT 2026-11-21T10:00:05Z', 'DELIVERED 2026-11-21T10:00:05Z'
  ])
  assert.deepStrictEqual(delivery.counters(), { delivered: 3, failed: 0, dropped: 0, duplicates: 2 })
})

test('webhook delivery forgets the oldest statuses past dedupeEntries', async (t) => {
  const { requests, url } = await receiver(t)
  const { statuses, delivery } = deliveryWith(t, url, { dedupeEntries: 2 })
  for (const second of [0, 1, 2, 0, 2]) {
    statuses.report(statusOf('test', 'C1', 'SENT', second))
    await delivery.idle()
  }
  // 0 was forgotten when 2 came, so it is news again; 2 is still remembered.
  assert.deepStrictEqual(requests.map(request => JSON.parse(request.body).timestamp.slice(-3)), ['00Z', '01Z', '02Z', '00Z'])
  assert.deepStrictEqual(delivery.counters(), { delivered: 4, failed: 0, dropped: 0, duplicates: 1 })
})

// Issue 9: the de-duplication memory held each status's ids whole, 100,000 of them.
test('webhook delivery remembers statuses for de-duplication in bytes that do not grow with the ids', async (t) => {
  const gc = garbageCollector()
  let tell: (event: StatusEvent) => void = () => {}
  // A feed that keeps nothing itself, so that the heap shows what the delivery keeps.
  const statuses: StatusFeed = {
    history: async () => [],
    subscribe: (_clientId, listener) => { tell = listener; return () => {} }
  }
  const delivery = startWebhookDelivery({ statuses, directory: directoryOf(), log: capturingLogger().log })
  t.after(async () => { await delivery.close() })
  const idBytes = 20_000
  const statusCount = 1_000
  gc()
  const before = process.memoryUsage().heapUsed
  for (let n = 0; n < statusCount; n++) tell(statusOf('nobody', `${n}`.padStart(idBytes, 'x'), 'INVALID'))
  await delivery.idle()
  gc()
  const grew = process.memoryUsage().heapUsed - before
  // The ids alone are 20 MB; the memory holds 1,000 delivery ids of about 100 bytes.
  assert.ok(grew < 2 * 1024 * 1024, `the heap grew ${grew} bytes`)
  tell(statusOf('nobody', `${statusCount - 1}`.padStart(idBytes, 'x'), 'INVALID'))
  assert.deepStrictEqual(delivery.counters().duplicates, 1)
})

test('webhook delivery keeps each client\'s order, even across retries', async (t) => {
  const { requests, url } = await receiver(t, (response, index) => { response.writeHead(index === 0 ? 502 : 200).end() })
  const { statuses, delivery } = deliveryWith(t, url)
  statuses.report(statusOf('test', 'C1', 'SENT'))
  statuses.report(statusOf('test', 'C1', 'DELIVERED', 1))
  await eventually('requests.length === 3', () => requests.length === 3)
  await delivery.idle()
  assert.deepStrictEqual(requests.map(request => JSON.parse(request.body)['sms-status']), ['SENT', 'SENT', 'DELIVERED'])
})

/**
 * Reports `events` to a delivery with `options` while its receiver holds the first post, then
 * lets that one finish; resolves once `posts` posts have arrived and the delivery is idle.
 */
async function reportWhileFirstPostHeld (t: test.TestContext, options: Partial<WebhookDeliveryOptions>, events: readonly StatusEvent[], posts: number) {
  const held: ServerResponse[] = []
  const { requests, url } = await receiver(t, (response, index) => {
    if (index === 0) held.push(response)
    else response.writeHead(200).end()
  })
  const { statuses, delivery, logged } = deliveryWith(t, url, options)
  for (const event of events) statuses.report(event)
  await eventually('held.length === 1', () => held.length === 1)
  held[0]?.writeHead(200).end()
  await eventually('requests.length === posts', () => requests.length === posts)
  await delivery.idle()
  return { requests, statuses, delivery, logged }
}

test('webhook delivery drops the oldest waiting status past the queue bound, and logs it', async (t) => {
  const events = [0, 1, 2, 3, 4].map(second => statusOf('test', `C${second}`, 'SENT', second))
  const { requests, delivery, logged } = await reportWhileFirstPostHeld(t, { maxQueuedPerClient: 2 }, events, 3)
  // C0 was in flight, C1 and C2 were dropped for C3 and C4.
  assert.deepStrictEqual(requests.map(request => JSON.parse(request.body)['correl-id']), ['C0', 'C3', 'C4'])
  assert.deepStrictEqual(delivery.counters(), { delivered: 3, failed: 0, dropped: 2, duplicates: 0 })
  const warnings = logged.lines().split('\n').filter(line => line.includes('queue full')).map(line => JSON.parse(line))
  // One warning per 10 s at most, with the count so far.
  assert.deepStrictEqual(warnings.map(({ level, clientId, dropped, queueLimit }) => ({ level, clientId, dropped, queueLimit })), [
    { level: 'warn', clientId: 'test', dropped: 1, queueLimit: 2 }
  ])
})

// Issue 9: an error text may echo a recipient of some 60 KB; 1,000 of them waiting were 120 MB.
test('webhook delivery drops the oldest waiting status past the queue bound in bytes', async (t) => {
  // Each waits as about 4,700 bytes: two fit.
  const events = [0, 1, 2, 3, 4].map(second => statusOf('test', `C${second}`, 'INVALID', second, { errorText: 'x'.repeat(1_000) }))
  const { requests, statuses, delivery } = await reportWhileFirstPostHeld(t, { maxQueuedBytesPerClient: 10_000 }, events, 3)
  assert.deepStrictEqual(requests.map(request => JSON.parse(request.body)['correl-id']), ['C0', 'C3', 'C4'])
  assert.deepStrictEqual(delivery.counters(), { delivered: 3, failed: 0, dropped: 2, duplicates: 0 })
  // One status larger than the bound on its own still goes.
  statuses.report(statusOf('test', 'C-large', 'INVALID', 9, { errorText: 'y'.repeat(20_000) }))
  await eventually('requests.length === 4', () => requests.length === 4)
})

test('webhook delivery posts nothing for a client without a webhook', async (t) => {
  const { requests, url } = await receiver(t)
  const { statuses, delivery } = deliveryWith(t, url)
  statuses.report(statusOf('other', 'C1', 'SENT'))
  statuses.report(statusOf('test', 'C2', 'SENT'))
  await eventually('requests.length === 1', () => requests.length === 1)
  await delivery.idle()
  assert.deepStrictEqual(requests.map(request => JSON.parse(request.body)['client-id']), ['test'])
})

test('webhook delivery writes no status JSON for a client without a webhook', async (t) => {
  const { url } = await receiver(t)
  const { statuses, delivery } = deliveryWith(t, url)
  const stringify = t.mock.method(JSON, 'stringify')
  statuses.report(statusOf('other', 'C1', 'SENT'))
  await delivery.idle()
  // The delivery id's key is an array; a status JSON would be an object.
  assert.deepStrictEqual(stringify.mock.calls.filter(call => !Array.isArray(call.arguments[0])).length, 0)
})

test('webhook delivery close() aborts what is in flight, stops listening, and resolves', async (t) => {
  const { requests, url } = await receiver(t, () => {})
  const { statuses, delivery } = deliveryWith(t, url)
  statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('requests.length === 1', () => requests.length === 1)
  await delivery.close()
  assert.equal(statuses.subscribers, 0)
  statuses.report(statusOf('test', 'C2', 'SENT'))
  await delivery.idle()
  assert.deepStrictEqual({ requests: requests.length, counters: delivery.counters() },
    { requests: 1, counters: { delivered: 0, failed: 0, dropped: 0, duplicates: 0 } })
})

test('webhook delivery posts each inbound SMS stored for a client to its webhook, signed, marked as `inbound`, statuses marked as `status`', async (t) => {
  const { requests, url } = await receiver(t)
  const listeners = new Set<(message: StoredInbound) => void>()
  const inbound: InboundFeed = {
    list: () => [],
    subscribe: (_owner, listener) => {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    }
  }
  const { statuses, delivery, logged } = deliveryWith(t, url, { inbound })
  const message: StoredInbound = { id: 7, owner: 'test', connection: 'smsc-a', receivedAtMs: Date.parse('2026-11-21T10:00:00Z'), parts: 2, incomplete: true, sealed: 'c2VhbGVk' }
  for (const listener of listeners) listener(message)
  for (const listener of listeners) listener({ ...message, owner: 'nobody' })
  statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('requests.length === 2', () => requests.length === 2)
  await delivery.idle()
  const body = '{"id":"7","received":"2026-11-21T10:00:00Z","connection":"smsc-a","parts":2,"incomplete":true,"payload":"c2VhbGVk"}'
  assert.deepStrictEqual(requests.map(request => [request.headers['x-smsgw-event'], request.body.startsWith('{"id"') ? request.body : 'status', request.headers['x-smsgw-signature']]), [
    ['inbound', body, `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`],
    ['status', 'status', `sha256=${createHmac('sha256', SECRET).update(requests[1]?.body ?? '').digest('hex')}`]
  ])
  assert.match(logged.lines(), /"inboundId":"7"/)
  await delivery.close()
  assert.equal(listeners.size, 0, 'closing stops listening')
})

// Issue 9, item 2: the destination is checked on the address connected to, not only on the URL.

/** A resolver that knows `names` (each to its addresses) and nothing else, as DNS would answer. */
function resolverOf (names: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = []
  const resolve = (hostname: string, callback: Parameters<HostResolver>[1]): void => {
    asked.push(hostname)
    const addresses = names[hostname]
    if (addresses === undefined) callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), [])
    else callback(null, addresses.map(address => ({ address, family: address.includes(':') ? 6 : 4 })))
  }
  return Object.assign(resolve, { asked })
}

test('webhook delivery refuses a literal internal address without connecting, and gives the status up at once', async (t) => {
  const { requests, url } = await receiver(t)
  const { statuses, delivery, logged } = deliveryWith(t, url, { destinations: DestinationPolicy.strict })
  statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('delivery.counters().failed === 1', () => delivery.counters().failed === 1)
  assert.deepStrictEqual(requests.length, 0)
  const givenUp = logged.lines().split('\n').filter(line => line.includes('given up')).map(line => JSON.parse(line))
  assert.deepStrictEqual(givenUp.map(({ attempts, reason }) => ({ attempts, reason })), [{
    attempts: 1,
    reason: 'webhook destination refused: 127.0.0.1 is loopback (127.0.0.0/8); an operator may allow it in webhooks.allowedDestinations'
  }])
})

test('webhook delivery refuses a host name that resolves to a loop-back address when it connects, and posts to it once the allow-list names it', async (t) => {
  const { requests, url } = await receiver(t)
  // A name that passed registration (it is no literal address), whose DNS answer is the loop-back.
  const hookUrl = url.replace('127.0.0.1', 'hooks.receiver.example')
  const resolver = resolverOf({ 'hooks.receiver.example': ['127.0.0.1'] })
  assert.deepStrictEqual(DestinationPolicy.strict.refusalOfUrl(new URL(hookUrl)), undefined)

  const refused = deliveryWith(t, hookUrl, { fetch: guardedFetch(DestinationPolicy.strict, resolver) })
  refused.statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('refused.delivery.counters().failed === 1', () => refused.delivery.counters().failed === 1)
  assert.deepStrictEqual({ requests: requests.length, asked: resolver.asked }, { requests: 0, asked: ['hooks.receiver.example'] })
  assert.match(refused.logged.lines(), /"reason":"webhook destination refused: hooks\.receiver\.example resolves to 127\.0\.0\.1, loopback \(127\.0\.0\.0\/8\);/)

  // One answer internal among public ones is enough to refuse: the socket could pick any.
  const mixed = deliveryWith(t, hookUrl, { fetch: guardedFetch(DestinationPolicy.strict, resolverOf({ 'hooks.receiver.example': ['93.184.216.34', '::1'] })) })
  mixed.statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('mixed.delivery.counters().failed === 1', () => mixed.delivery.counters().failed === 1)
  assert.match(mixed.logged.lines(), /resolves to ::1, loopback \(::1\)/)

  for (const allowed of [['hooks.receiver.example'], ['127.0.0.0/8']]) {
    const delivered = deliveryWith(t, hookUrl, { fetch: guardedFetch(DestinationPolicy.allowing(allowed), resolver) })
    delivered.statuses.report(statusOf('test', `C-${allowed[0]}`, 'SENT'))
    await eventually('delivered.delivery.counters().delivered === 1', () => delivered.delivery.counters().delivered === 1)
  }
  assert.deepStrictEqual(requests.map(request => [request.headers.host, JSON.parse(request.body)['correl-id']]), [
    [new URL(hookUrl).host, 'C-hooks.receiver.example'], [new URL(hookUrl).host, 'C-127.0.0.0/8']
  ])
})

test('webhook delivery does not follow a redirect to an internal address', async (t) => {
  const { requests, url } = await receiver(t, response => { response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end() })
  const { statuses, delivery, logged } = deliveryWith(t, url)
  statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('delivery.counters().failed === 1', () => delivery.counters().failed === 1)
  assert.deepStrictEqual(requests.length, 1)
  assert.match(logged.lines(), /"reason":"HTTP 302"/)
})
