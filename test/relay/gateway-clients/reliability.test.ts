import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MIN_TESTS_FOR_SCORE, recordForward, reliabilityHundredths, reliabilityTestsOf } from '../../../src/relay/gateway-clients/reliability.ts'
import { reliabilityText } from '../../../src/relay/gateway-clients/registry-json.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { gatewayClient } from './registry-server.ts'

// The reliability rules (relay.md §5) and the ports other engineers' code calls: the publisher's
// ReliabilityTests, completing tests at once on both stores without losing a score to a race, and
// the ingress's recordForward.

test('reliabilityHundredths is 0 below 5 tests, then the share in time to two places, rendered as upstream\'s decimal', () => {
  assert.equal(MIN_TESTS_FOR_SCORE, 5)
  const scores = [{ tests: 4, succeeded: 4 }, { tests: 5, succeeded: 4 }, { tests: 6, succeeded: 4 }, { tests: 3_000, succeeded: 1 }, { tests: 7, succeeded: 7 }, { tests: 5, succeeded: 0 }]
    .map(tally => reliabilityText(reliabilityHundredths(tally)))
  assert.deepStrictEqual(scores, ['0.00', '80.00', '66.67', '0.03', '100.00', '0.00'])
})

const kinds = await storeKinds('reliability')
for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('tests completed all at once through the publisher\'s port leave the score of all of them', async () => {
      const store = await kind.open()
      const registry = store.gatewayClients
      await registry.clients.add(gatewayClient('+237650000001'))
      const nowMs = Date.UTC(2024, 4, 27, 12)
      const ids: number[] = []
      for (let i = 0; i < 12; i++) ids.push((await registry.tests.start('+237650000001', nowMs))?.id ?? -1)
      const port = reliabilityTestsOf(registry, () => nowMs + 30_000)
      const results = await Promise.all(ids.slice(0, 9).map(async id => await port.recordRouted(String(id), { sentAtMs: nowMs, receivedAtMs: nowMs + 1_000 })))
      assert.ok(results.every(result => result.success), JSON.stringify(results))
      assert.equal((await registry.clients.get('+237650000001'))?.reliabilityHundredths, 7500, '9 of 12')
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
