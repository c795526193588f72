import { createCipheriv, createDecipheriv, pbkdf2, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import type { DerReader } from '../der/der-reader.ts'
import {
  encodeInteger, encodeNull, encodeOctetString, encodeOid, encodeSequence
} from '../der/der-writer.ts'
import { derTags } from '../der/der-tags.ts'
import { describeOid, oids } from '../der/oids.ts'
import { lookupAlgorithm, unsupported, wrongPassword } from './vault-errors.ts'

const pbkdf2Async = promisify(pbkdf2)

// A hostile or corrupt file could ask for 2^31 rounds and stall a reload for hours; real files
// use 10 000 (keytool 17) to a few hundred thousand (OpenSSL 3.4+ asks for 2048 .. 600 000).
export const MAX_ITERATIONS = 10_000_000

interface CipherSpec { readonly name: string, readonly keyBytes: number, readonly ivBytes: number }

/** PBES2 encryption schemes (RFC 8018 §B.2) by OID, as node:crypto cipher names. */
const ciphers: Readonly<Record<string, CipherSpec>> = {
  [oids.aes128Cbc]: { name: 'aes-128-cbc', keyBytes: 16, ivBytes: 16 },
  [oids.aes192Cbc]: { name: 'aes-192-cbc', keyBytes: 24, ivBytes: 16 },
  [oids.aes256Cbc]: { name: 'aes-256-cbc', keyBytes: 32, ivBytes: 16 },
  [oids.desEde3Cbc]: { name: 'des-ede3-cbc', keyBytes: 24, ivBytes: 8 }
}

/** PBKDF2 pseudo-random functions (RFC 8018 §B.1) by OID, as node:crypto digest names. */
const prfs: Readonly<Record<string, string>> = {
  [oids.hmacWithSha1]: 'sha1',
  [oids.hmacWithSha224]: 'sha224',
  [oids.hmacWithSha256]: 'sha256',
  [oids.hmacWithSha384]: 'sha384',
  [oids.hmacWithSha512]: 'sha512'
}

/** What we write, as keytool 17 does: PBKDF2-HMAC-SHA256, AES-256-CBC, a 20-byte salt. */
export const PBES2_SALT_BYTES = 20
export const DEFAULT_PBES2_ITERATIONS = 10_000

/**
 * Decrypts with PBES2 (RFC 8018 §6.2) given a reader over the parameters, i.e. what follows the
 * pbes2 OID in the AlgorithmIdentifier. PBKDF2 runs on the libuv pool, so reloading a large
 * vault does not block the event loop. Rejects with SMSGW_VAULT_PASSWORD when the padding is
 * wrong (the usual sign of another password) and SMSGW_VAULT_UNSUPPORTED for unknown schemes.
 */
export async function decryptPbes2 (parameters: DerReader, ciphertext: Buffer, password: string): Promise<Buffer> {
  const outer = parameters.readSequence()
  parameters.end()
  const kdf = outer.readSequence()
  const kdfOid = kdf.readOid()
  if (kdfOid !== oids.pbkdf2) throw unsupported(`PBES2 key derivation ${describeOid(kdfOid)}`)
  const kdfParameters = kdf.readSequence()
  kdf.end()
  const salt = kdfParameters.readOctetString()
  const iterations = kdfParameters.readSmallInteger()
  const keyLength = kdfParameters.peekTag() === derTags.integer ? kdfParameters.readSmallInteger() : undefined
  // RFC 8018 §A.2: prf DEFAULT algid-hmacWithSHA1
  let prfOid: string = oids.hmacWithSha1
  if (!kdfParameters.done) {
    const prfAlgorithm = kdfParameters.readSequence()
    prfOid = prfAlgorithm.readOid()
    prfAlgorithm.skipOptionalNull()
    prfAlgorithm.end()
  }
  kdfParameters.end()
  const prf = lookupAlgorithm(prfs, prfOid, 'PBKDF2 function')
  const scheme = outer.readSequence()
  outer.end()
  const cipher = lookupAlgorithm(ciphers, scheme.readOid(), 'PBES2 cipher')
  const iv = scheme.readOctetString()
  scheme.end()
  if (iv.length !== cipher.ivBytes) throw unsupported(`${cipher.name} with a ${iv.length}-byte IV`)
  if (keyLength !== undefined && keyLength !== cipher.keyBytes) {
    throw unsupported(`${cipher.name} with a ${keyLength}-byte key`)
  }
  if (iterations < 1 || iterations > MAX_ITERATIONS) throw unsupported(`PBKDF2 with ${iterations} iterations`)
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyBytes, prf)
  try {
    const decipher = createDecipheriv(cipher.name, key, iv)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch (error) {
    throw wrongPassword('an entry does not decrypt', error)
  }
}

/** Encrypts as keytool 17 does; resolves to the AlgorithmIdentifier DER and the ciphertext. */
export async function encryptPbes2 (
  plaintext: Buffer, password: string, iterations = DEFAULT_PBES2_ITERATIONS
): Promise<{ algorithm: Buffer, ciphertext: Buffer }> {
  const cipher = ciphers[oids.aes256Cbc]!
  const salt = randomBytes(PBES2_SALT_BYTES)
  const iv = randomBytes(cipher.ivBytes)
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyBytes, 'sha256')
  const encipher = createCipheriv(cipher.name, key, iv)
  const ciphertext = Buffer.concat([encipher.update(plaintext), encipher.final()])
  const algorithm = encodeSequence([
    encodeOid(oids.pbes2),
    encodeSequence([
      encodeSequence([
        encodeOid(oids.pbkdf2),
        encodeSequence([
          encodeOctetString(salt),
          encodeInteger(iterations),
          encodeInteger(cipher.keyBytes),
          encodeSequence([encodeOid(oids.hmacWithSha256), encodeNull()])
        ])
      ]),
      encodeSequence([encodeOid(oids.aes256Cbc), encodeOctetString(iv)])
    ])
  ])
  return { algorithm, ciphertext }
}
