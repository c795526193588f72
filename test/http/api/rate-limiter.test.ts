import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ClientRateLimiter } from '../../../src/http/api/rate-limiter.ts'
import { errorCodes } from '../../../src/errors.ts'

function limiterAt (requestsPerSecond: number, burst: number) {
  const clock = { nowMs: 0 }
  return { clock, limiter: new ClientRateLimiter({ requestsPerSecond, burst }, () => clock.nowMs) }
}

test('ClientRateLimiter lets a burst through, then one request per 1/rate seconds', () => {
  const { clock, limiter } = limiterAt(2, 3)
  assert.deepStrictEqual([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0, 1])
  clock.nowMs = 499
  assert.equal(limiter.take('a'), 1)
  clock.nowMs = 500
  assert.deepStrictEqual([limiter.take('a'), limiter.take('a')], [0, 1])
})

test('ClientRateLimiter keeps one bucket per client', () => {
  const { limiter } = limiterAt(1, 1)
  assert.deepStrictEqual([limiter.take('a'), limiter.take('b'), limiter.take('a'), limiter.take('b')], [0, 0, 1, 1])
})

test('ClientRateLimiter refills no further than the burst', () => {
  const { clock, limiter } = limiterAt(10, 2)
  limiter.take('a')
  clock.nowMs = 60_000
  assert.deepStrictEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 1])
})

test('ClientRateLimiter charges a batch into debt, and Retry-After counts the seconds to pay it off', () => {
  const { clock, limiter } = limiterAt(10, 10)
  assert.equal(limiter.take('a'), 0)
  limiter.charge('a', 99)
  // 90 tokens owed, one more needed: 91 tokens at 10 a second.
  assert.equal(limiter.take('a'), 10)
  clock.nowMs = 9_000
  assert.equal(limiter.take('a'), 1)
  clock.nowMs = 9_100
  assert.equal(limiter.take('a'), 0)
})

test('ClientRateLimiter rejects a limit that admits nothing', () => {
  for (const limit of [{ requestsPerSecond: 0, burst: 1 }, { requestsPerSecond: 1, burst: 0.5 }, { requestsPerSecond: Number.NaN, burst: 1 }, { requestsPerSecond: 1, burst: Infinity }]) {
    assert.throws(() => new ClientRateLimiter(limit), { code: errorCodes.config }, JSON.stringify(limit))
  }
})

// Issue 9: every in-memory map is bounded; a client's bucket stayed for ever.
test('ClientRateLimiter forgets the buckets of clients that have been quiet long enough to be full again', () => {
  const { clock, limiter } = limiterAt(10, 20)
  for (let n = 0; n < 1_000; n++) limiter.take(`client-${n}`)
  // Each of those buckets is full again after 0.1 s; a client that spent its burst is not.
  for (let n = 0; n < 20; n++) limiter.take('busy')
  clock.nowMs = 150
  for (let n = 0; n < 30; n++) limiter.take(`newcomer-${n}`)
  assert.ok(limiter.clients <= 64, `${limiter.clients} buckets held`)
  assert.deepStrictEqual([limiter.take('busy'), limiter.take('busy'), limiter.take('busy')], [0, 1, 1])
  // A forgotten client starts again with a full bucket, as it would have had.
  assert.deepStrictEqual(Array.from({ length: 21 }, () => limiter.take('client-0')).filter(wait => wait === 0).length, 20)
})
