import { DerReader } from '../der/der-reader.ts'
import { derTags } from '../der/der-tags.ts'
import {
  encodeExplicit, encodeInteger, encodeOctetString, encodeOid, encodeSequence
} from '../der/der-writer.ts'
import { describeOid, oids } from '../der/oids.ts'
import { decodeAuthenticatedSafe, encodeAuthenticatedSafe } from './authenticated-safe.ts'
import { DEFAULT_PBES2_ITERATIONS, encryptPbes2 } from './pbes2.ts'
import { decryptWithPassword } from './password-encryption.ts'
import { encodeMac, verifyMac } from './pkcs12-mac.ts'
import { decodeCertBagValue, encodeCertBagValue, encodeSafeBag } from './safe-bag.ts'
import type { SafeBag } from './safe-bag.ts'
import { unsupported, wrongPassword } from './vault-errors.ts'

/** One private key and its own certificate: what keytool lists as a PrivateKeyEntry. */
export interface Pkcs12KeyEntry {
  /** friendlyName as stored (keytool stores it lower-case). */
  readonly alias: string
  /** Ties the key bag to its certificate bag; keytool puts "Time <ms since epoch>" here. */
  readonly localKeyId: Buffer
  /** PKCS#8 PrivateKeyInfo DER. */
  readonly privateKey: Buffer
  /** The certificate bag with the same localKeyId, X.509 DER; undefined when the file has none. */
  readonly certificate: Buffer | undefined
}

/** What a PKCS#12 file holds, decrypted. */
export interface Pkcs12Contents {
  readonly keys: readonly Pkcs12KeyEntry[]
  /**
   * Bags that belong to no key entry: trusted certificates, CA certificates of chains, secret
   * keys. Kept as DER and written back unchanged, so rewriting a vault loses nothing.
   */
  readonly otherBags: readonly Buffer[]
}

const PFX_VERSION = 3

/**
 * Reads a PKCS#12 file (RFC 7292 §4) in password integrity and privacy mode:
 *
 *   PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
 *
 * The MAC is checked first, so a wrong password rejects with SMSGW_VAULT_PASSWORD before any
 * decryption. Malformed DER rejects with SMSGW_BAD_ASN1; schemes we cannot run reject with
 * SMSGW_VAULT_UNSUPPORTED.
 */
export async function decodePkcs12 (der: Buffer, password: string): Promise<Pkcs12Contents> {
  const outer = new DerReader(der)
  const pfx = outer.readSequence()
  outer.end()
  const version = pfx.readSmallInteger()
  if (version !== PFX_VERSION) throw unsupported(`PFX version ${version}`)
  const authSafeInfo = pfx.readSequence()
  const contentType = authSafeInfo.readOid()
  // signedData would be public-key integrity mode, which key stores do not use.
  if (contentType !== oids.data) throw unsupported(`PFX content ${describeOid(contentType)}`)
  const authSafeContent = authSafeInfo.readExplicit(0)
  const authSafe = authSafeContent.readElement(derTags.octetString)
  authSafeContent.end()
  authSafeInfo.end()
  if (!pfx.done) verifyMac(pfx.readSequence(), authSafe.content, password)
  pfx.end()
  const bags = await decodeAuthenticatedSafe(authSafe.content, authSafe.contentOffset, password)
  return await pairEntries(bags, password)
}

