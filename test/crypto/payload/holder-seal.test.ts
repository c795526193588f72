import assert from 'node:assert/strict'
import { createDecipheriv, createPublicKey, generateKeyPairSync, hkdfSync } from 'node:crypto'
import { test } from 'node:test'
import { openPayload, sealPayloadAsHolder } from '../../../src/crypto/payload/index.ts'
import { HOLDER_INFO, HOLDER_SALT } from '../../../src/crypto/payload/holder-key.ts'
import { sealV2Holder } from '../../../src/crypto/payload/v2-format.ts'
import { keyIdOf, type VaultKey } from '../../../src/crypto/vault/vault-key.ts'
import { x25519PrivateKeyFromRaw } from '../../../src/crypto/x25519-key.ts'

// v2 suite 03, "sealed by the key's holder" (docs/sealed-payload-v2.md): the relay seals its own
// SMS with its client's vault key, private half included, and the gateway opens by key id.

const hex = (text: string): Buffer => Buffer.from(text, 'hex')
const PLAINTEXT = Buffer.from('To: +31629845432\nSender: ACME\n\nhello world')
// The worked example of docs/sealed-payload-v2.md: RFC 9180 A.1's recipient key, seed 00..0f.
const example = {
  privateKey: x25519PrivateKeyFromRaw(hex('4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8')),
  seed: hex('000102030405060708090a0b0c0d0e0f'),
  payload: 'U0dXAgP+Vj4FMlnvPAAQAAECAwQFBgcICQoLDA0OD7osFUVSS8vO/BfiFMrU25wJi62v8ebwMa6Hk/RO9qRMkCQetzr/uAD4FPhSRQGAJEsvS5UNvMw9QXU='
}

function generatedKey (type: 'rsa' | 'x25519', alias = 'client'): VaultKey {
  const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('x25519')
  return { alias, type, privateKey: pair.privateKey, publicKey: pair.publicKey, keyId: keyIdOf(pair.publicKey) }
}

const keys = { rsa: generatedKey('rsa'), x25519: generatedKey('x25519') }

function sealedBytes (key: VaultKey, plaintext = PLAINTEXT): Buffer {
  return Buffer.from(sealPayloadAsHolder(key, plaintext), 'base64')
}

function changed (sealed: Buffer, offset: number, value: number): string {
  const copy = Buffer.from(sealed)
  copy[offset] = value
  return copy.toString('base64')
}

