import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { relayIngressOutcomes, relayPublishOutcomes } from '../../../src/domain/relay-diagnostics-channels.ts'
import { watchRelay } from '../../../src/http/observability/relay-metrics.ts'
import { RelayView } from '../../../src/http/observability/relay-view.ts'
import { publishDecryption, publishIngressOutcome, publishPublication } from '../../../src/relay/relay-diagnostics.ts'

// The relay's metrics read back for the dashboard: the counters as /metrics has them, every
// ingress with every outcome, the platforms published to, decrypt failures by code, the publish
// latency of the last minutes, and the store gauges where they run.

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map(key => [key, 0])) as Record<K, number>

test('RelayView reads the relay\'s counters by ingress, platform and outcome, decrypt failures by code, and the publish latency of its window', async () => {
  const registry = new Registry()
  const clock = { ms: 1_000_000 }
  const view = new RelayView(registry, { clock: () => clock.ms, latencyWindowMs: 60_000 })
  const unwatch = [watchRelay(registry), view.watch()]
  publishIngressOutcome('http', 'published')
  publishIngressOutcome('http', 'published')
  publishIngressOutcome('smpp', 'segment-cached')
  publishPublication('mastodon', 'published', 40)
  publishPublication('mastodon', 'refused', 4)
  clock.ms += 30_000
  publishPublication('bluesky', 'transient', 2_000)
  publishDecryption('decrypted')
  publishDecryption('decrypted')
  publishDecryption('SMSGW_RATCHET_REPLAY')
  publishDecryption('SMSGW_RATCHET_AUTH')
  publishDecryption('SMSGW_RATCHET_AUTH')

  assert.deepStrictEqual(await view.view(), {
    ingress: [
      { ingress: 'http', counts: { ...zeros(relayIngressOutcomes), published: 2 } },
      { ingress: 'smpp', counts: { ...zeros(relayIngressOutcomes), 'segment-cached': 1 } }
    ],
    // In the platform table's order; a platform nothing was published to is left out.
    publishes: [
      { platform: 'bluesky', counts: { ...zeros(relayPublishOutcomes), transient: 1 } },
      { platform: 'mastodon', counts: { ...zeros(relayPublishOutcomes), published: 1, refused: 1 } }
    ],
    decryptions: 5,
    decryptFailures: [{ code: 'SMSGW_RATCHET_AUTH', count: 2 }, { code: 'SMSGW_RATCHET_REPLAY', count: 1 }],
    publishLatency: { count: 3, p50Seconds: 0.04, p90Seconds: 2, p99Seconds: 2 },
    accounts: null,
    unknownPublications: null,
    segmentsPending: null
  })
  // Older than the window: only the last one counts.
  clock.ms += 45_000
  assert.deepStrictEqual((await view.view()).publishLatency, { count: 1, p50Seconds: 2, p90Seconds: 2, p99Seconds: 2 })
  for (const stop of unwatch) stop()
  publishPublication('mastodon', 'published', 10)
  assert.deepStrictEqual((await view.view()).publishLatency.count, 1, 'no longer watching')
})

test('RelayView reads the store gauges where they run, and keeps the last value when a read fails', async () => {
  const registry = new Registry()
  let accounts: number | Error = 3
  const unwatch = watchRelay(registry, () => { if (accounts instanceof Error) throw accounts; return accounts }, async () => 1, () => 4)
  const view = new RelayView(registry)
  assert.deepStrictEqual(await view.view().then(v => [v.accounts, v.unknownPublications, v.segmentsPending]), [3, 1, 4])
  accounts = new Error('store down')
  assert.deepStrictEqual((await view.view()).accounts, 3)
  unwatch()
})

test('RelayView shows a quiet relay as zeros and no latency', async () => {
  const registry = new Registry()
  const unwatch = watchRelay(registry)
  const view = new RelayView(registry)
  const quiet = await view.view()
  assert.deepStrictEqual([quiet.ingress.map(row => row.ingress), quiet.publishes, quiet.decryptions, quiet.decryptFailures, quiet.publishLatency], [
    ['http', 'smpp'], [], 0, [], { count: 0, p50Seconds: null, p90Seconds: null, p99Seconds: null }
  ])
  unwatch()
})
