import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { clientsTexts, testsTexts } from '../../../src/relay/gateway-clients/gateway-client-routes.ts'
import { recordForward, reliabilityTestsOf } from '../../../src/relay/gateway-clients/reliability.ts'
import { v3SecurityHeaders, V3_EXPOSED_HEADERS } from '../../../src/relay/http/v3-conventions.ts'
import type { StoreKind } from '../../store/store-kind.ts'
import { gatewayClient, startRegistryServer, testClock, type RegistryServer } from './registry-server.ts'

// The gateway-client registry over real HTTP on one store (relay-wire.md §5.1): every filter
// of GET /v3/clients, its pagination headers and Link, each 400 text, countries and operators,
// the tests' lifecycle (started, swept to timedout after 10 minutes on an injected clock, completed
// through the publisher's port, the score after 5 tests), the /v3 headers and CORS, and the JSON
// keys as upstream's Flask writes them (sorted; the app decodes a client and a started test strictly);
// and the ports other engineers' code calls: the publisher's ReliabilityTests completing tests all at
// once without a score lost to a race, and the ingress's recordForward.

export const MAY_27_NOON = Date.UTC(2024, 4, 27, 12)
const DAY_MS = 86_400_000

export interface Answer { status: number, headers: Headers, text: string, body: unknown }

export async function call (url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init)
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: text === '' ? undefined : JSON.parse(text) }
}

/**
 * The registry's routes over real HTTP and its ports on a store of `kind` (each test file runs it
 * on one kind, so that the SQLite one needs no PostgreSQL server).
 */
