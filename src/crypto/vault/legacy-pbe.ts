import { createDecipheriv } from 'node:crypto'
import type { DerReader } from '../der/der-reader.ts'
import { oids } from '../der/oids.ts'
import { MAX_ITERATIONS } from './pbes2.ts'
import { derivePkcs12Key, pkcs12KeyPurposes, pkcs12PasswordBytes } from './pkcs12-kdf.ts'
import { lookupAlgorithm, unsupported, wrongPassword } from './vault-errors.ts'

interface LegacyCipher { readonly name: string, readonly keyBytes: number, readonly ivBytes: number }

/**
 * The PKCS#12 v1 ciphers (RFC 7292 appendix C) that keytool wrote before JDK 8u301/11.0.12 and
 * still writes with -J-Dkeystore.pkcs12.legacy: 3DES for keys, 40-bit RC2 for certificates.
 * The RC4 ones are not listed: nothing we know writes them into key stores.
 */
const legacyCiphers: Readonly<Record<string, LegacyCipher>> = {
  [oids.pbeWithShaAnd3KeyTripleDesCbc]: { name: 'des-ede3-cbc', keyBytes: 24, ivBytes: 8 },
  [oids.pbeWithShaAnd2KeyTripleDesCbc]: { name: 'des-ede-cbc', keyBytes: 16, ivBytes: 8 },
  [oids.pbeWithShaAnd128BitRc2Cbc]: { name: 'rc2-cbc', keyBytes: 16, ivBytes: 8 },
  [oids.pbeWithShaAnd40BitRc2Cbc]: { name: 'rc2-40-cbc', keyBytes: 5, ivBytes: 8 }
}

export function isLegacyPbe (oid: string): boolean {
  return Object.hasOwn(legacyCiphers, oid)
}

/**
 * Decrypts with a PKCS#12 v1 cipher given a reader over its pkcs-12PbeParams (salt, iterations).
 * Key and IV come from the PKCS#12 KDF over SHA-1. RC2 lives in OpenSSL 3's legacy provider,
 * which Node does not load by default: then this rejects with SMSGW_VAULT_UNSUPPORTED and says
 * how to get past it.
 */
export function decryptLegacyPbe (oid: string, parameters: DerReader, ciphertext: Buffer, password: string): Buffer {
  const cipher = lookupAlgorithm(legacyCiphers, oid, 'PKCS#12 cipher')
  const pbeParameters = parameters.readSequence()
  parameters.end()
  const salt = pbeParameters.readOctetString()
  const iterations = pbeParameters.readSmallInteger()
  pbeParameters.end()
  if (iterations < 1 || iterations > MAX_ITERATIONS) throw unsupported(`PKCS#12 PBE with ${iterations} iterations`)
  const passwordBytes = pkcs12PasswordBytes(password)
  const key = derivePkcs12Key('sha1', passwordBytes, salt, iterations, pkcs12KeyPurposes.key, cipher.keyBytes)
  const iv = derivePkcs12Key('sha1', passwordBytes, salt, iterations, pkcs12KeyPurposes.iv, cipher.ivBytes)
  let decipher
  try {
    decipher = createDecipheriv(cipher.name, key, iv)
  } catch (error) {
    throw unsupported(`${cipher.name} is not available in this Node's OpenSSL; start node with ` +
      '--openssl-legacy-provider, or convert the file with keytool -importkeystore to the modern format', error)
  }
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch (error) {
    throw wrongPassword('an entry does not decrypt', error)
  }
}
