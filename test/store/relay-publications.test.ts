import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { storeKinds } from './store-kinds.ts'

// The store port of the publisher's records (src/store/relay-publications.ts) on both stores: one
// claim per key wins (also when many race), a settle moves only a `publishing` row, a release
// deletes only a `publishing` row, the rows left
// `publishing` are counted by claim time, settled rows are pruned and `publishing` ones never, and
// nothing that is not a digest key or is over its bounds is stored.

const kinds = await storeKinds('relay-publications')
const digest = (text: string): string => createHash('sha512').update(text).digest('hex')

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('RelayPublicationStore claims a key once, settles it once, counts those left publishing and prunes settled rows', async () => {
      const store = await kind.open()
      const publications = store.relayPublications
      const key = digest('payload one')
      assert.equal(await publications.get(key), undefined)
      const claims = await Promise.all(Array.from({ length: 8 }, async () => await publications.claim(key, 'mastodon', 1_000)))
      assert.deepEqual(claims.filter(Boolean).length, 1, 'of eight claims at once, one makes the row')
      assert.deepStrictEqual(await publications.get(key), { state: 'publishing', platform: 'mastodon', response: '', code: 0, createdAtMs: 1_000, updatedAtMs: 1_000 })
      await publications.settle(key, { state: 'published', response: 'Successfully sent message', code: 0 }, 2_000)
      await publications.settle(key, { state: 'failed', response: 'too late', code: 3 }, 3_000)
      assert.deepStrictEqual(await publications.get(key), { state: 'published', platform: 'mastodon', response: 'Successfully sent message', code: 0, createdAtMs: 1_000, updatedAtMs: 2_000 }, 'a settled row stays as it was settled')
      await publications.release(key)
      assert.equal((await publications.get(key))?.state, 'published', 'a settled row is not released')

      const refused = digest('payload refused')
      assert.equal(await publications.claim(refused, 'mastodon', 1_500), true)
      await publications.release(refused)
      assert.equal(await publications.get(refused), undefined, 'a released claim is gone')
      assert.equal(await publications.claim(refused, 'mastodon', 1_600), true, 'and can be made again')
      await publications.release(refused)

      const crashed = digest('payload two')
      assert.equal(await publications.claim(crashed, 'twitter', 5_000), true)
      assert.equal(await publications.countPublishing(5_000), 0, 'a claim made at the cutoff is not yet counted')
      assert.equal(await publications.countPublishing(5_001), 1)
      assert.equal(await publications.prune(10_000), 1, 'the settled row goes')
      assert.equal(await publications.get(key), undefined)
      assert.equal((await publications.get(crashed))?.state, 'publishing', 'a row left publishing is never pruned: it keeps its payload from being published again')

      await assert.rejects(publications.claim('+237650000001', 'mastodon', 1), RangeError)
      await assert.rejects(publications.claim(digest('x'), 'm'.repeat(33), 1), RangeError)
      await assert.rejects(publications.settle(crashed, { state: 'failed', response: 'x'.repeat(1025), code: 3 }, 1), RangeError)
      assert.equal((await publications.get(crashed))?.state, 'publishing')
      await store.close()
    })
  })
}
