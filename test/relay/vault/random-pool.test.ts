import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pooledRandomBytes } from '../../../src/relay/vault/random-pool.ts'

// Nonces and ids drawn from the pool the CSPRNG refills (random-pool.ts).

test('pooledRandomBytes hands out each byte once: draws across several refills are all different', () => {
  const seen = new Set<string>()
  // 12-byte draws over ~3 refills of the 4 KiB pool, one of them straddling a refill's boundary.
  for (let index = 0; index < 1000; index++) seen.add(pooledRandomBytes(12).toString('hex'))
  assert.equal(seen.size, 1000)
})

test('pooledRandomBytes gives a copy: a drawn nonce stays as it was when the pool is refilled', () => {
  const drawn = pooledRandomBytes(16)
  const copy = Buffer.from(drawn)
  for (let index = 0; index < 600; index++) pooledRandomBytes(16)
  assert.deepEqual(drawn, copy)
  assert.equal(drawn.length, 16)
})

test('pooledRandomBytes refuses more than its pool at once', () => {
  assert.throws(() => pooledRandomBytes(4097), RangeError)
})
