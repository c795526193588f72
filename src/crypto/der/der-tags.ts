/**
 * The identifier octets (X.690 §8.1.2) we meet in PKCS#12 and X.509, as whole first bytes:
 * class and constructed bit included, so a reader compares one byte.
 */
export const derTags = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31
} as const

export type DerTag = typeof derTags[keyof typeof derTags]

/** Bit 6 of the identifier: the content is itself a series of TLVs. */
export const CONSTRUCTED_BIT = 0x20
/** Bits 7-8 = 10: a context-specific tag such as `[0]`. */
export const CONTEXT_CLASS = 0x80
/** Tag numbers 0-30 fit in the low five bits; 31 announces the multi-byte form we do not use. */
export const MAX_LOW_TAG_NUMBER = 30

/** The identifier byte of `[n]`: constructed for EXPLICIT tagging and for IMPLICIT SEQUENCE/SET. */
export function contextTag (tagNumber: number, constructed: boolean): number {
  return CONTEXT_CLASS | (constructed ? CONSTRUCTED_BIT : 0) | tagNumber
}
