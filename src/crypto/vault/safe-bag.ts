import type { DerElement } from '../der/der-reader.ts'
import { DerReader } from '../der/der-reader.ts'
import { derTags } from '../der/der-tags.ts'
import {
  encodeBmpString, encodeExplicit, encodeOctetString, encodeOid, encodeSequence, encodeSet
} from '../der/der-writer.ts'
import { oids } from '../der/oids.ts'

/**
 * One SafeBag (RFC 7292 §4.2) with the two PKCS#9 attributes keytool and OpenSSL use to tie a
 * key to its certificate and name it:
 *
 *   SafeBag ::= SEQUENCE {
 *     bagId          BAG-TYPE.&id ({PKCS12BagSet}),
 *     bagValue       [0] EXPLICIT BAG-TYPE.&Type({PKCS12BagSet}{@bagId}),
 *     bagAttributes  SET OF PKCS12Attribute OPTIONAL }
 */
export interface SafeBag {
  readonly bagId: string
  /** bagValue, i.e. the element inside `[0] EXPLICIT`. */
  readonly value: DerElement
  /** friendlyName (PKCS#9 §5.5.1), a BMPString: keytool's alias. */
  readonly friendlyName: string | undefined
  /** localKeyId (PKCS#9 §5.5.2): the same octets on a key bag and on its certificate's bag. */
  readonly localKeyId: Buffer | undefined
  /** The whole bag as read, so bags we do not interpret are written back unchanged. */
  readonly raw: Buffer
}

export function decodeSafeBag (element: DerElement): SafeBag {
  const bag = DerReader.within(element)
  const bagId = bag.readOid()
  const explicitValue = bag.readExplicit(0)
  const value = explicitValue.readElement()
  explicitValue.end()
  let friendlyName: string | undefined
  let localKeyId: Buffer | undefined
  if (!bag.done) {
    const attributes = bag.readSet()
    while (!attributes.done) {
      const attribute = attributes.readSequence()
      const type = attribute.readOid()
      const values = attribute.readSet()
      attribute.end()
      // Both attributes are single-valued in practice; the first value wins like in keytool.
      if (type === oids.friendlyName) friendlyName = values.readBmpString()
      if (type === oids.localKeyId) localKeyId = values.readOctetString()
    }
  }
  bag.end()
  return { bagId, value, friendlyName, localKeyId, raw: element.raw }
}

/** A bag with friendlyName and localKeyId, the way keytool writes key and certificate bags. */
export function encodeSafeBag (bagId: string, value: Buffer, friendlyName: string, localKeyId: Buffer): Buffer {
  return encodeSequence([
    encodeOid(bagId),
    encodeExplicit(0, value),
    encodeSet([
      encodeSequence([encodeOid(oids.friendlyName), encodeSet([encodeBmpString(friendlyName)])]),
      encodeSequence([encodeOid(oids.localKeyId), encodeSet([encodeOctetString(localKeyId)])])
    ])
  ])
}

/** CertBag ::= SEQUENCE { certId x509Certificate, certValue [0] EXPLICIT OCTET STRING (DER) } */
export function encodeCertBagValue (certificate: Buffer): Buffer {
  return encodeSequence([encodeOid(oids.x509Certificate), encodeExplicit(0, encodeOctetString(certificate))])
}

/** The X.509 DER inside a CertBag, or undefined for other certificate types (SDSI). */
export function decodeCertBagValue (value: DerElement): Buffer | undefined {
  const certBag = DerReader.over(value).readSequence()
  if (certBag.readOid() !== oids.x509Certificate) return undefined
  const certValue = certBag.readExplicit(0)
  const certificate = certValue.readOctetString()
  certValue.end()
  certBag.end()
  return certificate
}

/** SafeContents ::= SEQUENCE OF SafeBag */
export function decodeSafeContents (der: Buffer, offset: number): SafeBag[] {
  const reader = new DerReader(der, offset)
  const contents = reader.readSequence()
  reader.end()
  const bags: SafeBag[] = []
  while (!contents.done) bags.push(decodeSafeBag(contents.readElement(derTags.sequence)))
  return bags
}
