import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { MAX_REQUEST_BYTES } from '../../../src/gateway/stages/parse-request.ts'
import { ApiKeyFile } from '../../../src/http/api-keys/index.ts'
import { buildHttpApp } from '../../../src/http/app.ts'
import { IngressFake, StatusFeedFake, capturingLogger, statusOf, temporaryFolder } from './http-fakes.ts'

// POST /v1/messages, POST /v1/messages/batch and GET /v1/messages/{correlId} through inject(),
// on the real API key file and the in-memory fakes of http-fakes.ts (why fakes: see there).

const folder = await temporaryFolder()
const keys = await ApiKeyFile.open(join(folder, 'keys.json'))
const ingress = new IngressFake()
const statuses = new StatusFeedFake()
const logged = capturingLogger()
let app: FastifyInstance
let testKey: string
let otherKey: string

// Valid base64 is all the API checks of a payload; opening it is the pipeline's business.
const PAYLOAD = Buffer.from('a sealed payload stands here').toString('base64')
const request = (fields: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ 'client-id': 'test', 'correl-id': 'C1', deadline: '2100-01-01T00:00:00Z', payload: PAYLOAD, ...fields })

before(async () => {
  testKey = (await keys.create('test')).key
  otherKey = (await keys.create('other')).key
  app = await buildHttpApp({ ingress, statuses, apiKeys: keys, rateLimit: { requestsPerSecond: 1000, burst: 1000 }, log: logged.log })
})
after(async () => { await app.close() })

async function send (options: InjectOptions & { key?: string | null }) {
  const { key = testKey, ...rest } = options
  const headers = { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...rest.headers }
  const response = await app.inject({ ...rest, headers })
  return { statusCode: response.statusCode, headers: response.headers, body: response.json() as Record<string, unknown> }
}

const post = async (payload: unknown, key?: string | null) =>
  await send({ method: 'POST', url: '/v1/messages', payload: payload as InjectOptions['payload'], ...(key === undefined ? {} : { key }) })

const badRequest = (...errors: string[]) => ({
  statusCode: 400,
  body: { statusCode: 400, error: 'Bad Request', message: errors.join('; '), errors }
})

test('POST /v1/messages answers 202 and hands the request to the ingress, once it is accepted', async () => {
  ingress.accepted.length = 0
  const response = await post(request({ 'correl-id': 'C-202', extra: 'ignored' }))
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body },
    { statusCode: 202, body: { 'correl-id': 'C-202', accepted: true } })
  assert.deepStrictEqual(ingress.accepted, [[JSON.stringify(request({ 'correl-id': 'C-202' }))]])
})

test('POST /v1/messages takes a JSON number where a string is expected, as its exact text (spec §2)', async () => {
  ingress.accepted.length = 0
  const body = `{"client-id":"test","correl-id":12345678901234567890,"deadline":"2100-01-01T00:00:00Z","payload":"${PAYLOAD}"}`
  const response = await send({ method: 'POST', url: '/v1/messages', payload: body, headers: { 'content-type': 'application/json' } })
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body },
    { statusCode: 202, body: { 'correl-id': '12345678901234567890', accepted: true } })
  assert.equal(JSON.parse(ingress.accepted[0]?.[0] ?? '')['correl-id'], '12345678901234567890')
})

test('POST /v1/messages/batch takes a number as its text in any request of the batch, not only the first', async () => {
  // The body parser reads a number's text only when the parsed body holds one: it must find it anywhere.
  ingress.accepted.length = 0
  const second = `{"client-id":"test","correl-id":1.50,"deadline":"2100-01-01T00:00:00Z","payload":"${PAYLOAD}"}`
  const response = await send({ method: 'POST', url: '/v1/messages/batch', payload: `[${JSON.stringify(request({ 'correl-id': 'B1' }))},${second}]`, headers: { 'content-type': 'application/json' } })
  assert.equal(response.statusCode, 202)
  assert.deepStrictEqual(ingress.accepted[0]?.map(value => JSON.parse(value)['correl-id']), ['B1', '1.50'])
})

test('POST /v1/messages accepts a past deadline: the pipeline reports it EXPIRED, as on Kafka', async () => {
  const response = await post(request({ deadline: '2000-01-01T00:00:00+02:00' }))
  assert.equal(response.statusCode, 202)
})

