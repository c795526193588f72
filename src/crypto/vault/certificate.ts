import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { DerReader } from '../der/der-reader.ts'
import {
  encodeBitString, encodeExplicit, encodeInteger, encodeNull, encodeOctetString, encodeOid, encodeSequence,
  encodeSet, encodeTime, encodeUnsignedInteger, encodeUtf8String
} from '../der/der-writer.ts'
import { oids } from '../der/oids.ts'

/** keytool -genkeypair's default is 90 days; a vault key lives until rotated, so ten years. */
export const CERTIFICATE_VALIDITY_YEARS = 10
const SERIAL_BYTES = 8
const X509_V3 = 2

export interface SelfSignedOptions {
  /** Start of validity; defaults to now. Whole seconds are kept. */
  readonly notBefore?: Date
}

/** Name ::= SEQUENCE OF RDN; ours has the one RDN CN=<commonName>. */
function encodeCommonName (commonName: string): Buffer {
  return encodeSequence([encodeSet([encodeSequence([encodeOid(oids.commonName), encodeUtf8String(commonName)])])])
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 over the subjectPublicKey bits, as keytool computes it. */
function subjectKeyIdentifier (spki: Buffer): Buffer {
  const info = new DerReader(spki).readSequence()
  info.readSequence()
  return createHash('sha1').update(info.readBitString().bytes).digest()
}

/**
 * An X.509 v3 certificate (RFC 5280 §4.1) for CN=<commonName> over the public half of
 * `privateKey`, with issuer = subject, valid ten years, with a SubjectKeyIdentifier.
 *
 * keytool keeps every private key with a certificate chain, so each vault entry needs one,
 * though the gateway never looks at it. An RSA key signs its own certificate
 * (sha256WithRSAEncryption). An X25519 key cannot sign, so its certificate is signed by a
 * throw-away Ed25519 key: it is not verifiable, and it need not be; keytool only lists it.
 */
export function createSelfSignedCertificate (commonName: string, privateKey: KeyObject, options: SelfSignedOptions = {}): Buffer {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  const notBefore = new Date(Math.floor((options.notBefore ?? new Date()).getTime() / 1000) * 1000)
  const notAfter = new Date(notBefore)
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERTIFICATE_VALIDITY_YEARS)
  const signer = privateKey.asymmetricKeyType === 'rsa'
    ? { key: privateKey, digest: 'sha256', algorithm: encodeSequence([encodeOid(oids.sha256WithRsaEncryption), encodeNull()]) }
    : { key: generateKeyPairSync('ed25519').privateKey, digest: null, algorithm: encodeSequence([encodeOid(oids.ed25519)]) }
  // A positive serial of SERIAL_BYTES octets: the top bit clear keeps it positive, the next one set keeps its length.
  const serial = randomBytes(SERIAL_BYTES)
  serial[0] = (serial[0]! & 0x3f) | 0x40
  const name = encodeCommonName(commonName)
  const tbs = encodeSequence([
    encodeExplicit(0, encodeInteger(X509_V3)),
    encodeUnsignedInteger(serial),
    signer.algorithm,
    name,
    encodeSequence([encodeTime(notBefore), encodeTime(notAfter)]),
    name,
    spki,
    encodeExplicit(3, encodeSequence([
      encodeSequence([
        encodeOid(oids.subjectKeyIdentifier),
        encodeOctetString(encodeOctetString(subjectKeyIdentifier(spki)))
      ])
    ]))
  ])
  return encodeSequence([tbs, signer.algorithm, encodeBitString(sign(signer.digest, tbs, signer.key))])
}
