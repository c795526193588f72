import assert from 'node:assert/strict'
import { test } from 'node:test'
import { signWebhookBody, verifyWebhookSignature } from '../../../src/http/webhooks/index.ts'
import { DEFAULT_WEBHOOK_RETRY_POLICY, retryDelayMs } from '../../../src/http/webhooks/index.ts'

test('signWebhookBody gives sha256= and the hex HMAC-SHA256 of the body (RFC 4231 test case 2)', () => {
  assert.equal(signWebhookBody('Jefe', 'what do ya want for nothing?'),
    'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
})

test('verifyWebhookSignature takes the right signature only', () => {
  const body = '{"client-id":"test","correl-id":"C1","timestamp":"2026-11-21T10:00:00Z","sms-status":"SENT"}'
  const signature = signWebhookBody('secret', body)
  assert.deepStrictEqual([
    verifyWebhookSignature('secret', body, signature),
    verifyWebhookSignature('secret', Buffer.from(body), signature),
    verifyWebhookSignature('other', body, signature),
    verifyWebhookSignature('secret', `${body} `, signature),
    verifyWebhookSignature('secret', body, signature.toUpperCase()),
    verifyWebhookSignature('secret', body, signature.slice(0, -1)),
    verifyWebhookSignature('secret', body, undefined)
  ], [true, true, false, false, false, false, false])
})

test('retryDelayMs doubles from the first delay up to the cap, within the jitter', () => {
  const policy = DEFAULT_WEBHOOK_RETRY_POLICY
  const delays = Array.from({ length: policy.maxAttempts - 1 }, (_, index) => retryDelayMs(policy, index + 1, () => 0.5))
  assert.deepStrictEqual(delays, [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000])
  assert.equal(delays.reduce((sum, delay) => sum + delay), 635_000)
  assert.deepStrictEqual([retryDelayMs(policy, 1, () => 0), retryDelayMs(policy, 1, () => 1), retryDelayMs(policy, 12, () => 0.5)], [4_000, 6_000, 320_000])
})
