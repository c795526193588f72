import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { watchRelay } from '../../../src/http/observability/relay-metrics.ts'
import { relayPlatformNames } from '../../../src/domain/relay-diagnostics-channels.ts'
import { platforms } from '../../../src/relay/payload/platforms.ts'
import { publishDecryption, publishHandshake, publishIngressOutcome, publishNotice, publishOtpDelivery, publishPublication, publishRateLimited, publishRpcOutcome } from '../../../src/relay/relay-diagnostics.ts'

// The relay's counters fed by its diagnostics channels: each label from a closed set, so that
// nothing a client sends (an identifier, a code) can become a series.

async function series (registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter(line => line.startsWith('smsgw_relay_'))
}

test('watchRelay counts RPC answers, OTP deliveries, decryptions, rate-limit refusals and completed handshakes by their labels', async () => {
  const registry = new Registry()
  const unwatch = watchRelay(registry)
  publishRpcOutcome('CreateEntity', 'OK')
  publishRpcOutcome('CreateEntity', 'OK')
  publishRpcOutcome('AuthenticateEntity', 'UNAUTHENTICATED')
  publishOtpDelivery('email', 'failed')
  publishDecryption('decrypted')
  publishDecryption('SMSGW_RATCHET_AUTH')
  publishRateLimited('password')
  publishHandshake('create')
  publishHandshake('authenticate')
  publishHandshake('authenticate')
  assert.deepStrictEqual(await series(registry), [
    'smsgw_relay_rpcs_total{method="CreateEntity",code="OK"} 2',
    'smsgw_relay_rpcs_total{method="AuthenticateEntity",code="UNAUTHENTICATED"} 1',
    'smsgw_relay_otps_total{channel="email",outcome="failed"} 1',
    'smsgw_relay_decryptions_total{outcome="decrypted"} 1',
    'smsgw_relay_decryptions_total{outcome="SMSGW_RATCHET_AUTH"} 1',
    'smsgw_relay_rate_limited_total{limit="otp"} 0',
    'smsgw_relay_rate_limited_total{limit="password"} 1',
    'smsgw_relay_handshakes_total{kind="create"} 1',
    'smsgw_relay_handshakes_total{kind="authenticate"} 2',
    'smsgw_relay_handshakes_total{kind="reset"} 0',
    'smsgw_relay_notices_total{outcome="sent"} 0',
    'smsgw_relay_notices_total{outcome="failed"} 0'
  ])
  unwatch()
  assert.deepStrictEqual(await series(registry), [])
})

test('watchRelay ignores a label outside its closed set, so no identifier or code becomes a series', async () => {
  const registry = new Registry()
  const unwatch = watchRelay(registry)
  publishRpcOutcome('+237650000001' as 'CreateEntity', 'OK')
  publishRpcOutcome('CreateEntity', '123456')
  publishDecryption('someone@example.org')
  publishOtpDelivery('+237650000001' as 'phone', 'sent')
  publishRateLimited('someone@example.org' as 'otp')
  publishHandshake('+237650000001' as 'create')
  publishIngressOutcome('+237650000001' as 'http', 'published')
  publishIngressOutcome('smpp', 'AQIDBA==' as 'published')
  assert.deepStrictEqual(await series(registry), [
    'smsgw_relay_rate_limited_total{limit="otp"} 0',
    'smsgw_relay_rate_limited_total{limit="password"} 0',
    'smsgw_relay_handshakes_total{kind="create"} 0',
    'smsgw_relay_handshakes_total{kind="authenticate"} 0',
    'smsgw_relay_handshakes_total{kind="reset"} 0',
    'smsgw_relay_notices_total{outcome="sent"} 0',
    'smsgw_relay_notices_total{outcome="failed"} 0'
  ])
  unwatch()
})

test('watchRelay counts publishes by platform and outcome with their latency, and notices; a platform, outcome or duration outside its set is not counted', async () => {
  const registry = new Registry()
  let unknown = 0
  const unwatch = watchRelay(registry, undefined, async () => unknown)
  publishPublication('mastodon', 'published', 40)
  publishPublication('mastodon', 'replayed', 2)
  publishPublication('twitter', 'rate-limited', 12_000)
  publishPublication('+237650000001', 'published', 1)
  publishPublication('mastodon', 'Hello from the bush' as 'published', 1)
  publishPublication('gmail', 'published', Number.NaN)
  publishNotice('sent')
  publishNotice('failed')
  unknown = 2
  const lines = await series(registry)
  for (const line of [
    'smsgw_relay_publishes_total{platform="mastodon",outcome="published"} 1',
    'smsgw_relay_publishes_total{platform="mastodon",outcome="replayed"} 1',
    'smsgw_relay_publishes_total{platform="twitter",outcome="rate-limited"} 1',
    'smsgw_relay_publishes_total{platform="gmail",outcome="published"} 1',
    'smsgw_relay_publish_seconds_count{platform="mastodon"} 2',
    'smsgw_relay_publish_seconds_bucket{le="0.05",platform="mastodon"} 2',
    'smsgw_relay_publish_seconds_bucket{le="10",platform="twitter"} 0',
    'smsgw_relay_notices_total{outcome="sent"} 1',
    'smsgw_relay_notices_total{outcome="failed"} 1',
    'smsgw_relay_publications_unknown 2'
  ]) assert.ok(lines.includes(line), line)
  assert.deepEqual(lines.filter(line => line.includes('+237') || line.includes('bush')), [])
  assert.ok(!lines.some(line => line.startsWith('smsgw_relay_publish_seconds_count{platform="gmail"}')), 'no duration, no observation')
  unwatch()
})

test('the platforms of the metrics\' closed set are those of payload/platforms.ts', () => {
  assert.deepEqual([...relayPlatformNames].sort(), platforms.map(platform => platform.name).sort())
})

test('watchRelay reads the accounts gauge from the store\'s count on every scrape; a failed read keeps the last value', async () => {
  const registry = new Registry()
  let count: () => Promise<number> = async () => 3
  const unwatch = watchRelay(registry, async () => await count())
  const accounts = async (): Promise<string[]> => (await series(registry)).filter(line => line.startsWith('smsgw_relay_accounts'))
  assert.deepStrictEqual(await accounts(), ['smsgw_relay_accounts 3'])
  count = async () => 2
  assert.deepStrictEqual(await accounts(), ['smsgw_relay_accounts 2'], 'an account deleted, by this instance or another')
  count = async () => { throw new Error('the store is unreachable') }
  assert.deepStrictEqual(await accounts(), ['smsgw_relay_accounts 2'])
  unwatch()
  assert.deepStrictEqual(await series(registry), [])
  const withoutVault = new Registry()
  const unwatchOther = watchRelay(withoutVault)
  assert.deepStrictEqual(await series(withoutVault).then(lines => lines.filter(line => line.startsWith('smsgw_relay_accounts'))), [], 'no gauge where no vault runs')
  unwatchOther()
})