test('POST /v1/messages answers 400 naming each missing field', async () => {
  const response = await post({})
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, {
    statusCode: 400,
    body: {
      statusCode: 400,
      error: 'Bad Request',
      message: 'client-id is missing; correl-id is missing; deadline is missing; and 1 more',
      errors: ['client-id is missing', 'correl-id is missing', 'deadline is missing', 'payload is missing']
    }
  })
})

test('POST /v1/messages answers 400 for each field of the wrong type or empty', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ 'client-id': true }, 'client-id must be a string or a number'],
    [{ 'correl-id': null }, 'correl-id must be a string or a number'],
    [{ deadline: ['2100-01-01T00:00:00Z'] }, 'deadline must be a string or a number'],
    [{ payload: { text: 'x' } }, 'payload must be a string or a number'],
    [{ 'client-id': '' }, 'client-id is empty'],
    [{ 'correl-id': '' }, 'correl-id is empty'],
    [{ deadline: '' }, 'deadline is empty'],
    [{ payload: '' }, 'payload is empty'],
    [{ deadline: '2100-01-01T00:00:00.000000000000000000000000000000000000000000000000000000000000Z' }, 'deadline is longer than 64 characters']
  ]
  for (const [fields, error] of cases) {
    const response = await post(request(fields))
    assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, badRequest(error), JSON.stringify(fields))
  }
})

test('POST /v1/messages answers 400 for a deadline the pipeline would not read', async () => {
  for (const deadline of ['2100-01-01T00:00Z', '2100-01-01T00:00:00', '2100-02-30T00:00:00Z', 'tomorrow']) {
    const response = await post(request({ deadline }))
    assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body },
      badRequest(`deadline is not an ISO-8601 instant with seconds and a zone: "${deadline}"`))
  }
  // A number is its text, and this one is no instant.
  const response = await post(request({ deadline: 4102444800 }))
  assert.deepStrictEqual(response.body, badRequest('deadline is not an ISO-8601 instant with seconds and a zone: "4102444800"').body)
})

test('POST /v1/messages answers 400 for a payload that is not standard padded base64, without echoing it', async () => {
  for (const payload of ['ENC-_', 'QUJD', 'QUJDRA', 'QUJD\nRA==', 'data:QUJD']) {
    const response = await post(request({ payload: payload === 'QUJD' ? 'QUJ' : payload }))
    assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, badRequest('payload is not valid base64'))
  }
})

test('POST /v1/messages reports every problem of a request at once', async () => {
  const response = await post(request({ deadline: 'soon', payload: '!' }))
  assert.deepStrictEqual(response.body, badRequest('deadline is not an ISO-8601 instant with seconds and a zone: "soon"', 'payload is not valid base64').body)
})

test('POST /v1/messages answers 400 for a body that is not a JSON object', async () => {
  const cases: Array<[string, string]> = [
    ['{"client-id": "test",', 'body is not valid JSON'],
    ['', 'body is not valid JSON'],
    ['[]', 'body must be a JSON object'],
    ['"test"', 'body must be a JSON object']
  ]
  for (const [payload, message] of cases) {
    const response = await send({ method: 'POST', url: '/v1/messages', payload, headers: { 'content-type': 'application/json' } })
    const expected = message === 'body is not valid JSON'
      ? { statusCode: 400, body: { statusCode: 400, error: 'Bad Request', message } }
      : badRequest(message)
    assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, expected, payload)
  }
})

test('POST /v1/messages answers 413 for a body over 64 KiB', async () => {
  const tooLarge = await post(request({ payload: 'QUJD'.repeat(MAX_REQUEST_BYTES / 4) }))
  assert.deepStrictEqual({ statusCode: tooLarge.statusCode, error: tooLarge.body.error }, { statusCode: 413, error: 'Payload Too Large' })
})

test('POST /v1/messages/batch answers 400 for a request over 64 KiB, which the pipeline would drop unread', async () => {
  const response = await send({ method: 'POST', url: '/v1/messages/batch', payload: [request(), request({ payload: 'QUJD'.repeat(MAX_REQUEST_BYTES / 4) })] })
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, badRequest(`[1].request is larger than ${MAX_REQUEST_BYTES} bytes`))
})

