import assert from 'node:assert/strict'
import { test } from 'node:test'
import { derivePkcs12Key, pkcs12KeyPurposes, pkcs12PasswordBytes } from '../../../src/crypto/vault/pkcs12-kdf.ts'

// Expected bytes from `openssl kdf ... PKCS12KDF` (OpenSSL 3.0) with the BMP password as hexpass;
// the first two are also the classic "smeg" vectors of the Bouncy Castle PKCS#12 tests.
test('derivePkcs12Key gives the bytes of OpenSSL\'s PKCS12KDF', () => {
  const salt = Buffer.from('0a58cf64530d823f', 'hex')
  const longSalt = Buffer.from('00112233445566778899', 'hex')
  assert.deepStrictEqual([
    derivePkcs12Key('sha1', pkcs12PasswordBytes('smeg'), salt, 1, pkcs12KeyPurposes.key, 24),
    derivePkcs12Key('sha1', pkcs12PasswordBytes('smeg'), salt, 1, pkcs12KeyPurposes.iv, 8),
    derivePkcs12Key('sha256', pkcs12PasswordBytes('123456'), longSalt, 1000, pkcs12KeyPurposes.mac, 32),
    derivePkcs12Key('sha512', pkcs12PasswordBytes('pässwörd'), longSalt, 7, pkcs12KeyPurposes.key, 100)
  ].map(bytes => bytes.toString('hex')), [
    '8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3',
    '79993dfe048d3b76',
    '3f6cc7a23a8c02c60de9bcb65524aaea355d7bf1fe433162aabe36cf20f107ae',
    '0fc1304bf37cc70a15973ee459f47aa58757c5d186828e27b425f09056b05a3fdc9bf1e629d3fc293e362a703284d7488ad42da9fe6e' +
    '971d5c5a80ac2583c3d67351854f97173d2e86793a8b41f13865c9736e8d6b19959276fb21161cd5efefec910a2c'
  ])
})

test('pkcs12PasswordBytes is big-endian UTF-16 with a zero terminator', () => {
  assert.deepStrictEqual(pkcs12PasswordBytes('a€'), Buffer.from('006120ac0000', 'hex'))
})