for (const type of ['rsa', 'x25519'] as const) {
  test(`sealPayloadAsHolder with an ${type} key round-trips through openPayload, under a fresh seed each time`, () => {
    const key = keys[type]
    const plaintext = Buffer.from('To: +31629845432\nSender: ACME\n\nGrüße 👋🏽', 'utf8')
    const first = sealPayloadAsHolder(key, plaintext)
    assert.deepEqual(openPayload(first, [key]), plaintext)
    assert.notEqual(sealPayloadAsHolder(key, plaintext), first)
  })

  test(`a suite 03 header (${type}) is SGW, version 2, suite 3, the key id and a 16-byte seed; the text adds only the tag`, () => {
    const key = keys[type]
    const sealed = sealedBytes(key)
    assert.deepEqual({ magic: sealed.subarray(0, 4).toString('latin1'), suite: sealed[4], keyId: sealed.subarray(5, 13), seedBytes: sealed.readUInt16BE(13), length: sealed.length },
      { magic: 'SGW\u0002', suite: 3, keyId: key.keyId, seedBytes: 16, length: 15 + 16 + PLAINTEXT.length + 16 })
  })

  test(`every changed byte of a suite 03 payload (${type}) fails with the code its field earns, never opening`, () => {
    const key = keys[type]
    const sealed = sealedBytes(key)
    const codeOf = (text: string): unknown => {
      try {
        openPayload(text, [key])
      } catch (error) {
        return (error as { code?: unknown }).code
      }
      return 'opened'
    }
    assert.equal(codeOf(changed(sealed, 0, 0x54)), 'SMSGW_BAD_MAGIC', 'magic')
    assert.equal(codeOf(changed(sealed, 3, 0x03)), 'SMSGW_BAD_MAGIC', 'version')
    assert.equal(codeOf(changed(sealed, 4, 0x04)), 'SMSGW_BAD_MAGIC', 'suite 04')
    // Suites 01 and 02 are not for this header: RSA-OAEP refuses the seed, HPKE needs 32 bytes or an X25519 key.
    assert.equal(codeOf(changed(sealed, 4, 0x01)), type === 'rsa' ? 'SMSGW_WRONG_KEY' : 'SMSGW_UNSUPPORTED_KEY', 'suite 01')
    assert.equal(codeOf(changed(sealed, 4, 0x02)), type === 'rsa' ? 'SMSGW_UNSUPPORTED_KEY' : 'SMSGW_TRUNCATED', 'suite 02')
    for (let offset = 5; offset < 13; offset++) assert.equal(codeOf(changed(sealed, offset, (sealed[offset] ?? 0) ^ 0x01)), 'SMSGW_UNKNOWN_KEY', `key id byte ${offset}`)
    assert.equal(codeOf(changed(sealed, 13, 0x01)), 'SMSGW_TRUNCATED', 'seed length, high byte')
    assert.equal(codeOf(changed(sealed, 14, 15)), 'SMSGW_TAMPERED', 'seed length 15')
    assert.equal(codeOf(changed(sealed, 14, 17)), 'SMSGW_TAMPERED', 'seed length 17')
    for (let offset = 15; offset < sealed.length; offset++) {
      assert.equal(codeOf(changed(sealed, offset, (sealed[offset] ?? 0) ^ 0x80)), 'SMSGW_TAMPERED', `seed, text or tag byte ${offset}`)
    }
  })

  test(`a suite 03 payload (${type}) made with another private key under this key's id fails with SMSGW_TAMPERED`, () => {
    const key = keys[type]
    const forged = sealV2Holder(generatedKey(type).privateKey, key.keyId, PLAINTEXT)
    assert.throws(() => openPayload(forged.toString('base64'), [key]), { code: 'SMSGW_TAMPERED' })
  })
}

test('a suite 03 payload opens with the retired key it names among the client\'s rotated keys, and not for a client without it', () => {
  const current = generatedKey('x25519', 'client')
  const retired = generatedKey('rsa', 'client~0011223344556677')
  const sealedWithRetired = sealPayloadAsHolder(retired, Buffer.from('old'))
  assert.equal(openPayload(sealedWithRetired, [current, retired]).toString(), 'old')
  assert.throws(() => openPayload(sealedWithRetired, [current]), { code: 'SMSGW_UNKNOWN_KEY', message: `payload was sealed to key ${retired.keyId.toString('hex')}, which this client has not` })
})

test('a suite 03 payload of one client does not open for another client', () => {
  assert.throws(() => openPayload(sealPayloadAsHolder(keys.x25519, PLAINTEXT), [keys.rsa]), { code: 'SMSGW_UNKNOWN_KEY' })
})

test('sealV2Holder makes the worked example of docs/sealed-payload-v2.md, and openPayload opens it', () => {
  const publicKey = createPublicKey(example.privateKey)
  const key: VaultKey = { alias: 'example', type: 'x25519', privateKey: example.privateKey, publicKey, keyId: keyIdOf(publicKey) }
  assert.equal(sealV2Holder(key.privateKey, key.keyId, PLAINTEXT, example.seed).toString('base64'), example.payload)
  assert.deepEqual(openPayload(example.payload, [key]), PLAINTEXT)
})

test('a suite 03 payload opens by the documented formula alone: HKDF-SHA256 over the PKCS#8 DER, AES-256-GCM under a zero nonce', () => {
  const key = keys.rsa
  const sealed = sealedBytes(key)
  const seed = sealed.subarray(15, 31)
  const aesKey = Buffer.from(hkdfSync('sha256', key.privateKey.export({ type: 'pkcs8', format: 'der' }), HOLDER_SALT, Buffer.concat([HOLDER_INFO, seed]), 32))
  const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.alloc(12)).setAAD(sealed.subarray(0, 31))
  decipher.setAuthTag(sealed.subarray(-16))
  assert.deepEqual(Buffer.concat([decipher.update(sealed.subarray(31, -16)), decipher.final()]), PLAINTEXT)
})
