import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { ApiKeyFile } from '../../../src/http/api-keys/index.ts'
import { buildHttpApp } from '../../../src/http/app.ts'
import { IngressFake, StatusFeedFake, capturingLogger, temporaryFolder } from './http-fakes.ts'

// The guard of the /v1 routes: authentication is covered route by route in message-routes.test.ts;
// this is the rate limit, on an app with a tiny one.

const folder = await temporaryFolder()
const keys = await ApiKeyFile.open(join(folder, 'keys.json'))
const testKey = (await keys.create('test')).key
const otherKey = (await keys.create('other')).key
const request = { 'client-id': 'test', 'correl-id': 'C1', deadline: '2100-01-01T00:00:00Z', payload: 'QUJD' }

test('the /v1 routes answer 429 with Retry-After once the client\'s bucket is empty, other clients unaffected', async (t) => {
  const ingress = new IngressFake()
  const app = await buildHttpApp({ ingress, statuses: new StatusFeedFake(), apiKeys: keys, rateLimit: { requestsPerSecond: 0.5, burst: 2 }, log: capturingLogger().log })
  t.after(async () => { await app.close() })
  const as = (key: string) => ({ authorization: `Bearer ${key}` })
  const codes = [
    (await app.inject({ method: 'POST', url: '/v1/messages', headers: as(testKey), payload: request })).statusCode,
    (await app.inject({ method: 'GET', url: '/v1/messages/C1', headers: as(testKey) })).statusCode
  ]
  assert.deepStrictEqual(codes, [202, 200])
  const limited = await app.inject({ method: 'POST', url: '/v1/messages', headers: as(testKey), payload: request })
  assert.deepStrictEqual({ statusCode: limited.statusCode, retryAfter: limited.headers['retry-after'], body: limited.json() }, {
    statusCode: 429,
    retryAfter: '2',
    body: { statusCode: 429, error: 'Too Many Requests', message: 'rate limit of client test exceeded; retry in 2 s' }
  })
  assert.equal(ingress.accepted.length, 1)
  assert.equal((await app.inject({ method: 'GET', url: '/v1/messages/C1', headers: as(otherKey) })).statusCode, 404)
})

test('POST /v1/messages/batch takes a token per request, leaving the bucket in debt', async (t) => {
  const app = await buildHttpApp({ ingress: new IngressFake(), statuses: new StatusFeedFake(), apiKeys: keys, rateLimit: { requestsPerSecond: 1, burst: 5 }, log: capturingLogger().log })
  t.after(async () => { await app.close() })
  const headers = { authorization: `Bearer ${testKey}` }
  const batch = await app.inject({ method: 'POST', url: '/v1/messages/batch', headers, payload: Array.from({ length: 20 }, () => request) })
  assert.equal(batch.statusCode, 202)
  const next = await app.inject({ method: 'POST', url: '/v1/messages', headers, payload: request })
  // 5 tokens, 20 taken: 15 owed and one more needed, at one a second.
  assert.deepStrictEqual({ statusCode: next.statusCode, retryAfter: next.headers['retry-after'] }, { statusCode: 429, retryAfter: '16' })
})

test('the /v1 routes answer 401 before counting against any limit', async (t) => {
  const app = await buildHttpApp({ ingress: new IngressFake(), statuses: new StatusFeedFake(), apiKeys: keys, rateLimit: { requestsPerSecond: 1, burst: 1 }, log: capturingLogger().log })
  t.after(async () => { await app.close() })
  for (let attempt = 0; attempt < 3; attempt++) {
    assert.equal((await app.inject({ method: 'GET', url: '/v1/messages/C1' })).statusCode, 401)
  }
  assert.equal((await app.inject({ method: 'GET', url: '/v1/messages/C1', headers: { authorization: `Bearer ${testKey}` } })).statusCode, 404)
})