async function pairEntries (bags: readonly SafeBag[], password: string): Promise<Pkcs12Contents> {
  const keyBags: SafeBag[] = []
  const certificates = new Map<string, { bag: SafeBag, certificate: Buffer }>()
  const otherBags: Buffer[] = []
  for (const bag of bags) {
    if (bag.bagId === oids.pkcs8ShroudedKeyBag || bag.bagId === oids.keyBag) {
      keyBags.push(bag)
      continue
    }
    const certificate = bag.bagId === oids.certBag ? decodeCertBagValue(bag.value) : undefined
    if (certificate !== undefined && bag.localKeyId !== undefined) {
      certificates.set(bag.localKeyId.toString('hex'), { bag, certificate })
    } else {
      otherBags.push(bag.raw)
    }
  }
  const keys = await Promise.all(keyBags.map(async (bag, index) => {
    const privateKey = await decodeKeyBag(bag, password)
    const localKeyId = bag.localKeyId ?? Buffer.from(`Key ${index}`, 'latin1')
    const paired = certificates.get(localKeyId.toString('hex'))
    certificates.delete(localKeyId.toString('hex'))
    // keytool names both bags; OpenSSL without -name names neither, then the localKeyId must do.
    const alias = bag.friendlyName ?? paired?.bag.friendlyName ?? localKeyId.toString('hex')
    return { alias, localKeyId, privateKey, certificate: paired?.certificate }
  }))
  // A certificate bag whose key is not in the file (keytool never writes one) is kept as is.
  for (const { bag } of certificates.values()) otherBags.push(bag.raw)
  return { keys, otherBags }
}

/** The PrivateKeyInfo of a keyBag, or of a pkcs8ShroudedKeyBag once decrypted. */
async function decodeKeyBag (bag: SafeBag, password: string): Promise<Buffer> {
  if (bag.bagId === oids.keyBag) return bag.value.raw
  // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
  const info = DerReader.within(bag.value)
  const algorithm = info.readElement(derTags.sequence)
  const ciphertext = info.readOctetString()
  info.end()
  const privateKey = await decryptWithPassword(algorithm, ciphertext, password)
  // Without a MAC the padding check is all that catches a wrong password, and 1 in 256 wrong
  // keys pass it; what comes out must at least be one DER SEQUENCE.
  try {
    const reader = new DerReader(privateKey)
    reader.readSequence()
    reader.end()
  } catch (error) {
    throw wrongPassword('an entry decrypts to garbage', error)
  }
  return privateKey
}

export interface EncodePkcs12Options {
  /** PBKDF2 and MAC iteration count; keytool 17 uses 10 000. */
  readonly iterations?: number
}

/**
 * Writes a PKCS#12 file the way keytool 17 does: each key a pkcs8ShroudedKeyBag under
 * PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, the certificates in one PBES2-encrypted SafeContents,
 * both bags named by friendlyName and tied by localKeyId, and an HMAC-SHA256 MAC. Every salt
 * and IV is fresh. `otherBags` are written back as read.
 */
export async function encodePkcs12 (contents: Pkcs12Contents, password: string, options: EncodePkcs12Options = {}): Promise<Buffer> {
  const iterations = options.iterations ?? DEFAULT_PBES2_ITERATIONS
  const keyBags = await Promise.all(contents.keys.map(async entry => {
    const { algorithm, ciphertext } = await encryptPbes2(entry.privateKey, password, iterations)
    const value = encodeSequence([algorithm, encodeOctetString(ciphertext)])
    return encodeSafeBag(oids.pkcs8ShroudedKeyBag, value, entry.alias, entry.localKeyId)
  }))
  const certificateBags = contents.keys.flatMap(entry => entry.certificate === undefined
    ? []
    : [encodeSafeBag(oids.certBag, encodeCertBagValue(entry.certificate), entry.alias, entry.localKeyId)])
  // keytool keeps certificates in the encrypted part and everything else beside the keys.
  const isCertificateBag = (raw: Buffer): boolean => DerReader.within(new DerReader(raw).readElement()).readOid() === oids.certBag
  const plainBags = [...keyBags, ...contents.otherBags.filter(raw => !isCertificateBag(raw))]
  const encryptedBags = [...certificateBags, ...contents.otherBags.filter(isCertificateBag)]
  const authSafe = await encodeAuthenticatedSafe(plainBags, encryptedBags, password, iterations)
  return encodeSequence([
    encodeInteger(PFX_VERSION),
    encodeSequence([encodeOid(oids.data), encodeExplicit(0, encodeOctetString(authSafe))]),
    encodeMac(authSafe, password, iterations)
  ])
}
