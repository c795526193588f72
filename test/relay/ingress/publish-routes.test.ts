import { status } from '@grpc/grpc-js'
import Fastify, { type FastifyInstance } from 'fastify'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { watchRelay } from '../../../src/http/observability/relay-metrics.ts'
import { RpcFailure } from '../../../src/relay/grpc/rpc-failure.ts'
import { MAX_PUBLISH_BODY_BYTES, publishRoutes, type ForwarderKeys } from '../../../src/relay/ingress/publish-routes.ts'
import type { PublishContentRequest } from '../../../src/relay/ingress/publish-content.ts'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'
import { imageTextSegments, newIngress, recordingPublisher } from './ingress-fixtures.ts'

// POST /v3/publish and POST /sms/platform/<x> (relay-wire.md §5.1 and §5) over the Fastify plugin:
// every rule and text as a table through inject, then the routes end to end over a real socket.

const SENDER = '+237650000001'
const PAYLOAD = Buffer.concat([Buffer.from([2, 6, 0, 0, 0x74]), randomBytes(6), Buffer.from('en')]).toString('base64')
const good = { text: PAYLOAD, address: SENDER, date: 1700000000123, date_sent: 1700000000000 }
const OOPS = { error: 'Oops! Something went wrong. Please try again later.' }
const files = await tempStoreFiles('relay-publish-routes')

/** The publisher's answers by the payload's platform shortcode byte: success, an RpcFailure, success=false. */
async function answerOf (request: PublishContentRequest): Promise<{ success: boolean, message: string, publisher_response: string }> {
  const shortcode = String.fromCharCode(Buffer.from(request.content, 'base64')[4] as number)
  if (shortcode === 'x') throw new RpcFailure(status.INVALID_ARGUMENT, "No platform found for shortcode 'x'.")
  if (shortcode === 'f') return { success: false, message: 'Failed to publish message', publisher_response: '' }
  return { success: true, message: 'Successfully published Twitter message', publisher_response: 'Successfully sent message' }
}

async function appWith (limits = {}, forwarders?: ForwarderKeys): Promise<{ app: FastifyInstance, requests: PublishContentRequest[], store: SqliteStore }> {
  const store = SqliteStore.open(files.next())
  const publisher = recordingPublisher(answerOf)
  const ingress = newIngress(store.relayIngress, publisher.publishContent, { limits })
  const app = Fastify()
  await app.register(publishRoutes({ ingress, forwarders }))
  app.addHook('onClose', async () => {
    await ingress.close()
    store.close()
  })
  return { app, requests: publisher.requests, store }
}

const payloadWith = (shortcode: string): string => Buffer.concat([Buffer.from([2, 1, 0, 0, shortcode.charCodeAt(0), 9]), Buffer.from('en')]).toString('base64')

