import assert from 'node:assert/strict'
import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  encodeBmpString, encodeExplicit, encodeImplicit, encodeInteger, encodeOctetString, encodeOid, encodeSequence, encodeSet
} from '../../../src/crypto/der/der-writer.ts'
import { DerReader } from '../../../src/crypto/der/der-reader.ts'
import { oids } from '../../../src/crypto/der/oids.ts'
import { createSelfSignedCertificate } from '../../../src/crypto/vault/certificate.ts'
import { encodeMac } from '../../../src/crypto/vault/pkcs12-mac.ts'
import { decodePkcs12, encodePkcs12 } from '../../../src/crypto/vault/pkcs12.ts'
import type { Pkcs12Contents } from '../../../src/crypto/vault/pkcs12.ts'
import { encodeCertBagValue } from '../../../src/crypto/vault/safe-bag.ts'
import { isSmsgwError } from '../../../src/errors.ts'
import { VECTOR_VAULT_PASSWORD, vectorPath } from './vault-fixtures.ts'

const builtinBytes = await readFile(vectorPath('builtin.vault'))

function describeEntries (contents: Pkcs12Contents): unknown {
  return {
    keys: contents.keys.map(entry => ({
      alias: entry.alias,
      localKeyId: entry.localKeyId.toString('latin1'),
      subject: entry.certificate === undefined ? undefined : new X509Certificate(entry.certificate).subject
    })),
    otherBags: contents.otherBags.length
  }
}

/** A PFX around `authSafe`, MACed with `password` so that only the content can be at fault. */
function pfxAround (authSafe: Buffer, password: string): Buffer {
  return encodeSequence([
    encodeInteger(3),
    encodeSequence([encodeOid(oids.data), encodeExplicit(0, encodeOctetString(authSafe))]),
    encodeMac(authSafe, password, 1)
  ])
}

test('decodePkcs12 reads the keys, aliases and certificates of a keytool 17 file', async () => {
  assert.deepStrictEqual(describeEntries(await decodePkcs12(builtinBytes, VECTOR_VAULT_PASSWORD)), {
    keys: [{ alias: 'test', localKeyId: 'Time 1709032379997', subject: 'CN=test' }],
    otherBags: 0
  })
  assert.deepStrictEqual(describeEntries(await decodePkcs12(await readFile(vectorPath('test-with-fail.vault')), VECTOR_VAULT_PASSWORD)), {
    keys: [
      { alias: 'test', localKeyId: 'Time 1709032379997', subject: 'CN=test' },
      { alias: 'fail', localKeyId: 'Time 1709032442154', subject: 'CN=fail' }
    ],
    otherBags: 0
  })
})

test('decodePkcs12 rejects with SMSGW_VAULT_PASSWORD when the password is wrong', async () => {
  await assert.rejects(decodePkcs12(builtinBytes, '654321'), { code: 'SMSGW_VAULT_PASSWORD' })
})

test('decodePkcs12 checks the MAC before decrypting anything', async () => {
  // An encrypted SafeContents under a made-up cipher: the right password reaches it, a wrong one must not.
  const authSafe = encodeSequence([encodeSequence([
    encodeOid(oids.encryptedData),
    encodeExplicit(0, encodeSequence([
      encodeInteger(0),
      encodeSequence([encodeOid(oids.data), encodeSequence([encodeOid('1.2.3.4')]), encodeImplicit(0, Buffer.alloc(16))])
    ]))
  ])])
  const pfx = pfxAround(authSafe, 'right')
  await assert.rejects(decodePkcs12(pfx, 'right'), { code: 'SMSGW_VAULT_UNSUPPORTED', message: /1\.2\.3\.4/ })
  await assert.rejects(decodePkcs12(pfx, 'wrong'), { code: 'SMSGW_VAULT_PASSWORD' })
})

test('decodePkcs12 rejects with SMSGW_BAD_ASN1 when the file is truncated or not DER', async () => {
  await assert.rejects(decodePkcs12(builtinBytes.subarray(0, builtinBytes.length / 2), VECTOR_VAULT_PASSWORD), { code: 'SMSGW_BAD_ASN1' })
  await assert.rejects(decodePkcs12(Buffer.from('-----BEGIN CERTIFICATE-----\n'), VECTOR_VAULT_PASSWORD), { code: 'SMSGW_BAD_ASN1' })
  await assert.rejects(decodePkcs12(Buffer.alloc(0), VECTOR_VAULT_PASSWORD), { code: 'SMSGW_BAD_ASN1' })
})

test('encodePkcs12 output decodes to the same entries, unknown bags kept byte for byte', async () => {
  const keys = generateKeyPairSync('x25519')
  // A trusted-certificate bag as keytool -importcert writes it: a friendlyName and no localKeyId.
  const trustedBag = encodeSequence([
    encodeOid(oids.certBag),
    encodeExplicit(0, encodeCertBagValue(createSelfSignedCertificate('ca', keys.privateKey))),
    encodeSet([encodeSequence([encodeOid(oids.friendlyName), encodeSet([encodeBmpString('my ca')])])])
  ])
  const original = await decodePkcs12(builtinBytes, VECTOR_VAULT_PASSWORD)
  const contents: Pkcs12Contents = {
    keys: [...original.keys, {
      alias: 'x',
      localKeyId: Buffer.from('Time 1'),
      privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'der' }),
      certificate: undefined
    }],
    otherBags: [trustedBag]
  }
  assert.deepStrictEqual(await decodePkcs12(await encodePkcs12(contents, 'pässwörd', { iterations: 3 }), 'pässwörd'), contents)
})

test('decodePkcs12 rejects only with SmsgwError when bytes of a file are changed', async () => {
  const contents = await decodePkcs12(builtinBytes, VECTOR_VAULT_PASSWORD)
  const cheap = await encodePkcs12(contents, 'pw', { iterations: 1 })
  await fc.assert(fc.asyncProperty(
    fc.nat({ max: cheap.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(),
    async (position, xor, truncate) => {
      const changed = Buffer.from(cheap)
      changed[position]! ^= xor
      try {
        await decodePkcs12(truncate ? changed.subarray(0, position) : changed, 'pw')
        assert.fail('a changed file decoded')
      } catch (error) {
        if (!isSmsgwError(error)) throw error
      }
    }), { numRuns: 2000 })
})

test('decodePkcs12 rejects only with SmsgwError when the MACed content is garbled', async () => {
  // Re-MACing the changed content gets past the MAC, so this reaches the bag and cipher parsers.
  const contents = await decodePkcs12(builtinBytes, VECTOR_VAULT_PASSWORD)
  const pfx = new DerReader(await encodePkcs12(contents, 'pw', { iterations: 1 })).readSequence()
  pfx.readInteger()
  const authSafeInfo = pfx.readSequence()
  authSafeInfo.readOid()
  const authSafe = authSafeInfo.readExplicit(0).readOctetString()
  await fc.assert(fc.asyncProperty(
    fc.nat({ max: authSafe.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(),
    async (position, xor, truncate) => {
      const changed = Buffer.from(authSafe)
      changed[position]! ^= xor
      try {
        await decodePkcs12(pfxAround(truncate ? changed.subarray(0, position) : changed, 'pw'), 'pw')
      } catch (error) {
        if (!isSmsgwError(error)) throw error
      }
    }), { numRuns: 1000 })
})
