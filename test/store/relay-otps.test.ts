import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { storeKinds } from './store-kinds.ts'

// The store port of the relay's one-time codes (src/store/relay-otps.ts) on both stores: a code
// replaced by a new one, attempts counted only on the code they were made for, an invalidated code
// kept as a row without its digest, a code consumed once, expired rows pruned, and no key or digest
// stored that is not one.

const kinds = await storeKinds('relay-otps')
const digest = (text: string): string => createHash('sha512').update(text).digest('hex')

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('RelayOtpStore keeps one code per key, counts attempts on that code, invalidates, consumes once and prunes expired rows', async () => {
      const store = await kind.open()
      const otps = store.relayOtps
      const key = digest('key')
      await otps.put(key, { purpose: 'create', codeHash: digest('first'), expiresAtMs: 1_000 })
      assert.equal(await otps.countAttempt(key, digest('first')), 1)
      await otps.put(key, { purpose: 'reset', codeHash: digest('second'), expiresAtMs: 2_000 })
      assert.deepStrictEqual(await otps.get(key), { purpose: 'reset', codeHash: digest('second'), expiresAtMs: 2_000, attempts: 0 }, 'a new code replaces the last, attempts start over')
      assert.equal(await otps.countAttempt(key, digest('first')), undefined, 'no attempt counts on a replaced code')
      assert.equal(await otps.countAttempt(key, digest('second')), 1)
      assert.equal(await otps.countAttempt(key, digest('second')), 2)
      assert.equal(await otps.consume(key, digest('first')), false)
      assert.equal(await otps.consume(key, digest('second')), true)
      assert.equal(await otps.consume(key, digest('second')), false, 'consumed once')
      assert.equal(await otps.get(key), undefined)

      const other = digest('other')
      await otps.put(other, { purpose: 'authenticate', codeHash: digest('third'), expiresAtMs: 5_000 })
      await otps.invalidate(other, digest('another code'))
      assert.equal((await otps.get(other))?.codeHash, digest('third'), 'a code that is not the one to invalidate stays')
      await otps.invalidate(other, digest('third'))
      assert.deepStrictEqual(await otps.get(other), { purpose: 'authenticate', codeHash: undefined, expiresAtMs: 5_000, attempts: 0 }, 'the row stays, without its code')
      assert.equal(await otps.countAttempt(other, digest('third')), undefined)
      await otps.put(key, { purpose: 'create', codeHash: digest('fourth'), expiresAtMs: 1_000 })
      assert.equal(await otps.prune(4_000), 1)
      assert.equal(await otps.get(key), undefined)
      assert.ok(await otps.get(other) !== undefined, 'a row expiring after the cutoff stays')

      await assert.rejects(otps.put('+237650000001', { purpose: 'create', codeHash: digest('x'), expiresAtMs: 1 }), RangeError)
      await assert.rejects(otps.put(digest('y'), { purpose: 'create', codeHash: '123456', expiresAtMs: 1 }), RangeError)
      await assert.rejects(otps.put(digest('y'), { purpose: 'x'.repeat(33), codeHash: digest('x'), expiresAtMs: 1 }), RangeError)
      await store.close()
    })
  })
}
