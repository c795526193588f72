import { DerReader } from '../der/der-reader.ts'
import type { DerElement } from '../der/der-reader.ts'
import { describeOid, oids } from '../der/oids.ts'
import { decryptLegacyPbe, isLegacyPbe } from './legacy-pbe.ts'
import { decryptPbes2 } from './pbes2.ts'
import { unsupported } from './vault-errors.ts'

/**
 * Decrypts what a PKCS#12 file encrypts under the password (shrouded key bags, encrypted
 * SafeContents), whichever scheme its AlgorithmIdentifier names.
 */
export async function decryptWithPassword (algorithm: DerElement, ciphertext: Buffer, password: string): Promise<Buffer> {
  const identifier = DerReader.within(algorithm)
  const oid = identifier.readOid()
  if (oid === oids.pbes2) return await decryptPbes2(identifier, ciphertext, password)
  if (isLegacyPbe(oid)) return decryptLegacyPbe(oid, identifier, ciphertext, password)
  throw unsupported(`encryption ${describeOid(oid)}`)
}
