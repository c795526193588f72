import assert from 'node:assert/strict'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { errorCodes } from '../../src/errors.ts'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { buildHttpApp, type HttpAppOptions } from '../../src/http/app.ts'
import { DestinationPolicy, verifyWebhookSignature } from '../../src/http/webhooks/index.ts'
import { IngressFake, StatusFeedFake, capturingLogger, statusOf, temporaryFolder } from './api/http-fakes.ts'
import { eventually } from '../harness/eventually.ts'

// The app as a whole: OpenAPI, the docs page, extra plugins, the webhook service's lifetime.
// The routes themselves are tested in test/http/api/.

const folder = await temporaryFolder()
const keys = await ApiKeyFile.open(join(folder, 'keys.json'))

async function appWith (t: test.TestContext, options: Partial<HttpAppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildHttpApp({
    ingress: new IngressFake(),
    statuses: new StatusFeedFake(),
    apiKeys: keys,
    rateLimit: { requestsPerSecond: 10, burst: 10 },
    log: capturingLogger().log,
    ...options
  })
  t.after(async () => { await app.close() })
  return app
}

test('buildHttpApp serves an OpenAPI 3.1 document of the /v1 routes at /openapi.json', async (t) => {
  const app = await appWith(t)
  const response = await app.inject({ method: 'GET', url: '/openapi.json' })
  assert.equal(response.statusCode, 200)
  const document = response.json()
  assert.deepStrictEqual({
    openapi: document.openapi,
    operations: Object.entries(document.paths as Record<string, object>).map(([path, methods]) => `${Object.keys(methods).join(',')} ${path}`),
    security: document.components.securitySchemes
  }, {
    openapi: '3.1.0',
    operations: ['post /v1/messages', 'post /v1/messages/batch', 'get /v1/messages/{correlId}', 'get /v1/statuses/stream'],
    security: {
      apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, `smsgw_<id>_<secret>`, made by `smsgw api-key create CLIENT`' },
      operatorKey: { type: 'http', scheme: 'bearer', description: 'An operator key, `smsgw_op_<id>_<secret>`, made by `smsgw api-key operator create` (or printed by the first `smsgw run`)' }
    }
  })
  const send = document.paths['/v1/messages'].post
  assert.deepStrictEqual({
    security: send.security,
    required: send.requestBody.content['application/json'].schema.required,
    responses: Object.keys(send.responses)
  }, {
    security: [{ apiKey: [] }],
    required: ['client-id', 'correl-id', 'deadline', 'payload'],
    responses: ['202', '400', '401', '403', '413', '415', '429', '503']
  })
  assert.deepStrictEqual(Object.keys(document.paths['/v1/statuses/stream'].get.responses['200'].content), ['text/event-stream'])
})

test('buildHttpApp serves the docs page at /docs', async (t) => {
  const app = await appWith(t)
  const page = await app.inject({ method: 'GET', url: '/docs' })
  assert.deepStrictEqual({ statusCode: page.statusCode, type: page.headers['content-type'] }, { statusCode: 200, type: 'text/html; charset=utf-8' })
  assert.match(page.body, /swagger-ui/i)
  const document = await app.inject({ method: 'GET', url: '/docs/json' })
  assert.equal(document.json().openapi, '3.1.0')
})

test('buildHttpApp registers extra plugins, which reach the shared services as app.smsgw', async (t) => {
  const statuses = new StatusFeedFake()
  statuses.report(statusOf('test', 'C1', 'SENT'))
  const app = await appWith(t, {
    statuses,
    plugins: [async (child) => {
      child.get('/health', async () => ({ statuses: (await child.smsgw.statuses.history('test', 'C1')).length }))
    }]
  })
  const response = await app.inject({ method: 'GET', url: '/health' })
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.json() }, { statusCode: 200, body: { statuses: 1 } })
})

test('buildHttpApp answers unknown routes with a 404 problem', async (t) => {
  const app = await appWith(t)
  const response = await app.inject({ method: 'GET', url: '/v2/messages' })
  assert.deepStrictEqual({ statusCode: response.statusCode, error: response.json().error }, { statusCode: 404, error: 'Not Found' })
})

test('buildHttpApp rejects a rate limit that admits nothing', async () => {
  await assert.rejects(buildHttpApp({
    ingress: new IngressFake(),
    statuses: new StatusFeedFake(),
    apiKeys: keys,
    rateLimit: { requestsPerSecond: 0, burst: 10 },
    log: capturingLogger().log
  }), { code: errorCodes.config })
})

test('buildHttpApp posts statuses to webhooks while it is ready, and stops when it closes', async (t) => {
  const received: Array<{ body: string, signature: string | undefined }> = []
  const receiver = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: request.headers['x-smsgw-signature'] as string | undefined })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve))
  t.after(() => { receiver.close() })
  // The receiver is on the loop-back, an internal destination: allowed as an operator would allow it.
  const destinations = DestinationPolicy.allowing(['127.0.0.1'])
  const hookFile = await ApiKeyFile.open(join(folder, 'hooks.json'), { webhookDestinations: destinations })
  const webhook = await hookFile.setWebhook('test', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`)
  const statuses = new StatusFeedFake()
  const app = await appWith(t, { statuses, webhooks: { directory: hookFile, destinations } })
  assert.equal(statuses.subscribers, 0)
  await app.ready()
  assert.equal(statuses.subscribers, 1)
  statuses.report(statusOf('test', 'C1', 'SENT'))
  await eventually('the webhook to receive the status', () => received.length > 0)
  assert.deepStrictEqual(received.map(({ body, signature }) => ({ body, verified: verifyWebhookSignature(webhook.secret, body, signature) })), [
    { body: '{"client-id":"test","correl-id":"C1","timestamp":"2026-11-21T10:00:00Z","sms-status":"SENT"}', verified: true }
  ])
  await app.close()
  assert.equal(statuses.subscribers, 0)
})

test('buildHttpApp logs no key, token or cookie of a request, in its URL or in its headers (issue 9, item 4)', async (t) => {
  const logged = capturingLogger()
  const app = await appWith(t, { log: logged.log })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const bearer = `smsgw_0123456789ab_${'B'.repeat(37)}SECRET`
  const keyInQuery = await fetch(`${base}/v1/messages/C1?api_key=SECRET-QUERY&page=2`, {
    headers: { authorization: `Bearer ${bearer}`, cookie: 'smsgw_dashboard=SECRET-COOKIE', 'x-api-key': 'SECRET-HEADER' }
  })
  const unknownRoute = await fetch(`${base}/nowhere?access_token=SECRET-404&password=SECRET-PW`, { headers: { authorization: 'Bearer SECRET-OTHER' } })
  assert.deepStrictEqual([keyInQuery.status, unknownRoute.status], [401, 404])
  await Promise.all([keyInQuery.body?.cancel(), unknownRoute.body?.cancel()])
  await app.close()
  const lines = logged.lines()
  assert.deepStrictEqual(lines.match(/SECRET[\w-]*/g), null)
  // The log still tells which request it was.
  assert.match(lines, /"url":"\/v1\/messages\/C1\?api_key=\[redacted\]&page=2"/)
  assert.match(lines, /"msg":"Route GET:\/nowhere\?access_token=\[redacted\]&password=\[redacted\] not found"/)
})
