import assert from 'node:assert/strict'
import { test } from 'node:test'
import { failureOfNetworkError, failureOfStatus, retryAfterMs } from '../../../src/relay/platforms/http-failure.ts'

test('retryAfterMs reads delay-seconds and an HTTP-date (RFC 9110 §10.2.3), and nothing else', () => {
  const nowMs = Date.parse('2026-12-06T21:00:00Z')
  assert.equal(retryAfterMs('120', nowMs), 120_000)
  assert.equal(retryAfterMs(' 0 ', nowMs), 0)
  assert.equal(retryAfterMs('Sun, 06 Dec 2026 21:00:30 GMT', nowMs), 30_000)
  assert.equal(retryAfterMs('Sun, 06 Dec 2026 20:00:00 GMT', nowMs), 0, 'a date gone by means now')
  assert.equal(retryAfterMs(null, nowMs), undefined)
  assert.equal(retryAfterMs('soon', nowMs), undefined)
  assert.equal(retryAfterMs('-5', nowMs), undefined)
})

test('failureOfStatus maps 401 to token-invalid, 429 to rate-limited, 5xx to transient, other 4xx to rejected', () => {
  const kinds = [401, 429, 500, 503, 400, 403, 404, 413].map(status => failureOfStatus('Gmail', status, '3').kind)
  assert.deepStrictEqual(kinds, ['token-invalid', 'rate-limited', 'transient', 'transient', 'rejected', 'rejected', 'rejected', 'rejected'])
  assert.equal(failureOfStatus('Gmail', 429, '3').retryAfterMs, 3000)
  assert.equal(failureOfStatus('Gmail', 503, null).message, 'Gmail failed (HTTP 503)')
})

test('failureOfNetworkError names a timeout apart from an unreachable platform, both transient', () => {
  const timeout = failureOfNetworkError('Bluesky', new DOMException('The operation timed out.', 'TimeoutError'))
  assert.deepStrictEqual([timeout.kind, timeout.message], ['transient', 'Bluesky did not answer in time'])
  const refused = failureOfNetworkError('Bluesky', new TypeError('fetch failed'))
  assert.deepStrictEqual([refused.kind, refused.message], ['transient', 'Bluesky could not be reached'])
})
