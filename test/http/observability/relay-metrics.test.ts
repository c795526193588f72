import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { watchRelay } from '../../../src/http/observability/relay-metrics.ts'
import { publishDecryption, publishOtpDelivery, publishRateLimited, publishRpcOutcome } from '../../../src/relay/relay-diagnostics.ts'

// The relay's counters fed by its diagnostics channels: each label from a closed set, so that
// nothing a client sends (an identifier, a code) can become a series.

async function series (registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter(line => line.startsWith('smsgw_relay_'))
}

test('watchRelay counts RPC answers, OTP deliveries, decryptions and rate-limit refusals by their labels', async () => {
  const registry = new Registry()
  const unwatch = watchRelay(registry)
  publishRpcOutcome('CreateEntity', 'OK')
  publishRpcOutcome('CreateEntity', 'OK')
  publishRpcOutcome('AuthenticateEntity', 'UNAUTHENTICATED')
  publishOtpDelivery('email', 'failed')
  publishDecryption('decrypted')
  publishDecryption('SMSGW_RATCHET_AUTH')
  publishRateLimited('password')
  assert.deepStrictEqual(await series(registry), [
    'smsgw_relay_rpcs_total{method="CreateEntity",code="OK"} 2',
    'smsgw_relay_rpcs_total{method="AuthenticateEntity",code="UNAUTHENTICATED"} 1',
    'smsgw_relay_otps_total{channel="email",outcome="failed"} 1',
    'smsgw_relay_decryptions_total{outcome="decrypted"} 1',
    'smsgw_relay_decryptions_total{outcome="SMSGW_RATCHET_AUTH"} 1',
    'smsgw_relay_rate_limited_total{limit="otp"} 0',
    'smsgw_relay_rate_limited_total{limit="password"} 1'
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
  assert.deepStrictEqual(await series(registry), ['smsgw_relay_rate_limited_total{limit="otp"} 0', 'smsgw_relay_rate_limited_total{limit="password"} 0'])
  unwatch()
})
