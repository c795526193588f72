import assert from 'node:assert/strict'
import { test } from 'node:test'
import { idempotencyKeyOf, randomIdOf, recordKeyOf } from '../../../src/relay/platforms/publish-idempotency.ts'

// The platforms' keys of a publication (docs/relay.md, "Retries"): stable for a publication and
// part, different between parts and publications, each in its platform's syntax.

const publication = { key: '5f'.repeat(32), claimedAtMs: Date.parse('2026-12-07T01:00:00Z') }
const other = { key: 'a0'.repeat(32), claimedAtMs: publication.claimedAtMs }
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/

test('each key is the same for the same publication and part, and differs between parts and publications', () => {
  for (const keyOf of [idempotencyKeyOf, recordKeyOf, randomIdOf] as const) {
    assert.equal(keyOf(publication, 1), keyOf({ ...publication }, 1))
    assert.notEqual(keyOf(publication, 0), keyOf(publication, 1))
    assert.notEqual(keyOf(publication, 0), keyOf(other, 0))
  }
})

test('Mastodon\'s Idempotency-Key is 64 hex characters, with nothing of the publication\'s key in it', () => {
  assert.match(idempotencyKeyOf(publication, 0), /^[0-9a-f]{64}$/)
  assert.ok(!idempotencyKeyOf(publication, 0).includes(publication.key.slice(0, 16)))
})

test('Bluesky\'s record keys are TIDs of the claim\'s time, a thread\'s parts in order', () => {
  const keys = [0, 1, 2, 3].map(index => recordKeyOf(publication, index))
  for (const key of keys) assert.match(key, TID)
  // base32-sortable: text order is number order, so the parts sort as posted.
  assert.deepEqual([...keys].sort(), keys)
  // The timestamp (the top 53 bits) is the claim's, to the millisecond.
  const value = [...keys[0] as string].reduce((number, character) => number * 32n + BigInt('234567abcdefghijklmnopqrstuvwxyz'.indexOf(character)), 0n)
  assert.equal(Number((value >> 10n) / 1000n), publication.claimedAtMs)
})

test('Telegram\'s random_id is a signed 64-bit integer', () => {
  const id = randomIdOf(publication, 0)
  assert.ok(id >= -(2n ** 63n) && id < 2n ** 63n)
})
