/**
 * The object identifiers of PKCS#12 (RFC 7292), PKCS#5 (RFC 8018), PKCS#7 and X.509 that the
 * vault reads or writes, by the names those RFCs give them.
 */
export const oids = {
  // PKCS#7 content types (RFC 2315 §14)
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',

  // PKCS#12 bag types (RFC 7292 §4.2) and the one certificate type we keep
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',

  // PKCS#9 bag attributes (RFC 2985 §5.5)
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',

  // PKCS#5 v2 password-based encryption (RFC 8018 §A, §B)
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
  hmacWithSha1: '1.2.840.113549.2.7',
  hmacWithSha224: '1.2.840.113549.2.8',
  hmacWithSha256: '1.2.840.113549.2.9',
  hmacWithSha384: '1.2.840.113549.2.10',
  hmacWithSha512: '1.2.840.113549.2.11',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  desEde3Cbc: '1.2.840.113549.3.7',

  // PKCS#12 v1 password-based encryption (RFC 7292 appendix C), the pre-2020 keytool default
  pbeWithShaAnd128BitRc4: '1.2.840.113549.1.12.1.1',
  pbeWithShaAnd3KeyTripleDesCbc: '1.2.840.113549.1.12.1.3',
  pbeWithShaAnd2KeyTripleDesCbc: '1.2.840.113549.1.12.1.4',
  pbeWithShaAnd128BitRc2Cbc: '1.2.840.113549.1.12.1.5',
  pbeWithShaAnd40BitRc2Cbc: '1.2.840.113549.1.12.1.6',

  // Digests (NIST CSOR, OIW)
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',

  // Keys and signatures (RFC 8017, RFC 8410)
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
  ed25519: '1.3.101.112',
  x25519: '1.3.101.110',

  // X.509 names and extensions (RFC 5280)
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14'
} as const

export type Oid = typeof oids[keyof typeof oids]

const namesByOid = new Map<string, string>(Object.entries(oids).map(([name, oid]) => [oid, name]))

/** A readable name for messages: the RFC name when we know the OID, else the dotted form. */
export function describeOid (oid: string): string {
  return namesByOid.get(oid) ?? oid
}