test('POST /v3/publish answers every rule of relay-wire.md §5.1 with its status and text', async () => {
  const { app } = await appWith({ maxPerSender: 1 })
  const segments = imageTextSegments(5, PAYLOAD, 2)
  const rows: Array<[unknown, number, unknown]> = [
    [{}, 400, { error: 'Missing required field: text' }],
    [{ ...good, address: undefined }, 400, { error: 'Missing required field: address or MSISDN' }],
    [{ ...good, date: undefined }, 400, { error: 'Missing required field: date' }],
    [{ ...good, date_sent: 0 }, 400, { error: 'Missing required field: date_sent' }],
    [{ ...good, text: 'QUJDR' }, 400, { error: 'Invalid Base64-encoded payload' }],
    [{ ...good, text: '====' }, 400, { error: 'Decoded payload is empty' }],
    [{ ...good, text: Buffer.from([0, 1, 2]).toString('base64') }, 400, { error: 'Bridge payloads over HTTP are restricted.' }],
    [{ ...good, text: `${Buffer.from([4, 1, 0, 0, 0, 0, 0, 0]).toString('base64')}AAAA` }, 400, { error: 'Failed to parse image-text payload' }],
    [{ ...good, text: segments[0] }, 200, { publisher_response: 'Segment 1/2 received and cached for session 5 and sender +23********01.' }],
    [{ ...good, text: imageTextSegments(6, PAYLOAD, 2)[0] }, 400, { error: 'Failed to store message segment' }],
    [{ ...good, text: payloadWith('x') }, 400, { error: "No platform found for shortcode 'x'." }],
    [{ ...good, text: payloadWith('f') }, 400, { error: 'Failed to publish message' }],
    [{ ...good, text: 5 }, 500, OOPS],
    [[good], 500, OOPS],
    [JSON.stringify({ ...good, MSISDN: '+237699999999' }), 200, { publisher_response: 'Successfully sent message' }],
    ['{not json', 400, { error: 'Invalid JSON format' }],
    [{ ...good, thread_id: 1, read: 0, status: -1, type: 1, body: '', sub_id: 1, url: null, tag: null }, 200, { publisher_response: 'Successfully sent message' }]
  ]
  for (const [body, statusCode, answer] of rows) {
    const response = await app.inject({ method: 'POST', url: '/v3/publish', payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    assert.deepStrictEqual([response.statusCode, response.json()], [statusCode, answer], JSON.stringify(body))
  }
  await app.close()
})

test('POST /v3/publish reads the body as Flask does: JSON media types only, the BadRequest text for what is not JSON, 413 beyond its bound', async () => {
  const { app, requests } = await appWith()
  const post = async (payload: string | Buffer, contentType?: string): Promise<[number, unknown]> => {
    const response = await app.inject({ method: 'POST', url: '/v3/publish', payload, headers: contentType === undefined ? {} : { 'content-type': contentType } })
    return [response.statusCode, response.json()]
  }
  const malformed = { error: 'The browser (or proxy) sent a request that this server could not understand.' }
  assert.deepStrictEqual(await post(JSON.stringify(good), 'text/plain'), [500, OOPS])
  assert.deepStrictEqual(await post(JSON.stringify(good), 'application/x-www-form-urlencoded'), [500, OOPS])
  assert.deepStrictEqual(await post(JSON.stringify(good)), [500, OOPS])
  assert.deepStrictEqual(await post('{"text": ', 'application/json'), [400, malformed])
  assert.deepStrictEqual(await post('', 'application/json'), [400, malformed])
  assert.deepStrictEqual(await post(Buffer.from([0x7b, 0xff, 0x7d]), 'application/json'), [400, malformed])
  assert.deepStrictEqual(await post(JSON.stringify(good), 'application/vnd.relay+json; charset=utf-8'), [200, { publisher_response: 'Successfully sent message' }])
  assert.deepStrictEqual(await post(JSON.stringify({ ...good, tag: 'x'.repeat(MAX_PUBLISH_BODY_BYTES) }), 'application/json'), [413, { error: 'The data value transmitted exceeds the capacity limit.' }])
  assert.deepStrictEqual(await post(JSON.stringify({ ...good, address: '9'.repeat(129) }), 'application/json'), [400, { error: 'Sender address or MSISDN is too long.' }])
  assert.equal(requests.length, 1)
  await app.close()
})

test('POST /v3/publish and /sms/platform/<x> carry the Gateway Server\'s security headers and open CORS; a preflight is answered', async () => {
  const { app } = await appWith()
  const security = {
    'strict-transport-security': 'max-age=63072000; includeSubdomains',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "script-src 'self'; object-src 'self'",
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cache-control': 'no-cache'
  }
  for (const url of ['/v3/publish', '/sms/platform/twitter']) {
    for (const payload of [JSON.stringify(good), '{']) {
      const response = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } })
      for (const [name, value] of Object.entries(security)) assert.equal(response.headers[name], value, `${url} ${name}`)
      assert.match(String(response.headers['permissions-policy']), /^accelerometer=\(\), .* xr-spatial-tracking=\(\)$/)
      assert.equal(response.headers['access-control-allow-origin'], '*')
      assert.equal(response.headers['access-control-expose-headers'], url.startsWith('/v3/') ? 'Link, X-Page, X-Per-Page, X-Total-Count' : undefined)
    }
    const fromPage = await app.inject({ method: 'POST', url, payload: '{}', headers: { 'content-type': 'application/json', origin: 'https://relay.example' } })
    assert.deepStrictEqual([fromPage.statusCode, fromPage.headers['access-control-allow-origin'], fromPage.headers.vary], [400, 'https://relay.example', 'Origin'])
    const preflight = await app.inject({ method: 'OPTIONS', url, headers: { origin: 'https://relay.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
    assert.deepStrictEqual([preflight.statusCode, preflight.headers['access-control-allow-origin'], preflight.headers['access-control-allow-methods'], preflight.headers['access-control-allow-headers']], [200, 'https://relay.example', 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT', 'content-type'])
  }
  await app.close()
})

test('POST /v3/publish over a real socket: a payload handed to the publisher with upstream\'s metadata, segments joined, nothing left stored, counted by ingress and outcome', async () => {
  const registry = new Registry()
  const unwatch = watchRelay(registry, undefined, undefined, () => 0)
  const { app, requests, store } = await appWith()
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const post = async (path: string, body: unknown): Promise<[number, unknown]> => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return [response.status, await response.json()]
  }
  assert.deepStrictEqual(await post('/v3/publish', { ...good, date: '1700000000999', date_sent: 1699999999999 }), [200, { publisher_response: 'Successfully sent message' }])
  const [first, second] = imageTextSegments(2, PAYLOAD, 2) as [string, string]
  assert.deepStrictEqual(await post('/sms/platform/twitter', { ...good, text: second }), [200, { publisher_response: 'Segment 1/0 received and cached for session 2 and sender +23********01.' }])
  assert.deepStrictEqual(await post('/v3/publish', { ...good, MSISDN: SENDER, address: '+000', text: first }), [200, { publisher_response: 'Successfully sent message' }])
  assert.deepStrictEqual(await post('/v3/publish', { ...good, text: '' }), [400, { error: 'Missing required field: text' }])
  assert.deepStrictEqual(requests, [
    { content: PAYLOAD, metadata: { From: SENDER, Date: '1700000000', Date_sent: '1699999999' } },
    { content: PAYLOAD, metadata: { From: SENDER, Date: '1700000000', Date_sent: '1700000000' } }
  ])
  assert.deepStrictEqual([store.relayIngress.countForwards(), store.relayIngress.countSegments()], [0, 0])
  const metrics = await registry.metrics()
  for (const series of ['smsgw_relay_ingress_total{ingress="http",outcome="published"} 2', 'smsgw_relay_ingress_total{ingress="http",outcome="segment-cached"} 1', 'smsgw_relay_ingress_total{ingress="http",outcome="refused"} 1', 'smsgw_relay_segments_pending 0']) {
    assert.ok(metrics.split('\n').includes(series), series)
  }
  assert.ok(!metrics.includes(SENDER.slice(1)) && !metrics.includes(PAYLOAD.slice(0, 8)))
  unwatch()
  await app.close()
})

test('POST /v3/publish with forwarding keys required refuses a forward without a registered client\'s key before reading it, and records the client\'s published forward', async () => {
  // A stand-in of the gateway-client registry's forwarderAuthorization and recordForward (branch
  // gateway-clients, not merged into this one): one client, one key.
  const recorded: Array<[string, number]> = []
  const forwarders: ForwarderKeys = {
    required: true,
    header: 'x-smsgw-forwarder-key',
    authorize: async key => key === 'smsgw_gc_good' ? { msisdn: '+237690000000' } : undefined,
    recordPublished: async (msisdn, atMs) => { recorded.push([msisdn, atMs]) }
  }
  const { app, requests } = await appWith({}, forwarders)
  const post = async (headers: Record<string, string>, body: unknown = good): Promise<[number, unknown]> => {
    const response = await app.inject({ method: 'POST', url: '/v3/publish', payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } })
    return [response.statusCode, response.json()]
  }
  const refused = [401, { error: 'A registered gateway client\'s forwarding key is required.' }]
  assert.deepStrictEqual(await post({}), refused)
  assert.deepStrictEqual(await post({}, {}), refused, 'before the field rules')
  assert.deepStrictEqual(await post({ 'x-smsgw-forwarder-key': 'smsgw_gc_other' }), refused)
  assert.equal(requests.length, 0)
  const before = Date.now()
  assert.deepStrictEqual(await post({ 'x-smsgw-forwarder-key': 'smsgw_gc_good' }), [200, { publisher_response: 'Successfully sent message' }])
  assert.deepStrictEqual(await post({ 'x-smsgw-forwarder-key': 'smsgw_gc_good' }, { ...good, text: payloadWith('f') }), [400, { error: 'Failed to publish message' }])
  assert.deepStrictEqual(recorded.map(([msisdn]) => msisdn), ['+237690000000'], 'only the published forward')
  assert.ok((recorded[0]?.[1] ?? 0) >= before)
  await app.close()
})
