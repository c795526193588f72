import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { GatewayClientRegistryStore, NewGatewayClient } from '../../src/store/gateway-clients.ts'
import { storeKinds } from './store-kinds.ts'

// The store port of the gateway-client registry (src/store/gateway-clients.ts) on both stores:
// clients added once, listed by msisdn with each filter and a page window, countries and
// operators, forwarding-key digests, publication times that never go back, tests started only
// for a registered client, swept, completed once, tallied, and removed with their client; every
// bound refused before a row is written.

const kinds = await storeKinds('gateway-clients')
const DAY_MS = 86_400_000
const MAY_27 = Date.UTC(2024, 4, 27)

function client (msisdn: string, fields: Partial<NewGatewayClient> = {}): NewGatewayClient {
  return { msisdn, country: 'Cameroon', operator: 'MTN Cameroon', operatorCode: '62401', protocols: ['https', 'smtp'], registeredAtMs: MAY_27 + 3_600_000, ...fields }
}

async function registryWith (registry: GatewayClientRegistryStore, clients: NewGatewayClient[]): Promise<void> {
  for (const entry of clients) assert.equal(await registry.clients.add(entry), true)
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('GatewayClientStore adds a client once, lists by msisdn with each filter and a window, and names countries and operators', async () => {
      const store = await kind.open()
      const registry = store.gatewayClients
      await registryWith(registry, [
        client('+237650000002'),
        client('+237670000001', { operator: 'Orange Cameroun', operatorCode: '62402', protocols: ['ftp'] }),
        client('+2348030000001', { country: 'Nigeria', operator: 'MTN Nigeria', operatorCode: '62130', protocols: [], registeredAtMs: MAY_27 + DAY_MS })
      ])
      assert.equal(await registry.clients.add(client('+237650000002', { operator: 'another' })), false, 'a msisdn is registered once')
      assert.deepStrictEqual(await registry.clients.get('+237650000002'), {
        msisdn: '+237650000002', country: 'Cameroon', operator: 'MTN Cameroon', operatorCode: '62401', protocols: ['https', 'smtp'], reliabilityHundredths: 0, lastPublishedAtMs: MAY_27 + 3_600_000, hasForwarderKey: false
      })
      assert.deepStrictEqual((await registry.clients.get('+2348030000001'))?.protocols, [], 'no protocol is an empty list')
      const all = { offset: 0, limit: 10 }
      const msisdns = async (filter: Parameters<typeof registry.clients.list>[0], page = all): Promise<[string[], number]> => {
        const { clients, total } = await registry.clients.list(filter, page)
        return [clients.map(entry => entry.msisdn), total]
      }
      assert.deepStrictEqual(await msisdns({}), [['+2348030000001', '+237650000002', '+237670000001'], 3])
      assert.deepStrictEqual(await msisdns({ country: 'cAMEROON' }), [['+237650000002', '+237670000001'], 2], 'country: equal, ignoring case')
      assert.deepStrictEqual(await msisdns({ country: 'Camer' }), [[], 0], 'country: not a substring')
      assert.deepStrictEqual(await msisdns({ operator: 'mtn' }), [['+2348030000001', '+237650000002'], 2], 'operator: a substring, ignoring case')
      assert.deepStrictEqual(await msisdns({ protocols: 'SMT' }), [['+237650000002'], 1], 'protocols: a substring of the stored list')
      assert.deepStrictEqual(await msisdns({ operator: '%' }), [[], 0], 'no pattern characters')
      assert.deepStrictEqual(await msisdns({ lastPublished: { fromMs: MAY_27, toMs: MAY_27 + DAY_MS } }), [['+237650000002', '+237670000001'], 2])
      assert.deepStrictEqual(await msisdns({ country: 'cameroon', operator: 'orange' }), [['+237670000001'], 1], 'filters combine')
      assert.deepStrictEqual(await msisdns({}, { offset: 1, limit: 1 }), [['+237650000002'], 3], 'a window, with the total of the filter')
      assert.deepStrictEqual(await msisdns({}, { offset: Number.MAX_SAFE_INTEGER, limit: Number.MAX_SAFE_INTEGER }), [[], 3], 'a window past the end')
      assert.deepStrictEqual(await registry.clients.countries(), ['Cameroon', 'Nigeria'])
      assert.deepStrictEqual(await registry.clients.operators('CAMEROON'), ['MTN Cameroon', 'Orange Cameroun'])
      assert.deepStrictEqual(await registry.clients.operators('Chad'), [])
      await store.close()
    })

    test('GatewayClientStore keeps a forwarding key as its digest only, and a publication time that never goes back', async () => {
      const store = await kind.open()
      const { clients } = store.gatewayClients
      await registryWith(store.gatewayClients, [client('+237650000002')])
      const digest = 'ab'.repeat(32)
      assert.equal(await clients.setForwarderKeyDigest('+237650000002', digest), true)
      assert.equal(await clients.setForwarderKeyDigest('+237650000009', 'cd'.repeat(32)), false, 'no such client')
      assert.equal(await clients.clientOfForwarderKey(digest), '+237650000002')
      assert.equal((await clients.get('+237650000002'))?.hasForwarderKey, true)
      assert.equal(await clients.clientOfForwarderKey('cd'.repeat(32)), undefined)
      await assert.rejects(clients.setForwarderKeyDigest('+237650000002', 'smsgw_gc_not-a-digest'), RangeError)
      assert.equal(await clients.setForwarderKeyDigest('+237650000002', undefined), true)
      assert.equal(await clients.clientOfForwarderKey(digest), undefined, 'cleared')

      assert.equal(await clients.recordPublished('+237650000002', MAY_27 + 2 * DAY_MS), true)
      assert.equal(await clients.recordPublished('+237650000002', MAY_27 + DAY_MS), true)
      assert.equal((await clients.get('+237650000002'))?.lastPublishedAtMs, MAY_27 + 2 * DAY_MS, 'a late record of an earlier publication does not move it back')
      assert.equal(await clients.recordPublished('+237650000009', MAY_27), false)
      await store.close()
    })

    test('GatewayClientStore refuses a value over its bound, writing nothing', async () => {
      const store = await kind.open()
      const { clients } = store.gatewayClients
      for (const fields of [{ msisdn: '+1234567890123456' }, { country: 'é'.repeat(33) }, { operator: 'x'.repeat(65) }, { operatorCode: '1234567' }, { protocols: ['x'.repeat(65)] }, { protocols: ['a,b'] }]) {
        await assert.rejects(clients.add(client('+237650000002', fields)), RangeError, JSON.stringify(fields))
      }
      assert.deepStrictEqual(await clients.list({}, { offset: 0, limit: 10 }), { clients: [], total: 0 })
      await store.close()
    })

    test('ReliabilityTestStore starts tests of registered clients only, sweeps the stale ones, completes each once, tallies and pages them newest first', async () => {
      const store = await kind.open()
      const registry = store.gatewayClients
      await registryWith(registry, [client('+237650000002'), client('+237670000001')])
      assert.equal(await registry.tests.start('+237650000009', MAY_27), undefined, 'no test of an unknown client')
      const first = await registry.tests.start('+237650000002', MAY_27)
      assert.deepStrictEqual(first, { id: first?.id, msisdn: '+237650000002', status: 'pending', startedAtMs: MAY_27, smsSentAtMs: undefined, smsReceivedAtMs: undefined, smsRoutedAtMs: undefined })
      const second = await registry.tests.start('+237650000002', MAY_27 + 60_000)
      const third = await registry.tests.start('+237650000002', MAY_27 + 120_000)
      const other = await registry.tests.start('+237670000001', MAY_27)
      assert.ok(first !== undefined && second !== undefined && third !== undefined && other !== undefined)

      // Routed 300 s after receipt counts; 301 s does not (whole seconds).
      const routed = { sentAtMs: MAY_27 + 1_000, receivedAtMs: MAY_27 + 2_500, routedAtMs: MAY_27 + 302_900 }
      assert.deepStrictEqual(await registry.tests.complete(first.id, routed), { outcome: 'completed', msisdn: '+237650000002' })
      assert.deepStrictEqual(await registry.tests.complete(first.id, { ...routed, routedAtMs: routed.routedAtMs + 1 }), { outcome: 'ended', status: 'success' }, 'completed once')
      assert.deepStrictEqual(await registry.tests.complete(second.id, { sentAtMs: MAY_27 + 60_000, receivedAtMs: MAY_27 + 61_000, routedAtMs: MAY_27 + 362_000 }), { outcome: 'completed', msisdn: '+237650000002' })
      assert.deepStrictEqual(await registry.tests.complete(999_999, routed), { outcome: 'unknown' })
      assert.equal(await registry.tests.sweep(MAY_27 + 120_000), 2, 'the third test (started at the cutoff) and the other client\'s')
      assert.deepStrictEqual(await registry.tests.complete(third.id, routed), { outcome: 'ended', status: 'timedout' })
      assert.deepStrictEqual(await registry.tests.tally('+237650000002'), { tests: 3, succeeded: 1 })
      await registry.tests.refreshReliability('+237650000002', tally => tally.succeeded * 10_000 / 4 + tally.tests)
      assert.equal((await registry.clients.get('+237650000002'))?.reliabilityHundredths, 2503, 'the score of the tally, stored')

      const page = await registry.tests.list('+237650000002', {}, { offset: 0, limit: 2 })
      assert.deepStrictEqual(page.tests.map(test => [test.id, test.status]), [[third.id, 'timedout'], [second.id, 'success']], 'newest first')
      assert.deepStrictEqual([page.total, page.succeeded, page.timedOut], [3, 1, 1])
      assert.deepStrictEqual(page.tests[1], { id: second.id, msisdn: '+237650000002', status: 'success', startedAtMs: MAY_27 + 60_000, smsSentAtMs: MAY_27 + 60_000, smsReceivedAtMs: MAY_27 + 61_000, smsRoutedAtMs: MAY_27 + 362_000 })
      const filtered = await registry.tests.list('+237650000002', { status: 'success', startedFromMs: MAY_27 + 1, startedToMs: MAY_27 + 60_000 }, { offset: 0, limit: 10 })
      assert.deepStrictEqual([filtered.tests.map(test => test.id), filtered.total], [[second.id], 1])
      assert.deepStrictEqual(await registry.tests.list('+237650000009', {}, { offset: 0, limit: 10 }), { tests: [], total: 0, succeeded: 0, timedOut: 0 })

      assert.equal(await registry.clients.remove('+237650000002'), true)
      assert.equal(await registry.clients.remove('+237650000002'), false)
      assert.deepStrictEqual(await registry.tests.tally('+237650000002'), { tests: 0, succeeded: 0 }, 'the tests went with their client')
      assert.equal((await registry.tests.list('+237670000001', {}, { offset: 0, limit: 10 })).total, 1, 'another client\'s stay')
      await store.close()
    })
  })
}
