import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { relayTokenBounds, type NewRelayToken } from '../../src/store/relay-tokens.ts'
import type { EmbeddedStore } from '../../src/store/embedded-store.ts'
import { storeKinds } from './store-kinds.ts'

// The store port of the relay's platform tokens (src/store/relay-tokens.ts) on both stores: one
// row per account, platform and account digest, storing again replaces the token and keeps the
// identifier stored first, the compare-and-set of an update, listing oldest first, rows going with
// their account, and bounds refused before anything is stored.

const kinds = await storeKinds('relay-tokens')
const digest = (text: string): string => createHash('sha512').update(text).digest('hex')
const bytes = (text: string): Buffer => Buffer.from(text)

/** An account row the tokens can belong to (the store does not look inside its sealed fields). */
async function newAccount (store: EmbeddedStore, entityId: string): Promise<void> {
  const sealed = { countryCode: bytes('c'), serverPublishKeyPair: bytes('s'), serverDeviceIdKeyPair: bytes('d'), clientPublishPublicKey: bytes('p'), clientDeviceIdPublicKey: bytes('i'), deviceId: bytes('v'), ratchetState: bytes('r') }
  assert.ok(await store.relay.create({ entityId, identifierHash: digest(entityId), deviceLookup: digest(`device ${entityId}`), passwordHash: 'hash', sealed }))
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('RelayTokenStore keeps one token per account, platform and account digest, replaces, compares-and-sets, lists oldest first and goes with its account', async () => {
      const store = await kind.open()
      const tokens = store.relayTokens
      const [alice, bob] = ['a'.repeat(32), 'b'.repeat(32)]
      await newAccount(store, alice)
      await newAccount(store, bob)
      const gmail: NewRelayToken = { entityId: alice, platform: 'gmail', accountLookup: digest('alice@example.org'), sealedAccountIdentifier: bytes('identifier 1'), sealedToken: bytes('token 1') }
      await tokens.put(gmail)
      await tokens.put({ ...gmail, sealedAccountIdentifier: bytes('identifier 2'), sealedToken: bytes('token 2') })
      const stored = await tokens.get(gmail)
      assert.deepEqual([stored?.sealedAccountIdentifier, stored?.sealedToken], [bytes('identifier 1'), bytes('token 2')], 'storing again replaces the token, the identifier stored first stays')
      const mastodon = { ...gmail, platform: 'mastodon', sealedToken: bytes('token m') }
      await tokens.put(mastodon)
      await tokens.put({ ...gmail, entityId: bob })
      assert.deepEqual((await tokens.listOf(alice)).map(row => row.platform), ['gmail', 'mastodon'])

      assert.equal(await tokens.update(gmail, { sealedToken: bytes('token 3') }, bytes('token 1')), false, 'the compare-and-set refuses a token read before a replacement')
      assert.equal(await tokens.update(gmail, { sealedToken: bytes('token 3') }, bytes('token 2')), true)
      assert.equal(await tokens.update(gmail, { sealedToken: bytes('token 4'), sealedAccountIdentifier: bytes('identifier 4') }), true)
      assert.deepEqual([(await tokens.get(gmail))?.sealedAccountIdentifier, (await tokens.get(gmail))?.sealedToken], [bytes('identifier 4'), bytes('token 4')])
      assert.equal(await tokens.update({ ...gmail, platform: 'twitter' }, { sealedToken: bytes('x') }), false, 'no row, nothing updated')

      assert.equal(await tokens.remove(mastodon), true)
      assert.equal(await tokens.remove(mastodon), false)
      assert.equal(await store.relay.remove(alice), true)
      assert.deepEqual(await tokens.listOf(alice), [], 'an account\'s tokens go with it')
      assert.equal((await tokens.listOf(bob)).length, 1, 'another account\'s stay')
      await assert.rejects(tokens.put({ ...gmail, entityId: 'c'.repeat(32) }), 'no token of an account that does not exist')

      await assert.rejects(tokens.put({ ...gmail, entityId: bob, platform: 'Gmail' }), RangeError)
      await assert.rejects(tokens.put({ ...gmail, entityId: bob, accountLookup: 'alice@example.org' }), RangeError)
      await assert.rejects(tokens.put({ ...gmail, entityId: bob, sealedToken: randomBytes(relayTokenBounds.sealedTokenBytes + 1) }), RangeError)
      await assert.rejects(tokens.put({ ...gmail, entityId: bob, sealedAccountIdentifier: randomBytes(relayTokenBounds.sealedAccountIdentifierBytes + 1) }), RangeError)
      await assert.rejects(tokens.update({ ...gmail, entityId: bob }, { sealedToken: Buffer.alloc(0) }), RangeError)
      assert.deepEqual((await tokens.get({ ...gmail, entityId: bob }))?.sealedToken, bytes('token 1'), 'nothing refused was stored')
      await store.close()
    })
  })
}
