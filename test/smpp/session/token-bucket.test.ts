import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TokenBucket } from '../../../src/smpp/session/index.ts'

test('TokenBucket gives its burst at once, then one token per 1/rate seconds', () => {
  const bucket = new TokenBucket(10, 2)
  assert.deepStrictEqual([bucket.take(0), bucket.take(0), bucket.take(0)], [0, 0, 100])
  assert.equal(bucket.take(99), 1)
  assert.equal(bucket.take(100), 0)
  assert.equal(bucket.take(100), 100)
})

test('TokenBucket saves up at most its burst while idle', () => {
  const bucket = new TokenBucket(1000, 5)
  for (let taken = 0; taken < 5; taken++) assert.equal(bucket.take(0), 0)
  const afterIdle = [0, 0, 0, 0, 0, 0].map(() => bucket.take(60_000))
  assert.deepStrictEqual(afterIdle, [0, 0, 0, 0, 0, 1])
})

test('TokenBucket refuses a rate or burst that makes no sense', () => {
  assert.throws(() => new TokenBucket(0, 1), RangeError)
  assert.throws(() => new TokenBucket(1, 0.5), RangeError)
})
