import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { DerReader } from '../der/der-reader.ts'
import { derTags } from '../der/der-tags.ts'
import {
  encodeInteger, encodeNull, encodeOctetString, encodeOid, encodeSequence
} from '../der/der-writer.ts'
import { oids } from '../der/oids.ts'
import { MAX_ITERATIONS } from './pbes2.ts'
import { derivePkcs12Key, pkcs12KeyPurposes, pkcs12PasswordBytes } from './pkcs12-kdf.ts'
import { lookupAlgorithm, unsupported, wrongPassword } from './vault-errors.ts'

/** MAC digests by OID, as node:crypto names; SHA-1 for old files, SHA-256 since keytool 17. */
const macDigests: Readonly<Record<string, string>> = {
  [oids.sha1]: 'sha1',
  [oids.sha224]: 'sha224',
  [oids.sha256]: 'sha256',
  [oids.sha384]: 'sha384',
  [oids.sha512]: 'sha512'
}

/** keytool 17 writes a 20-byte MAC salt whatever the digest; so do we. */
export const MAC_SALT_BYTES = 20

function computeMac (digest: string, authSafe: Buffer, password: string, salt: Buffer, iterations: number): Buffer {
  const keyBytes = createHash(digest).digest().length
  const key = derivePkcs12Key(digest, pkcs12PasswordBytes(password), salt, iterations, pkcs12KeyPurposes.mac, keyBytes)
  return createHmac(digest, key).update(authSafe).digest()
}

/**
 * Checks the password against the MacData (RFC 7292 §4):
 *
 *   MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
 *
 * The MAC covers the AuthenticatedSafe and is keyed by the PKCS#12 KDF (purpose 3), so a wrong
 * password is told apart here, before anything is decrypted. Throws SMSGW_VAULT_PASSWORD.
 */
export function verifyMac (macData: DerReader, authSafe: Buffer, password: string): void {
  const digestInfo = macData.readSequence()
  const algorithm = digestInfo.readSequence()
  const algorithmOid = algorithm.readOid()
  // RFC 9579 PBMAC1 (OpenSSL 3.4+ with -pbmac1_pbkdf2) puts its own parameters here; not keytool's.
  const digest = lookupAlgorithm(macDigests, algorithmOid, 'MAC digest')
  algorithm.skipOptionalNull()
  algorithm.end()
  const expected = digestInfo.readOctetString()
  digestInfo.end()
  const salt = macData.readOctetString()
  const iterations = macData.peekTag() === derTags.integer ? macData.readSmallInteger() : 1
  macData.end()
  if (iterations < 1 || iterations > MAX_ITERATIONS) throw unsupported(`MAC with ${iterations} iterations`)
  const actual = computeMac(digest, authSafe, password, salt, iterations)
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw wrongPassword('the file\'s MAC does not match')
  }
}

/** MacData with HMAC-SHA256, a fresh salt and `iterations`, as keytool 17 writes it. */
export function encodeMac (authSafe: Buffer, password: string, iterations: number): Buffer {
  const salt = randomBytes(MAC_SALT_BYTES)
  return encodeSequence([
    encodeSequence([
      encodeSequence([encodeOid(oids.sha256), encodeNull()]),
      encodeOctetString(computeMac('sha256', authSafe, password, salt, iterations))
    ]),
    encodeOctetString(salt),
    encodeInteger(iterations)
  ])
}