export async function describeRegistry (kind: StoreKind): Promise<void> {
  // Made here, not in a hook: a PostgreSQL schema made in a hook is dropped when the hook ends.
  const location = await kind.newLocation()
  describe(`${kind.name} store`, () => {
    const clock = testClock(MAY_27_NOON + DAY_MS)
    let server: RegistryServer
    let clients: string
    before(async () => {
      server = await startRegistryServer(kind, location, clock)
      clients = `${server.url}/v3/clients`
      const registry = server.store.gatewayClients.clients
      await registry.add(gatewayClient('+237650000001'))
      await registry.add(gatewayClient('+237670000001', { operator: 'Orange Cameroun', operatorCode: '62402', protocols: ['https'] }))
      await registry.add(gatewayClient('+2348030000001', { country: 'Nigeria', operator: 'MTN Nigeria', operatorCode: '62130', protocols: [], registeredAtMs: MAY_27_NOON + DAY_MS }))
      // Nine more in Ghana, for the pages.
      for (let i = 1; i <= 9; i++) await registry.add(gatewayClient(`+23320000000${i}`, { country: 'Ghana', operator: 'MTN Ghana', operatorCode: '62001', registeredAtMs: MAY_27_NOON - DAY_MS }))
    })
    after(async () => { await server.close() })

    test('GET /v3/clients lists clients as upstream\'s JSON, 10 a page by default, with the pagination headers and Link', async () => {
      const answer = await call(clients)
      assert.equal(answer.status, 200)
      const listed = answer.body as Array<Record<string, unknown>>
      assert.equal(listed.length, 10)
      const nigeria = listed.find(client => client.msisdn === '+2348030000001')
      assert.deepStrictEqual(nigeria, { country: 'Nigeria', last_published_date: (MAY_27_NOON + DAY_MS) / 1000, msisdn: '+2348030000001', operator: 'MTN Nigeria', operator_code: '62130', protocols: [], reliability: '0.00' })
      assert.deepStrictEqual(Object.keys(listed[0] as object), ['country', 'last_published_date', 'msisdn', 'operator', 'operator_code', 'protocols', 'reliability'], 'keys in Flask\'s sorted order')
      assert.deepStrictEqual(listed.find(client => client.msisdn === '+233200000001')?.protocols, ['https', 'smtp', 'ftp'])
      assert.deepStrictEqual([answer.headers.get('x-total-count'), answer.headers.get('x-page'), answer.headers.get('x-per-page')], ['12', '1', '10'])
      assert.equal(answer.headers.get('link'), `<${clients}?page=1&per_page=10>; rel="self", <${clients}?page=2&per_page=10>; rel="last", <${clients}?page=2&per_page=10>; rel="next"`)

      const second = await call(`${clients}?page=2&country=ghana&per_page=3`)
      assert.deepStrictEqual((second.body as Array<{ msisdn: string }>).map(client => client.msisdn), ['+233200000004', '+233200000005', '+233200000006'])
      assert.deepStrictEqual([second.headers.get('x-total-count'), second.headers.get('x-page'), second.headers.get('x-per-page')], ['9', '2', '3'])
      assert.equal(second.headers.get('link'), [
        `<${clients}?page=1&per_page=3>; rel="first"`, `<${clients}?page=1&per_page=3>; rel="prev"`, `<${clients}?page=2&per_page=3>; rel="self"`,
        `<${clients}?page=3&per_page=3>; rel="last"`, `<${clients}?page=3&per_page=3>; rel="next"`
      ].join(', '), 'the filters are not carried into the links, as upstream')
      const empty = await call(`${clients}?page=&per_page=`)
      assert.deepStrictEqual([empty.status, empty.headers.get('x-page'), empty.headers.get('x-per-page')], [200, '1', '10'], 'empty values are the defaults')
      const far = await call(`${clients}?page=99999999999999999999999&per_page=+05`)
      assert.deepStrictEqual([far.status, far.body, far.headers.get('x-page'), far.headers.get('x-per-page')], [200, [], '99999999999999999999999', '5'])
    })

    test('GET /v3/clients filters: country equal ignoring case, operator and protocols substrings ignoring case, last_published_date the same (UTC) day', async () => {
      const msisdns = async (query: string): Promise<string[]> => {
        const answer = await call(`${clients}?${query}&per_page=50`)
        assert.equal(answer.status, 200, query)
        return (answer.body as Array<{ msisdn: string }>).map(client => client.msisdn)
      }
      assert.deepStrictEqual(await msisdns('country=CAMEROON'), ['+237650000001', '+237670000001'])
      assert.deepStrictEqual(await msisdns('country=Camer'), [], 'country is compared whole')
      assert.deepStrictEqual(await msisdns('operator=orange'), ['+237670000001'])
      assert.deepStrictEqual(await msisdns('operator=mtn&country=cameroon'), ['+237650000001'])
      assert.deepStrictEqual(await msisdns('protocols=SMTP'), [...Array.from({ length: 9 }, (_, i) => `+23320000000${i + 1}`), '+237650000001'])
      assert.deepStrictEqual(await msisdns('protocols=https,smtp,ftp&country=cameroon'), ['+237650000001'], 'the stored list is searched as text')
      assert.deepStrictEqual(await msisdns('last_published_date=2024-05-27'), ['+237650000001', '+237670000001'])
      assert.deepStrictEqual(await msisdns('last_published_date=2024-05-28T00:00:00Z'), ['+2348030000001'])
      assert.deepStrictEqual(await msisdns('last_published_date=2024-05-27T12:00:00'), [], 'upstream compares the day with the instant: only a midnight matches')
      assert.deepStrictEqual(await msisdns('country=&operator='), (await msisdns('')), 'empty filters filter nothing')
    })

    test('GET /v3/clients answers a bad page or date with upstream\'s 400 texts', async () => {
      for (const query of ['page=0', 'per_page=-1', 'page=abc', 'page=1.5', 'per_page=1e3', 'page=0&last_published_date=nonsense']) {
        const answer = await call(`${clients}?${query}`)
        assert.deepStrictEqual([answer.status, answer.body], [400, { error: clientsTexts.badPage }], query)
      }
      for (const date of ['nonsense', '2024-02-30', '27-05-2024']) {
        const answer = await call(`${clients}?last_published_date=${date}`)
        assert.deepStrictEqual([answer.status, answer.body], [400, { error: clientsTexts.badLastPublished }], date)
      }
    })

    test('GET /v3/clients/countries and /v3/clients/<country>/operators list distinct values, the country ignoring case', async () => {
      assert.deepStrictEqual((await call(`${clients}/countries`)).body, ['Cameroon', 'Ghana', 'Nigeria'])
      assert.deepStrictEqual((await call(`${clients}/cameroon/operators`)).body, ['MTN Cameroon', 'Orange Cameroun'])
      assert.deepStrictEqual((await call(`${clients}/Ghana/operators`)).body, ['MTN Ghana'])
      assert.deepStrictEqual((await call(`${clients}/Chad/operators`)).body, [])
    })

    test('/v3 answers carry upstream\'s security headers and open CORS, errors too; a preflight is answered', async () => {
      const plain = await call(clients)
      const bad = await call(`${clients}?page=0`, { headers: { Origin: 'https://app.example' } })
      for (const answer of [plain, bad]) {
        for (const [name, value] of Object.entries(v3SecurityHeaders)) assert.equal(answer.headers.get(name), value, name)
        assert.equal(answer.headers.get('access-control-expose-headers'), V3_EXPOSED_HEADERS)
      }
      assert.equal(plain.headers.get('access-control-allow-origin'), '*')
      assert.deepStrictEqual([bad.headers.get('access-control-allow-origin'), bad.headers.get('vary')], ['https://app.example', 'Origin'])
      const preflight = await call(`${server.url}/v3/clients/+237650000001/tests`, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } })
      assert.equal(preflight.status, 200)
      assert.deepStrictEqual([preflight.headers.get('access-control-allow-origin'), preflight.headers.get('access-control-allow-headers')], ['https://app.example', 'content-type'])
      assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/)
      assert.equal(preflight.headers.get('strict-transport-security'), v3SecurityHeaders['Strict-Transport-Security'])
    })

    test('POST /v3/clients/<msisdn>/tests starts a test and answers exactly the three keys the app decodes; any body is ignored; an unknown client is a 200 with an error', async () => {
      const tests = `${clients}/+237670000001/tests`
      const started = await call(tests, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"test_start_time": "not even JSON' })
      assert.equal(started.status, 200)
      const { test_id: testId } = started.body as { test_id: number }
      assert.deepStrictEqual(started.body, { message: 'Test started successfully.', test_id: testId, test_start_time: clock.nowMs / 1000 })
      assert.ok(Number.isInteger(testId))
      assert.deepStrictEqual(Object.keys(started.body as object), ['message', 'test_id', 'test_start_time'])
      const unknown = await call(`${clients}/+237699999999/tests`, { method: 'POST' })
      assert.deepStrictEqual([unknown.status, unknown.body], [200, { error: testsTexts.unknownClient }])
      const absurd = await call(`${clients}/${'9'.repeat(90)}/tests`, { method: 'POST' })
      assert.deepStrictEqual([absurd.status, absurd.body], [200, { error: testsTexts.unknownClient }])
    })

    test('a test is swept to timedout 10 minutes after its start, completed through the publisher\'s port, and listed newest first with its totals', async () => {
      const msisdn = '+237650000001'
      const tests = `${clients}/${msisdn}/tests`
      const port = reliabilityTestsOf(server.store.gatewayClients, clock.now)
      const start = async (): Promise<number> => ((await call(tests, { method: 'POST' })).body as { test_id: number }).test_id
      const startedAt = clock.nowMs
      const stale = await start()
      clock.nowMs += 60_000
      const routed = await start()
      clock.nowMs += 9 * 60_000 - 1
      // The first test is 1 ms short of its timeout; the sweep leaves it pending.
      assert.deepStrictEqual(((await call(tests)).body as { data: Array<{ status: string }> }).data.map(test => test.status), ['pending', 'pending'])
      assert.deepStrictEqual(await port.recordRouted(String(routed), { sentAtMs: clock.nowMs - 30_000, receivedAtMs: clock.nowMs - 20_000 }), { success: true, message: `Test ID ${routed} updated successfully.` })
      clock.nowMs += 1
      const page = await call(tests)
      assert.deepStrictEqual(page.body, {
        data: [
          { id: routed, msisdn, sms_received_time: Math.floor((clock.nowMs - 20_001) / 1000), sms_routed_time: Math.floor((clock.nowMs - 1) / 1000), sms_sent_time: Math.floor((clock.nowMs - 30_001) / 1000), start_time: (startedAt + 60_000) / 1000, status: 'success' },
          { id: stale, msisdn, sms_received_time: null, sms_routed_time: null, sms_sent_time: null, start_time: startedAt / 1000, status: 'timedout' }
        ],
        total_failed: '1',
        total_records: 2,
        total_success: '1'
      })
      assert.deepStrictEqual(Object.keys(page.body as object), ['data', 'total_failed', 'total_records', 'total_success'])
      assert.deepStrictEqual([page.headers.get('x-total-count'), page.headers.get('x-page'), page.headers.get('x-per-page'), page.headers.get('link')], ['2', '1', '10', `<${tests}?page=1&per_page=10>; rel="self"`])
      assert.deepStrictEqual(await port.recordRouted(String(stale), { sentAtMs: clock.nowMs, receivedAtMs: clock.nowMs }), { success: false, message: `Test ID ${stale} is already marked as 'timedout'.` })
      assert.deepStrictEqual(await port.recordRouted(String(routed), { sentAtMs: clock.nowMs, receivedAtMs: clock.nowMs }), { success: false, message: `Test ID ${routed} is already marked as 'success'.` })

      const filtered = async (query: string): Promise<number[]> => ((await call(`${tests}?${query}`)).body as { data: Array<{ id: number }> }).data.map(test => test.id)
      assert.deepStrictEqual(await filtered('status=timedout'), [stale])
      assert.deepStrictEqual(await filtered(`start_time=${new Date(startedAt + 1000).toISOString().slice(0, 19)}`), [routed])
      assert.deepStrictEqual(await filtered(`end_time=${new Date(startedAt).toISOString().slice(0, 19)}`), [stale], 'end_time is inclusive')
      assert.deepStrictEqual(await filtered('per_page=1&page=2'), [stale])
      const none = await call(`${clients}/+237699999999/tests`)
      assert.deepStrictEqual(none.body, { data: [], total_failed: null, total_records: 0, total_success: null }, 'MySQL\'s SUM over no rows, as upstream answers')
    })

    test('GET /v3/clients/<msisdn>/tests answers a bad page or time with upstream\'s 400 texts', async () => {
      const tests = `${clients}/+237650000001/tests`
      for (const query of ['page=', 'per_page=0', 'page=x']) {
        assert.deepStrictEqual((await call(`${tests}?${query}`)).body, { error: testsTexts.badPage }, query)
      }
      assert.deepStrictEqual((await call(`${tests}?start_time=noon`)).body, { error: testsTexts.badStartTime })
      const endTime = await call(`${tests}?end_time=2024-13-01T00:00:00`)
      assert.deepStrictEqual([endTime.status, endTime.body], [400, { error: testsTexts.badEndTime }])
    })

    test('a client\'s reliability is 0 until it has 5 tests, then the share routed within 300 s of receipt, rendered to two places', async () => {
      const msisdn = '+2348030000001'
      const port = reliabilityTestsOf(server.store.gatewayClients, clock.now)
      const reliability = async (): Promise<string> => ((await call(`${clients}?country=nigeria`)).body as Array<{ reliability: string }>)[0]?.reliability ?? ''
      const start = async (): Promise<number> => ((await call(`${clients}/${msisdn}/tests`, { method: 'POST' })).body as { test_id: number }).test_id
      const fast = [await start(), await start(), await start(), await start()]
      for (const id of fast.slice(0, 3)) await port.recordRouted(String(id), { sentAtMs: clock.nowMs - 5_000, receivedAtMs: clock.nowMs - 1_000 })
      assert.equal(await reliability(), '0.00', '3 routed in time, but only 4 tests')
      const slow = await start()
      fast.push(await start())
      // Routed 301 s after the phone received it: done, but not in time.
      await port.recordRouted(String(slow), { sentAtMs: clock.nowMs - 302_000, receivedAtMs: clock.nowMs - 301_000 })
      assert.equal(await reliability(), '50.00', '3 in time of 6 tests (one still pending)')
      await port.recordRouted(String(fast[3]), { sentAtMs: clock.nowMs, receivedAtMs: clock.nowMs })
      assert.equal(await reliability(), '66.67', '4 of 6, rounded to two places')
      assert.deepStrictEqual(await port.recordRouted('12abc', { sentAtMs: 1, receivedAtMs: 1 }), { success: false, message: 'Test ID 12abc not found in the database.' })
      assert.deepStrictEqual(await port.recordRouted('987654321', { sentAtMs: 1, receivedAtMs: 1 }), { success: false, message: 'Test ID 987654321 not found in the database.' })
      assert.deepStrictEqual(await port.recordRouted(String(fast[4]), { sentAtMs: undefined, receivedAtMs: 1 }), { success: false, message: 'sms_sent_timestamp is required.' })
      assert.deepStrictEqual(await port.recordRouted(String(fast[4]), { sentAtMs: 1, receivedAtMs: undefined }), { success: false, message: 'sms_received_timestamp is required.' })
    })

    test('tests completed all at once through the publisher\'s port leave the score of all of them', async () => {
      const store = await kind.open()
      const registry = store.gatewayClients
      await registry.clients.add(gatewayClient('+237650000001'))
      const nowMs = Date.UTC(2024, 4, 27, 12)
      const ids: number[] = []
      // Many at once: on PostgreSQL a refresh that waited for another's row lock once wrote the
      // score it had counted before that other's completion (8 of 12 left counted, not 9).
      for (let i = 0; i < 40; i++) ids.push((await registry.tests.start('+237650000001', nowMs))?.id ?? -1)
      const port = reliabilityTestsOf(registry, () => nowMs + 30_000)
      const results = await Promise.all(ids.slice(0, 30).map(async id => await port.recordRouted(String(id), { sentAtMs: nowMs, receivedAtMs: nowMs + 1_000 })))
      assert.ok(results.every(result => result.success), JSON.stringify(results))
      assert.equal((await registry.clients.get('+237650000001'))?.reliabilityHundredths, 7500, '30 of 40')
      await store.close()
    })

    test('recordForward moves a client\'s last_published_date forward and tells an unknown number', async () => {
      const store = await kind.open()
      await store.gatewayClients.clients.add(gatewayClient('+237650000001'))
      const atMs = Date.UTC(2024, 5, 1, 8)
      assert.equal(await recordForward(store.gatewayClients, '+237650000001', atMs), true)
      assert.equal((await store.gatewayClients.clients.get('+237650000001'))?.lastPublishedAtMs, atMs)
      assert.equal(await recordForward(store.gatewayClients, '+237650000009', atMs), false)
      await store.close()
    })
  })
}
