import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { openGcm, sealGcm } from '../../../src/crypto/payload/aes-gcm.ts'
import { hpkeAeads, setupBaseReceiver, setupBaseSender } from '../../../src/crypto/payload/hpke.ts'
import { x25519PrivateKeyFromRaw, x25519PublicKeyFromRaw } from '../../../src/crypto/x25519-key.ts'

// RFC 9180 appendix A.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode.
const hex = (text: string): Buffer => Buffer.from(text, 'hex')
const vector = {
  info: hex('4f6465206f6e2061204772656369616e2055726e'),
  skEm: hex('52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736'),
  pkEm: hex('37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431'),
  skRm: hex('4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8'),
  pkRm: hex('3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d'),
  key: hex('4531685d41d65f03dc48f6b8302c05b0'),
  baseNonce: hex('56d890e5accaaf011cff4b7d'),
  plaintext: hex('4265617574792069732074727574682c20747275746820626561757479'),
  aad: hex('436f756e742d30'),
  ciphertext: hex('f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a')
}

test('setupBaseSender derives the RFC 9180 A.1 key, nonce and ciphertext', () => {
  const { enc, context } = setupBaseSender(x25519PublicKeyFromRaw(vector.pkRm), vector.info, hpkeAeads.aes128gcm, x25519PrivateKeyFromRaw(vector.skEm))
  assert.deepEqual({ enc, key: context.key, nonce: context.nonce }, { enc: vector.pkEm, key: vector.key, nonce: vector.baseNonce })
  assert.deepEqual(sealGcm(context.cipher, context.key, context.nonce, vector.aad, vector.plaintext), vector.ciphertext)
})

test('setupBaseReceiver opens the RFC 9180 A.1 ciphertext', () => {
  const context = setupBaseReceiver(vector.pkEm, x25519PrivateKeyFromRaw(vector.skRm), x25519PublicKeyFromRaw(vector.pkRm), vector.info, hpkeAeads.aes128gcm)
  assert.deepEqual(openGcm(context.cipher, context.key, context.nonce, vector.aad, vector.ciphertext), vector.plaintext)
})

test('hpke round-trips with AES-256-GCM and fails with SMSGW_TAMPERED on another key', () => {
  const recipient = generateKeyPairSync('x25519')
  const stranger = generateKeyPairSync('x25519')
  const aad = Buffer.from('header')
  const { enc, context } = setupBaseSender(recipient.publicKey, vector.info, hpkeAeads.aes256gcm)
  const sealed = sealGcm(context.cipher, context.key, context.nonce, aad, Buffer.from('hello'))
  const opened = setupBaseReceiver(enc, recipient.privateKey, recipient.publicKey, vector.info, hpkeAeads.aes256gcm)
  assert.equal(openGcm(opened.cipher, opened.key, opened.nonce, aad, sealed).toString(), 'hello')
  const wrong = setupBaseReceiver(enc, stranger.privateKey, stranger.publicKey, vector.info, hpkeAeads.aes256gcm)
  assert.throws(() => openGcm(wrong.cipher, wrong.key, wrong.nonce, aad, sealed), { code: 'SMSGW_TAMPERED' })
})

test('setupBaseReceiver rejects a low-order encapsulated key with SMSGW_TAMPERED', () => {
  const recipient = generateKeyPairSync('x25519')
  assert.throws(() => setupBaseReceiver(Buffer.alloc(32), recipient.privateKey, recipient.publicKey, vector.info, hpkeAeads.aes256gcm), { code: 'SMSGW_TAMPERED' })
})
