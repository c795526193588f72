import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { keyedHmac } from '../../../src/relay/vault/keyed-hmac.ts'

// The relay's HMAC-SHA512 with the key object made once per key (keyed-hmac.ts).

test('keyedHmac digests as createHmac does with the key Buffer, on first and later use of a key', () => {
  const key = randomBytes(32)
  const expected = createHmac('sha512', key).update('label\0').update('value').digest('hex')
  assert.equal(keyedHmac(key).update('label\0').update('value').digest('hex'), expected)
  assert.equal(keyedHmac(key).update('label\0').update('value').digest('hex'), expected)
})

test('keyedHmac keeps keys apart: another key Buffer, even of the same length, digests under its own key', () => {
  const [first, second] = [randomBytes(32), randomBytes(32)]
  assert.equal(keyedHmac(first).update('x').digest('hex'), createHmac('sha512', first).update('x').digest('hex'))
  assert.equal(keyedHmac(second).update('x').digest('hex'), createHmac('sha512', second).update('x').digest('hex'))
  assert.notEqual(keyedHmac(first).update('x').digest('hex'), keyedHmac(second).update('x').digest('hex'))
})