test('POST /v1/messages answers 415 for a body that is not JSON by its media type', async () => {
  const response = await send({ method: 'POST', url: '/v1/messages', payload: 'client-id=test', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  assert.equal(response.statusCode, 415)
})

const unsupported = (message: string) => ({ statusCode: 415, body: { statusCode: 415, error: 'Unsupported Media Type', message } })

// Issue 9: text/plain was parsed (and answered 400) where the docs promise 415, and a charset
// other than UTF-8 was read as UTF-8 anyway.
test('POST /v1/messages answers 415 for text/plain and for a charset other than UTF-8, even with a JSON body', async () => {
  const body = JSON.stringify(request())
  const cases: Array<[string, string]> = [
    ['text/plain', 'body must be application/json, not text/plain'],
    ['text/plain; charset=utf-8', 'body must be application/json, not text/plain'],
    ['application/problem+json', 'body must be application/json, not application/problem+json'],
    ['application/json; charset=iso-8859-1', 'body must be UTF-8: charset=iso-8859-1 is not supported'],
    ['application/json; charset=utf-16', 'body must be UTF-8: charset=utf-16 is not supported'],
    ['application/json; charset=no-such-charset', 'body must be UTF-8: charset=no-such-charset is not supported']
  ]
  for (const [contentType, message] of cases) {
    for (const url of ['/v1/messages', '/v1/messages/batch']) {
      const response = await send({ method: 'POST', url, payload: url.endsWith('batch') ? `[${body}]` : body, headers: { 'content-type': contentType } })
      assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, unsupported(message), `${url} ${contentType}`)
    }
  }
})

test('POST /v1/messages takes application/json with no charset or with any label of UTF-8', async () => {
  for (const contentType of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"', 'application/json; charset=utf8']) {
    const response = await send({ method: 'POST', url: '/v1/messages', payload: JSON.stringify(request()), headers: { 'content-type': contentType } })
    assert.equal(response.statusCode, 202, contentType)
  }
})

test('POST /v1/messages answers 400 for a body that is not UTF-8, instead of reading it with U+FFFD in it', async () => {
  ingress.accepted.length = 0
  for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80]]) {
    const body = Buffer.concat([Buffer.from('{"client-id":"test","correl-id":"C'), Buffer.from(bad), Buffer.from(`","deadline":"2100-01-01T00:00:00Z","payload":"${PAYLOAD}"}`)])
    const response = await send({ method: 'POST', url: '/v1/messages', payload: body, headers: { 'content-type': 'application/json; charset=utf-8' } })
    assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body },
      { statusCode: 400, body: { statusCode: 400, error: 'Bad Request', message: 'body is not valid UTF-8' } }, JSON.stringify(bad))
  }
  assert.deepStrictEqual(ingress.accepted, [])
})

// Issue 9: 424 accepted requests with 60,000-character correl-ids exhausted the heap.
test('POST /v1/messages answers 400 naming the field for an id over its limit in bytes, with a lone surrogate or a control character', async () => {
  ingress.accepted.length = 0
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ 'correl-id': 'x'.repeat(60_000) }, 'correl-id is longer than 256 bytes in UTF-8'],
    [{ 'correl-id': 'é'.repeat(129) }, 'correl-id is longer than 256 bytes in UTF-8'],
    [{ 'correl-id': 'C\ud800' }, 'correl-id is not well-formed Unicode (it holds a lone surrogate)'],
    [{ 'correl-id': 'C\t1' }, 'correl-id holds a control character (U+0000-U+001F or U+007F-U+009F)'],
    [{ 'correl-id': 'C\u0085' }, 'correl-id holds a control character (U+0000-U+001F or U+007F-U+009F)'],
    [{ 'client-id': 'k'.repeat(65) }, 'client-id is longer than 64 bytes in UTF-8'],
    [{ 'client-id': 'test\n' }, 'client-id holds a control character (U+0000-U+001F or U+007F-U+009F)']
  ]
  for (const [fields, problem] of cases) {
    const response = await post(request(fields))
    assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, badRequest(problem), problem)
  }
  const batch = await send({ method: 'POST', url: '/v1/messages/batch', payload: [request(), request({ 'correl-id': 'y'.repeat(257) })] })
  assert.deepStrictEqual({ statusCode: batch.statusCode, body: batch.body }, badRequest('[1].correl-id is longer than 256 bytes in UTF-8'))
  assert.deepStrictEqual(ingress.accepted, [])
})

