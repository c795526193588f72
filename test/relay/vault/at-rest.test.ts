import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { encodeRatchetState, generateX25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { openRatchetState } from '../../../src/relay/vault/account-record.ts'
import { decryptPayload, encryptPayload, replaceDevice } from '../../../src/relay/vault/index.ts'
import { rowBytes, sqliteBytes } from '../../store/at-rest.ts'
import { storeKinds, withAdmin } from '../../store/store-kinds.ts'
import { hex, keyPairOf, readVectors, unwrap } from '../relaysms-vectors.ts'
import { createTestAccount, newRing, PHONE_NUMBER, vaultOver } from './stored-vault.ts'

// relay.md §7 / issue 11 "Sealed at rest": after a whole session (account creation, every message,
// a reply, a new login) every relay table is read raw, SQLite file bytes and PostgreSQL rows, and
// holds no identifier, key, ratchet state or plaintext in clear, in raw, hex or base64 form.

const kinds = await storeKinds('relay-at-rest')
const session = readVectors('ratchet-session.json')
const messages = new Map<string, any>(session.messages.map((message: any) => [message.id, message]))
const serverPublish = keyPairOf(session.initial.server_publish_keypair)
const clientPublish = keyPairOf(session.initial.client_publish_keypair)

/** Everything secret the session handled. Values under 8 bytes could match sealed bytes by chance. */
function secretsOfSession (): Buffer[] {
  const values: Buffer[] = [Buffer.from(PHONE_NUMBER), hex(session.initial.SK), serverPublish.privateKey, clientPublish.publicKey]
  for (const delivery of session.deliveries) {
    for (const pair of delivery.server_generated_ratchet_keys ?? []) values.push(hex(pair.private))
    const state = delivery.server_state_after
    for (const key of [state.RK, state.CKs, state.CKr, state.DHr]) if (key !== null) values.push(hex(key))
    for (const skipped of state.MKSKIPPED) values.push(hex(skipped.mk))
    if (delivery.expected_plaintext_hex !== undefined) values.push(hex(delivery.expected_plaintext_hex))
  }
  values.push(hex(messages.get('s0').plaintext_hex))
  return values
}

function inClear (haystack: Buffer, secrets: readonly Buffer[]): string[] {
  return secrets.filter(secret => secret.length >= 8).flatMap(secret => [secret, Buffer.from(secret.toString('hex')), Buffer.from(secret.toString('base64'))])
    .filter(form => haystack.includes(form)).map(form => form.toString('hex').slice(0, 16))
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('after a session, every relay table holds no identifier, key, state or plaintext in clear', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      const vault = vaultOver(store, newRing())
      const deviceIdPair = generateX25519KeyPair()
      vault.queued.push(serverPublish, deviceIdPair)
      const account = await createTestAccount(vault, clientPublish.publicKey)
      const secrets = [...secretsOfSession(), deviceIdPair.privateKey, account.deviceId, account.clientDeviceIdPublicKey]
      for (const delivery of session.deliveries) {
        const message = messages.get(delivery.message)
        vault.queued.push(...(delivery.server_generated_ratchet_keys ?? []).map(keyPairOf))
        if (delivery.action === 'server_decrypt') unwrap(await decryptPayload(vault, { deviceId: account.deviceId }, hex(message.framed_hex)))
        else unwrap(await encryptPayload(vault, { entityId: account.entityId }, hex(message.plaintext_hex)))
      }
      const stored = await store.relay.get(account.entityId)
      assert.ok(stored !== undefined)
      secrets.push(encodeRatchetState(unwrap(openRatchetState(vault, stored))))
      // A second account, and a new login of the first: their keys and device ids too.
      const other = await createTestAccount(vault, generateX25519KeyPair().publicKey, 'someone@example.org')
      secrets.push(Buffer.from('someone@example.org'), other.deviceId, other.serverPublishKeyPair.privateKey, other.serverDeviceIdKeyPair.privateKey)
      const login = unwrap(await replaceDevice(vault, { identifier: PHONE_NUMBER, clientPublishPublicKey: generateX25519KeyPair().publicKey, clientDeviceIdPublicKey: generateX25519KeyPair().publicKey }))
      secrets.push(login.handshake.deviceId, login.handshake.serverPublishKeyPair.privateKey, login.handshake.serverDeviceIdKeyPair.privateKey, login.handshake.publishSecret, login.handshake.deviceSecret)
      await store.close()

      let raw: Buffer
      if (kind.name === 'sqlite') {
        raw = await sqliteBytes(location)
        assert.ok(raw.includes(Buffer.from('relay_entities')), 'the file holds the relay table')
      } else {
        const rows = await withAdmin(async admin => (await admin.query('SELECT * FROM smsgw_relay_entities')).rows, location)
        assert.equal(rows.length, 2)
        raw = rowBytes(rows)
      }
      assert.deepEqual(inClear(raw, secrets), [])
      // The check finds what it looks for: the identifier hash is stored, and found.
      assert.ok(raw.includes(Buffer.from(stored.identifierHash)))
    })
  })
}
