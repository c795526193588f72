import assert from 'node:assert/strict'
import { test } from 'node:test'
import { failureOfStatus, failureOfTokenEndpoint, failureOfUnrepeatablePost, networkFailure, neverSent, retryAfterMsOf } from '../../../src/relay/platforms/platform-http-failure.ts'

test('failureOfStatus maps 401 to token-invalid, 429 to rate-limited, 408 and 5xx to transient, other 4xx to rejected', () => {
  const kinds = [400, 401, 403, 404, 408, 422, 429, 500, 502, 503].map(status => [status, failureOfStatus('X', status, 5000).kind])
  assert.deepEqual(kinds, [[400, 'rejected'], [401, 'token-invalid'], [403, 'rejected'], [404, 'rejected'], [408, 'transient'], [422, 'rejected'], [429, 'rate-limited'], [500, 'transient'], [502, 'transient'], [503, 'transient']])
  assert.equal(failureOfStatus('X', 429, 5000).retryAfterMs, 5000)
  assert.equal(failureOfStatus('X', 503, 5000).retryAfterMs, undefined)
  assert.equal(failureOfStatus('Mastodon', 401).message, 'Mastodon refused the token (HTTP 401): link the account again')
})

test('failureOfTokenEndpoint takes a refused refresh (400 invalid_grant, 401 invalid_client) as token-invalid', () => {
  assert.deepEqual([400, 401, 429, 500].map(status => failureOfTokenEndpoint('X', status).kind), ['token-invalid', 'token-invalid', 'rate-limited', 'transient'])
})

test('retryAfterMsOf reads seconds and HTTP dates, bounds them, and ignores what it cannot read', () => {
  const nowMs = Date.parse('2026-01-01T00:00:00Z')
  assert.equal(retryAfterMsOf('7', nowMs), 7000)
  assert.equal(retryAfterMsOf(' 0 ', nowMs), 0)
  assert.equal(retryAfterMsOf('Thu, 01 Jan 2026 00:00:30 GMT', nowMs), 30_000)
  assert.equal(retryAfterMsOf('Wed, 31 Dec 2025 23:00:00 GMT', nowMs), 0)
  assert.equal(retryAfterMsOf('99999999', nowMs), 86_400_000)
  for (const header of [undefined, null, '', 'soon', '-5']) assert.equal(retryAfterMsOf(header, nowMs), undefined)
})

test('a post the platform cannot deduplicate: only a connection never made is transient; no answer after sending, and a 504, are unknown', () => {
  const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })
  const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })
  const timedOut = new DOMException('The operation was aborted due to timeout', 'TimeoutError')
  assert.equal(neverSent(refused), true)
  assert.equal(neverSent(reset), false)
  assert.equal(neverSent(timedOut), false)
  assert.equal(neverSent(undefined), false)
  assert.deepEqual([refused, reset, timedOut, undefined].map(error => networkFailure('X', error, false).kind), ['transient', 'unknown', 'unknown', 'unknown'])
  // A platform that tells repeats apart is retried whatever the cause.
  assert.deepEqual([refused, reset, timedOut].map(error => networkFailure('Mastodon', error).kind), ['transient', 'transient', 'transient'])
  assert.deepEqual([503, 504, 429].map(status => failureOfUnrepeatablePost('Gmail', status).kind), ['transient', 'unknown', 'rate-limited'])
  assert.equal(failureOfUnrepeatablePost('Gmail', 504).message, 'Gmail answered HTTP 504 (a gateway gave up waiting for it): the post may have been made, and is not sent again')
})