test('POST /v1/messages accepts ids at their limits', async () => {
  ingress.accepted.length = 0
  const correlId = '😀'.repeat(64)
  const response = await post(request({ 'correl-id': correlId }))
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, { statusCode: 202, body: { 'correl-id': correlId, accepted: true } })
  assert.equal(ingress.accepted.length, 1)
})

test('POST /v1/messages answers 401 without a key, with a malformed, unknown or revoked one', async () => {
  const revoked = await keys.create('test')
  assert.equal((await post(request(), revoked.key)).statusCode, 202)
  assert.equal(await keys.revoke(revoked.id), true)
  const cases: Array<[Record<string, string>, string, string]> = [
    [{}, 'missing API key: send the header Authorization: Bearer <key>', 'Bearer realm="smsgw"'],
    [{ authorization: testKey }, 'missing API key: send the header Authorization: Bearer <key>', 'Bearer realm="smsgw"'],
    [{ authorization: `Basic ${testKey}` }, 'missing API key: send the header Authorization: Bearer <key>', 'Bearer realm="smsgw"'],
    [{ authorization: 'Bearer smsgw_nonsense' }, 'unknown or revoked API key', 'Bearer realm="smsgw", error="invalid_token"'],
    [{ authorization: `Bearer ${testKey.slice(0, -1)}${testKey.endsWith('A') ? 'B' : 'A'}` }, 'unknown or revoked API key', 'Bearer realm="smsgw", error="invalid_token"'],
    [{ authorization: `Bearer smsgw_000000000000_${testKey.slice(-43)}` }, 'unknown or revoked API key', 'Bearer realm="smsgw", error="invalid_token"'],
    [{ authorization: `Bearer ${revoked.key}` }, 'unknown or revoked API key', 'Bearer realm="smsgw", error="invalid_token"']
  ]
  ingress.accepted.length = 0
  for (const [headers, message, challenge] of cases) {
    const response = await send({ method: 'POST', url: '/v1/messages', payload: request(), headers, key: null })
    assert.deepStrictEqual(
      { statusCode: response.statusCode, body: response.body, challenge: response.headers['www-authenticate'] },
      { statusCode: 401, body: { statusCode: 401, error: 'Unauthorized', message }, challenge },
      JSON.stringify(headers))
  }
  assert.deepStrictEqual(ingress.accepted, [])
})

test('POST /v1/messages takes the Bearer scheme in any case', async () => {
  const response = await send({ method: 'POST', url: '/v1/messages', payload: request(), headers: { authorization: `bearer ${testKey}` }, key: null })
  assert.equal(response.statusCode, 202)
})

test('POST /v1/messages answers 403 when the key\'s client is not the request\'s', async () => {
  ingress.accepted.length = 0
  const response = await post(request(), otherKey)
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, {
    statusCode: 403,
    body: { statusCode: 403, error: 'Forbidden', message: 'an API key of client "other" cannot send for client "test"' }
  })
  // Exact match, as the allowed-clients list (spec §5 row 4).
  assert.equal((await post(request({ 'client-id': 'Test' }))).statusCode, 403)
  assert.deepStrictEqual(ingress.accepted, [])
})

test('POST /v1/messages answers 503 with Retry-After when the ingress cannot store the request', async () => {
  ingress.failWith = new Error('disk full')
  const response = await post(request())
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body, retryAfter: response.headers['retry-after'] }, {
    statusCode: 503,
    body: { statusCode: 503, error: 'Service Unavailable', message: 'the request could not be stored; try again' },
    retryAfter: '1'
  })
})

