import { DerReader } from '../der/der-reader.ts'
import { derTags } from '../der/der-tags.ts'
import {
  encodeExplicit, encodeImplicit, encodeInteger, encodeOctetString, encodeOid, encodeSequence
} from '../der/der-writer.ts'
import { describeOid, oids } from '../der/oids.ts'
import { encryptPbes2 } from './pbes2.ts'
import { decryptWithPassword } from './password-encryption.ts'
import { decodeSafeContents } from './safe-bag.ts'
import type { SafeBag } from './safe-bag.ts'
import { unsupported } from './vault-errors.ts'

/**
 * The AuthenticatedSafe (RFC 7292 §4.1): the MACed octets of a PFX, a SEQUENCE OF ContentInfo
 * each holding one SafeContents, either plain (`data`) or encrypted under the password
 * (`encryptedData`, PKCS#7 §10):
 *
 *   EncryptedData ::= SEQUENCE { version INTEGER (0), encryptedContentInfo SEQUENCE {
 *     contentType ContentType, contentEncryptionAlgorithm AlgorithmIdentifier,
 *     encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL } }
 *
 * Resolves to every bag of every SafeContents, in file order.
 */
export async function decodeAuthenticatedSafe (der: Buffer, offset: number, password: string): Promise<SafeBag[]> {
  const outer = new DerReader(der, offset)
  const contentInfos = outer.readSequence()
  outer.end()
  // Plain bags, or a reader over an EncryptedData. The whole structure is parsed before anything
  // is decrypted, so a parse error cannot leave a decryption promise rejected and unawaited.
  const parts: Array<SafeBag[] | DerReader> = []
  while (!contentInfos.done) {
    const contentInfo = contentInfos.readSequence()
    const contentType = contentInfo.readOid()
    const content = contentInfo.readExplicit(0)
    if (contentType === oids.data) {
      const element = content.readElement(derTags.octetString)
      parts.push(decodeSafeContents(element.content, element.contentOffset))
    } else if (contentType === oids.encryptedData) {
      parts.push(content.readSequence())
    } else {
      // envelopedData (public-key privacy mode) is allowed by RFC 7292 but written by no key tool we meet.
      throw unsupported(`AuthenticatedSafe content ${describeOid(contentType)}`)
    }
    content.end()
    contentInfo.end()
  }
  const decrypted = await Promise.all(parts.map(async part =>
    part instanceof DerReader ? await decryptSafeContents(part, password) : part))
  return decrypted.flat()
}

async function decryptSafeContents (encryptedData: DerReader, password: string): Promise<SafeBag[]> {
  encryptedData.readSmallInteger()
  // CMS allows [1] unprotectedAttrs after this; PKCS#12 writers leave it out and we ignore it.
  const info = encryptedData.readSequence()
  info.readOid()
  const algorithm = info.readElement(derTags.sequence)
  const ciphertext = info.readImplicit(0)
  info.end()
  const plaintext = await decryptWithPassword(algorithm, ciphertext, password)
  // Offsets inside decrypted bytes count from the start of the plaintext.
  return decodeSafeContents(plaintext, 0)
}

/**
 * Builds the AuthenticatedSafe as keytool 17 lays it out: the shrouded key bags in a plain
 * `data` SafeContents (each key is encrypted on its own), then the certificate bags in one
 * SafeContents encrypted with PBES2. A part with no bags is left out.
 */
export async function encodeAuthenticatedSafe (
  plainBags: readonly Buffer[], encryptedBags: readonly Buffer[], password: string, iterations: number
): Promise<Buffer> {
  const contentInfos: Buffer[] = []
  if (plainBags.length > 0) {
    contentInfos.push(encodeSequence([
      encodeOid(oids.data),
      encodeExplicit(0, encodeOctetString(encodeSequence(plainBags)))
    ]))
  }
  if (encryptedBags.length > 0) {
    const { algorithm, ciphertext } = await encryptPbes2(encodeSequence(encryptedBags), password, iterations)
    contentInfos.push(encodeSequence([
      encodeOid(oids.encryptedData),
      encodeExplicit(0, encodeSequence([
        encodeInteger(0),
        encodeSequence([encodeOid(oids.data), algorithm, encodeImplicit(0, ciphertext)])
      ]))
    ]))
  }
  return encodeSequence(contentInfos)
}
