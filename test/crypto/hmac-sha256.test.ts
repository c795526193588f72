import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { hmacSha256 } from '../../src/crypto/hmac-sha256.ts'

test('hmacSha256 equals node createHmac for keys shorter than, as long as and longer than a block', () => {
  for (const keyBytes of [0, 1, 32, 63, 64, 65, 200]) {
    for (const partSizes of [[], [0], [1], [3, 0, 70], [64, 64, 200]]) {
      const key = randomBytes(keyBytes)
      const parts = partSizes.map(size => randomBytes(size))
      const expected = parts.reduce((hmac, part) => hmac.update(part), createHmac('sha256', key)).digest()
      assert.deepEqual(hmacSha256(key, ...parts), expected, `key ${keyBytes}, parts ${partSizes.join('+')}`)
    }
  }
})

test('hmacSha256 digests whose bytes cover all 256 values survive the latin1 inner step', () => {
  // Every byte value must pass through the inner digest unchanged; enough random keys cover them.
  for (let round = 0; round < 300; round++) {
    const key = randomBytes(32)
    assert.deepEqual(hmacSha256(key, key), createHmac('sha256', key).update(key).digest())
  }
})