test('POST /v1/messages/batch accepts all requests in one ingress call and answers per request', async () => {
  ingress.accepted.length = 0
  const response = await send({ method: 'POST', url: '/v1/messages/batch', payload: [request({ 'correl-id': 'B1' }), request({ 'correl-id': 'B2' })] })
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, {
    statusCode: 202,
    body: { accepted: 2, results: [{ 'correl-id': 'B1', accepted: true }, { 'correl-id': 'B2', accepted: true }] }
  })
  assert.deepStrictEqual(ingress.accepted, [[JSON.stringify(request({ 'correl-id': 'B1' })), JSON.stringify(request({ 'correl-id': 'B2' }))]])
})

test('POST /v1/messages/batch accepts nothing when one request is invalid, naming it by index', async () => {
  ingress.accepted.length = 0
  const schemaProblem = await send({ method: 'POST', url: '/v1/messages/batch', payload: [request(), request({ payload: 7 }), { 'client-id': 'test' }] })
  assert.deepStrictEqual({ statusCode: schemaProblem.statusCode, body: schemaProblem.body }, badRequest(
    '[2].correl-id is missing', '[2].deadline is missing', '[2].payload is missing'))
  const checkProblem = await send({ method: 'POST', url: '/v1/messages/batch', payload: [request(), request({ payload: 7 })] })
  assert.deepStrictEqual({ statusCode: checkProblem.statusCode, body: checkProblem.body }, badRequest('[1].payload is not valid base64'))
  assert.deepStrictEqual(ingress.accepted, [])
})

test('POST /v1/messages/batch answers 403 when one request is another client\'s', async () => {
  ingress.accepted.length = 0
  const response = await send({ method: 'POST', url: '/v1/messages/batch', payload: [request(), request({ 'client-id': 'other' })] })
  assert.deepStrictEqual({ statusCode: response.statusCode, message: response.body.message },
    { statusCode: 403, message: 'an API key of client "test" cannot send for client "other"' })
  assert.deepStrictEqual(ingress.accepted, [])
})

test('POST /v1/messages/batch answers 400 for an empty batch, one over 500, and a body that is no array', async () => {
  const empty = await send({ method: 'POST', url: '/v1/messages/batch', payload: [] })
  assert.deepStrictEqual({ statusCode: empty.statusCode, body: empty.body }, badRequest('body has fewer than 1 items'))
  const tooMany = await send({ method: 'POST', url: '/v1/messages/batch', payload: Array.from({ length: 501 }, (_, index) => request({ 'correl-id': `M${index}` })) })
  assert.deepStrictEqual({ statusCode: tooMany.statusCode, body: tooMany.body }, badRequest('body has more than 500 items'))
  const object = await send({ method: 'POST', url: '/v1/messages/batch', payload: request() })
  assert.deepStrictEqual({ statusCode: object.statusCode, body: object.body }, badRequest('body must be a JSON array'))
})

test('POST /v1/messages/batch accepts 500 requests', async () => {
  ingress.accepted.length = 0
  const batch = Array.from({ length: 500 }, (_, index) => request({ 'correl-id': `M${index}` }))
  const response = await send({ method: 'POST', url: '/v1/messages/batch', payload: batch })
  assert.deepStrictEqual({ statusCode: response.statusCode, accepted: response.body.accepted, values: ingress.accepted[0]?.length },
    { statusCode: 202, accepted: 500, values: 500 })
})

test('GET /v1/messages/{correlId} answers the request\'s statuses in the spec §4 form, oldest first', async () => {
  statuses.report(statusOf('test', 'H/1', 'SENT', 1, { recallId: '4711' }))
  statuses.report(statusOf('other', 'H/1', 'FAILED', 1))
  statuses.report(statusOf('test', 'H/1', 'INVALID', 2, { errorText: 'SMS body is empty' }))
  const response = await send({ method: 'GET', url: '/v1/messages/H%2F1' })
  assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, {
    statusCode: 200,
    body: {
      'client-id': 'test',
      'correl-id': 'H/1',
      state: 'reported',
      statuses: [
        { 'client-id': 'test', 'correl-id': 'H/1', timestamp: '2026-11-21T10:00:01Z', 'sms-status': 'SENT', 'recall-id': '4711' },
        { 'client-id': 'test', 'correl-id': 'H/1', timestamp: '2026-11-21T10:00:02Z', 'sms-status': 'INVALID', 'error-text': 'SMS body is empty' }
      ]
    }
  })
})

