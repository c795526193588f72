import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { encodePlatformPayload } from '../../../src/relay/payload/index.ts'
import { generateX25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { decryptPlatformPayload } from '../../../src/relay/vault/index.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { COUNTRY_CODE, createTestAccount, newRing, PHONE_NUMBER, vaultOver } from './stored-vault.ts'
import { appFor } from './test-app.ts'

// A platform payload (relay.md §4) opened through the stored account: envelope, account lookup by
// device id or sender, stored ratchet step, content.

const kinds = await storeKinds('relay-platform-payload')

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('a v0 and a v2 payload open by device id and by sender; an unknown platform or sender changes nothing', async () => {
      const store = await kind.open()
      const vault = vaultOver(store, newRing())
      const client = generateX25519KeyPair()
      const account = await createTestAccount(vault, client.publicKey)
      const app = appFor(account.serverPublishKeyPair, client)

      const v0 = encodePlatformPayload({ version: 0, platformShortcode: 't', encryptedMessage: app.send('me:hello from the bush:at:rt'), deviceId: account.deviceId, language: '' })
      const opened = unwrap(await decryptPlatformPayload(vault, v0))
      assert.deepEqual([opened.entityId, opened.countryCode, opened.platform.name, opened.content], [account.entityId, COUNTRY_CODE, 'twitter', { serviceType: 'text', from: 'me', body: 'hello from the bush', accessToken: 'at', refreshToken: 'rt' }])

      const before = await store.relay.get(account.entityId)
      const refused = [
        await decryptPlatformPayload(vault, encodePlatformPayload({ version: 2, platformShortcode: 'z', encryptedMessage: app.send('lost'), deviceId: account.deviceId, language: 'en' })),
        await decryptPlatformPayload(vault, encodePlatformPayload({ version: 2, platformShortcode: 't', encryptedMessage: app.send('lost'), deviceId: Buffer.alloc(0), language: 'en' }))
      ]
      assert.deepEqual(refused.map(outcome => outcome.ok ? 'opened' : outcome.error.code), [errorCodes.relayMalformed, errorCodes.relayAccountMissing])
      assert.deepEqual(await store.relay.get(account.entityId), before)

      // v2 text content: lengths (from u8, to u16, cc u16, bcc u16, subject u8, body u16, tokens u16) then the fields.
      const body = Buffer.from('by sender')
      const lengths = Buffer.alloc(14)
      lengths.writeUInt16LE(body.length, 8)
      const v2 = encodePlatformPayload({ version: 2, platformShortcode: 'm', encryptedMessage: app.send(Buffer.concat([lengths, body])), deviceId: Buffer.alloc(0), language: 'fr' })
      const bySender = unwrap(await decryptPlatformPayload(vault, v2, PHONE_NUMBER))
      assert.deepEqual([bySender.platform.name, bySender.language, bySender.content.serviceType === 'text' ? bySender.content.body : ''], ['mastodon', 'fr', 'by sender'])
      await store.close()
    })
  })
}
