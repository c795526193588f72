import {
  encodeBmpContent, encodeIntegerContent, encodeOidContent, encodeTimeContent
} from './der-primitives.ts'
import { contextTag, derTags } from './der-tags.ts'

// DER builders (X.690 §10): each returns one complete TLV, so structures nest as plain calls,
// e.g. encodeSequence([encodeOid(oid), encodeNull()]).

/** Definite length in the fewest octets (X.690 §10.1). */
function encodeLength (length: number): Buffer {
  if (length < 0x80) return Buffer.of(length)
  const octets: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256)
  return Buffer.from([0x80 | octets.length, ...octets])
}

export function encodeTlv (tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.of(tag), encodeLength(content.length), content])
}

export function encodeSequence (children: readonly Buffer[]): Buffer {
  return encodeTlv(derTags.sequence, Buffer.concat(children))
}

/** SET OF in DER order: elements sorted as octet strings (X.690 §11.6). */
export function encodeSet (children: readonly Buffer[]): Buffer {
  return encodeTlv(derTags.set, Buffer.concat([...children].sort(Buffer.compare)))
}

/** `[n] EXPLICIT`: the inner TLV wrapped whole. */
export function encodeExplicit (tagNumber: number, inner: Buffer): Buffer {
  return encodeTlv(contextTag(tagNumber, true), inner)
}

/** `[n] IMPLICIT`: the content octets under the context tag instead of the universal one. */
export function encodeImplicit (tagNumber: number, content: Buffer, constructed = false): Buffer {
  return encodeTlv(contextTag(tagNumber, constructed), content)
}

export function encodeInteger (value: bigint | number): Buffer {
  return encodeTlv(derTags.integer, encodeIntegerContent(BigInt(value)))
}

/** A non-negative INTEGER from big-endian magnitude bytes, e.g. a random serial number. */
export function encodeUnsignedInteger (magnitude: Buffer): Buffer {
  return encodeInteger(magnitude.length === 0 ? 0n : BigInt('0x' + magnitude.toString('hex')))
}

export function encodeOid (oid: string): Buffer {
  return encodeTlv(derTags.oid, encodeOidContent(oid))
}

export function encodeNull (): Buffer {
  return Buffer.of(derTags.null, 0)
}

export function encodeOctetString (bytes: Buffer): Buffer {
  return encodeTlv(derTags.octetString, bytes)
}

export function encodeBitString (bytes: Buffer, unusedBits = 0): Buffer {
  return encodeTlv(derTags.bitString, Buffer.concat([Buffer.of(unusedBits), bytes]))
}

export function encodeBmpString (text: string): Buffer {
  return encodeTlv(derTags.bmpString, encodeBmpContent(text))
}

export function encodeUtf8String (text: string): Buffer {
  return encodeTlv(derTags.utf8String, Buffer.from(text, 'utf8'))
}

/** UTCTime through 2049, GeneralizedTime after, as RFC 5280 §4.1.2.5 asks; whole seconds. */
export function encodeTime (date: Date): Buffer {
  const { tag, content } = encodeTimeContent(date)
  return encodeTlv(tag, content)
}
