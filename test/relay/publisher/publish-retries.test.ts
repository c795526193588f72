import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PlatformFailure } from '../../../src/relay/platforms/platform-adapter.ts'
import { publishWithRetries, retryDelayMs } from '../../../src/relay/publisher/publish-retries.ts'

// Retries inside one publish: transient and rate-limited failures again after a doubling delay or
// the platform's Retry-After, up to the bound; token-invalid and rejected at once; a Retry-After
// longer than the longest wait is not waited for.

const POLICY = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 }

test('a transient failure is retried after 100, 200, 400 ms; the fourth failure is the answer', async () => {
  const waits: number[] = []
  let calls = 0
  await assert.rejects(publishWithRetries(async () => { calls++; throw new PlatformFailure('transient', 'Service Unavailable') }, POLICY, async ms => { waits.push(ms) }), { message: 'Service Unavailable' })
  assert.deepEqual([calls, waits], [4, [100, 200, 400]])
})

test('a rate limit is retried after the platform\'s Retry-After, and the call that succeeds is the answer', async () => {
  const waits: number[] = []
  let calls = 0
  const result = await publishWithRetries(async () => {
    calls++
    if (calls === 1) throw new PlatformFailure('rate-limited', 'Too Many Requests', 750)
    return 'posted'
  }, POLICY, async ms => { waits.push(ms) })
  assert.deepEqual([result, calls, waits], ['posted', 2, [750]])
})

test('token-invalid, rejected, an unforeseen error and a Retry-After over the longest wait are answered at once', () => {
  assert.equal(retryDelayMs(new PlatformFailure('token-invalid', 'The access token is invalid'), 1, POLICY), undefined)
  assert.equal(retryDelayMs(new PlatformFailure('rejected', 'Validation failed: Text character limit of 500 exceeded'), 1, POLICY), undefined)
  assert.equal(retryDelayMs(new Error('socket hang up'), 1, POLICY), undefined)
  assert.equal(retryDelayMs(new PlatformFailure('rate-limited', 'Too Many Requests', 60_000), 1, POLICY), undefined)
  assert.equal(retryDelayMs(new PlatformFailure('rate-limited', 'Too Many Requests'), 3, POLICY), 400)
  assert.equal(retryDelayMs(new PlatformFailure('transient', 'Bad Gateway'), 4, POLICY), undefined)
})