test('GET /v1/messages/{correlId} answers 404 when the key\'s client has no status of that correl-id', async () => {
  statuses.report(statusOf('other', 'only-other', 'SENT'))
  for (const correlId of ['unknown', 'only-other']) {
    const response = await send({ method: 'GET', url: `/v1/messages/${correlId}` })
    assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, {
      statusCode: 404,
      body: { statusCode: 404, error: 'Not Found', message: `no request with correl-id "${correlId}" of client test is queued or has a status` }
    })
  }
})

test('GET /v1/messages/{correlId} answers 200 with the state queued and no statuses right after the 202, and reported once a status came', async () => {
  assert.equal((await post(request({ 'correl-id': 'Q/1' }))).statusCode, 202)
  const queued = await send({ method: 'GET', url: '/v1/messages/Q%2F1' })
  assert.deepStrictEqual({ statusCode: queued.statusCode, body: queued.body },
    { statusCode: 200, body: { 'client-id': 'test', 'correl-id': 'Q/1', state: 'queued', statuses: [] } })
  // Another client's key sees nothing of it.
  assert.equal((await send({ method: 'GET', url: '/v1/messages/Q%2F1', key: otherKey })).statusCode, 404)

  statuses.report(statusOf('test', 'Q/1', 'SENT', 3))
  const reported = await send({ method: 'GET', url: '/v1/messages/Q%2F1' })
  assert.deepStrictEqual({ statusCode: reported.statusCode, state: reported.body.state }, { statusCode: 200, state: 'reported' })
})

test('GET /v1/messages/{correlId} answers 400 for a correl-id no request can have', async () => {
  for (const [correlId, problem] of [['x'.repeat(257), 'is longer than 256 bytes in UTF-8'], ['a\u0001', 'holds a control character (U+0000-U+001F or U+007F-U+009F)']]) {
    const response = await send({ method: 'GET', url: `/v1/messages/${encodeURIComponent(correlId as string)}` })
    assert.deepStrictEqual({ statusCode: response.statusCode, body: response.body }, badRequest(`correl-id ${problem as string}`))
  }
})

test('GET /v1/messages/{correlId} answers a path that is not UTF-8 when decoded, or too long, with a problem', async () => {
  const notUtf8 = await send({ method: 'GET', url: '/v1/messages/C%FF' })
  assert.deepStrictEqual({ statusCode: notUtf8.statusCode, body: notUtf8.body },
    { statusCode: 400, body: { statusCode: 400, error: 'Bad Request', message: '\'/v1/messages/C%FF\' is not a valid url component' } })
  const tooLong = await send({ method: 'GET', url: `/v1/messages/${'x'.repeat(769)}` })
  assert.deepStrictEqual({ statusCode: tooLong.statusCode, error: tooLong.body.error, keys: Object.keys(tooLong.body) },
    { statusCode: 414, error: 'URI Too Long', keys: ['statusCode', 'error', 'message'] })
})

test('GET /v1/messages/{correlId} reaches a correl-id of the longest kind, percent-encoded', async () => {
  const correlId = '€'.repeat(85)
  statuses.report(statusOf('test', correlId, 'SENT'))
  const response = await send({ method: 'GET', url: `/v1/messages/${encodeURIComponent(correlId)}` })
  assert.deepStrictEqual({ statusCode: response.statusCode, correlId: response.body['correl-id'] }, { statusCode: 200, correlId })
})

test('GET /v1/messages/{correlId} answers 401 without a key', async () => {
  const response = await send({ method: 'GET', url: '/v1/messages/C1', key: null })
  assert.equal(response.statusCode, 401)
})

test('the request log holds neither API keys nor request bodies', async () => {
  const marker = 'TWFya2VyUGF5bG9hZA=='
  await post(request({ payload: marker }))
  await post(request({ payload: `${marker}!` }))
  const lines = logged.lines()
  assert.match(lines, /"url":"\/v1\/messages"/)
  assert.ok(!lines.includes(testKey.slice(-43)) && !lines.includes(otherKey.slice(-43)), 'an API key secret was logged')
  assert.ok(!lines.includes(marker), 'a payload was logged')
})
