import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { generateX25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { createAccount, decryptPayload, deviceSecretOfAccount, findAccount, findEntityIdByDevice, MAX_COUNTRY_CODE_BYTES, parseSealingKeyRing, replaceDevice, resealAccounts, sealingKeyIdOf, type RelayVault } from '../../../src/relay/vault/index.ts'
import { relayAccountBounds, relaySealedFieldNames } from '../../../src/store/relay-accounts.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { COUNTRY_CODE, createTestAccount, newRing, PASSWORD_HASH, PHONE_NUMBER, vaultOver } from './stored-vault.ts'
import { appFor } from './test-app.ts'

// The account writes and the key rotation over both stores (relay.md §2 and §7).

const kinds = await storeKinds('relay-accounts')
const keyText = (id: string): string => `${id} ${randomBytes(32).toString('base64')}`

async function keyIdsOf (vault: RelayVault, entityId: string): Promise<string[]> {
  const account = await vault.accounts.get(entityId)
  assert.ok(account !== undefined)
  return relaySealedFieldNames.map(field => sealingKeyIdOf(account.sealed[field]) ?? 'none')
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('key rotation: new values seal under the new key, old ones still open, a re-seal pass moves them all', async () => {
      const store = await kind.open()
      const [k1, k2] = [keyText('k1'), keyText('k2')]
      const before = vaultOver(store, unwrap(parseSealingKeyRing(k1)))
      const during = vaultOver(store, unwrap(parseSealingKeyRing(`${k2}\n${k1}`)))
      const after = vaultOver(store, unwrap(parseSealingKeyRing(k2)))
      const accounts = await Promise.all(['+237650000011', '+237650000012', '+237650000013'].map(async identifier => {
        const client = generateX25519KeyPair()
        const account = await createTestAccount(before, client.publicKey, identifier)
        return { ...account, app: appFor(account.serverPublishKeyPair, client) }
      }))
      for (const account of accounts) unwrap(await decryptPayload(before, { entityId: account.entityId }, account.app.send('under k1')))

      const [first, second] = accounts as [typeof accounts[0], typeof accounts[0]]
      assert.equal(unwrap(await decryptPayload(during, { entityId: first.entityId }, first.app.send('under k2'))).plaintext.toString(), 'under k2')
      assert.deepEqual(await keyIdsOf(during, first.entityId), ['k1', 'k1', 'k1', 'k1', 'k1', 'k1', 'k2'], 'the advanced state is sealed under the current key')

      const untouched = await store.relay.get(second.entityId)
      const refused = await decryptPayload(after, { entityId: second.entityId }, second.app.send('k1 is gone'))
      assert.equal(refused.ok ? 'decrypted' : refused.error.code, errorCodes.relaySealed, 'a ring without k1 cannot open values not yet re-sealed')
      assert.deepEqual(await store.relay.get(second.entityId), untouched)

      assert.deepEqual(await resealAccounts(during), { resealed: 3, current: 0, unopenable: [], tokens: { resealed: 0, current: 0, unopenable: 0 } })
      for (const account of accounts) assert.deepEqual(await keyIdsOf(during, account.entityId), relaySealedFieldNames.map(() => 'k2'))
      // The message refused above is still in the app's chain: the re-sealed state takes it as skipped.
      for (const account of accounts) assert.equal(unwrap(await decryptPayload(after, { entityId: account.entityId }, account.app.send('k2 only'))).plaintext.toString(), 'k2 only')
      assert.equal(unwrap(await findAccount(after, { identifier: '+237650000012' })).entityId, second.entityId)
      assert.deepEqual(await resealAccounts(after), { resealed: 0, current: 3, unopenable: [], tokens: { resealed: 0, current: 0, unopenable: 0 } })
      await store.close()
    })

    test('creating an account twice for one identifier, or with an oversized country code, is refused and stores nothing more', async () => {
      const store = await kind.open()
      const vault = vaultOver(store, newRing())
      await createTestAccount(vault, generateX25519KeyPair().publicKey)
      const again = await createAccount(vault, { identifier: PHONE_NUMBER, countryCode: COUNTRY_CODE, passwordHash: PASSWORD_HASH, clientPublishPublicKey: generateX25519KeyPair().publicKey, clientDeviceIdPublicKey: generateX25519KeyPair().publicKey })
      assert.equal(again.ok ? 'created' : again.error.code, errorCodes.relayInvalidInput)
      const oversized = await createAccount(vault, { identifier: '+237650000099', countryCode: 'C'.repeat(MAX_COUNTRY_CODE_BYTES + 1), passwordHash: PASSWORD_HASH, clientPublishPublicKey: generateX25519KeyPair().publicKey, clientDeviceIdPublicKey: generateX25519KeyPair().publicKey })
      assert.equal(oversized.ok ? 'created' : oversized.error.code, errorCodes.relayInvalidInput)
      assert.equal(await store.relay.count(), 1)
      await store.close()
    })

    test('the store refuses values out of their bounds and leaves the account as it was', async () => {
      const store = await kind.open()
      const vault = vaultOver(store, newRing())
      const { entityId } = await createTestAccount(vault, generateX25519KeyPair().publicKey)
      const account = await store.relay.get(entityId)
      assert.ok(account !== undefined)
      const oversized = [
        { sealed: { ratchetState: Buffer.alloc(relayAccountBounds.ratchetStateSealedBytes + 1) } },
        { sealed: { countryCode: Buffer.alloc(relayAccountBounds.smallSealedBytes + 1) } },
        { sealed: { deviceId: Buffer.alloc(0) } },
        { passwordHash: 'x'.repeat(relayAccountBounds.passwordHashChars + 1) },
        { deviceLookup: 'not a digest' }
      ]
      for (const changes of oversized) await assert.rejects(async () => await store.relay.update(entityId, account.stateVersion, changes), RangeError)
      await assert.rejects(async () => await store.relay.create({ ...account, entityId: 'NOT-AN-ENTITY-ID' }), RangeError)
      assert.deepEqual(await store.relay.get(entityId), account)
      await store.close()
    })

    test('an update without an expected version applies whatever the version and advances it; a compare-and-set that read before loses', async () => {
      const store = await kind.open()
      const vault = vaultOver(store, newRing())
      const { entityId } = await createTestAccount(vault, generateX25519KeyPair().publicKey)
      const read = await store.relay.get(entityId)
      assert.ok(read !== undefined)
      assert.equal(await store.relay.update(entityId, read.stateVersion, { passwordHash: 'first' }), read.stateVersion + 1)
      assert.equal(await store.relay.update(entityId, undefined, { passwordHash: 'second' }), read.stateVersion + 2, 'written over a version it never read')
      assert.equal(await store.relay.update(entityId, read.stateVersion + 1, { passwordHash: 'stale' }), undefined, 'the compare-and-set that read before it loses')
      assert.deepEqual([(await store.relay.get(entityId))?.passwordHash, (await store.relay.get(entityId))?.stateVersion], ['second', read.stateVersion + 2])
      assert.equal(await store.relay.update('0'.repeat(32), undefined, { passwordHash: 'none' }), undefined, 'an account that is not there')
      await store.close()
    })

    test('a completed login replaces keys, device id and state: the old device no longer decrypts, the new one does', async () => {
      const store = await kind.open()
      const vault = vaultOver(store, newRing())
      const oldClient = generateX25519KeyPair()
      const old = await createTestAccount(vault, oldClient.publicKey)
      const oldApp = appFor(old.serverPublishKeyPair, oldClient)
      unwrap(await decryptPayload(vault, { deviceId: old.deviceId }, oldApp.send('before')))

      const newClient = generateX25519KeyPair()
      const login = unwrap(await replaceDevice(vault, { identifier: PHONE_NUMBER, clientPublishPublicKey: newClient.publicKey, clientDeviceIdPublicKey: generateX25519KeyPair().publicKey }))
      assert.equal(login.entityId, old.entityId)
      const byOldDevice = await decryptPayload(vault, { deviceId: old.deviceId }, oldApp.send('after'))
      assert.equal(byOldDevice.ok ? 'decrypted' : byOldDevice.error.code, errorCodes.relayAccountMissing)
      const oldAppByEntity = await decryptPayload(vault, { entityId: old.entityId }, oldApp.send('after, by entity'))
      assert.equal(oldAppByEntity.ok ? 'decrypted' : oldAppByEntity.error.code, errorCodes.ratchetAuth)
      const account = await store.relay.get(old.entityId)
      assert.ok(account !== undefined)
      assert.deepEqual(unwrap(deviceSecretOfAccount(vault, account)), login.handshake.deviceSecret, 'the stored keys give the new device secret back (long-lived token checks)')
      const newApp = appFor(login.handshake.serverPublishKeyPair, newClient)
      const decrypted = unwrap(await decryptPayload(vault, { deviceId: login.handshake.deviceId }, newApp.send('new phone')))
      assert.deepEqual([decrypted.plaintext.toString(), decrypted.countryCode], ['new phone', COUNTRY_CODE])
      // The id-only lookup (a token fetch's) follows the device as findAccount does.
      assert.equal(unwrap(await findEntityIdByDevice(vault, login.handshake.deviceId)), old.entityId)
      const byOldDeviceId = await findEntityIdByDevice(vault, old.deviceId)
      assert.equal(byOldDeviceId.ok ? 'found' : byOldDeviceId.error.code, errorCodes.relayAccountMissing)
      await store.close()
    })
  })
}
