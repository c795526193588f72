export type { DerElement } from './der-reader.ts'
export { DerReader } from './der-reader.ts'
export {
  encodeBitString, encodeBmpString, encodeExplicit, encodeImplicit, encodeInteger, encodeNull,
  encodeOctetString, encodeOid, encodeSequence, encodeSet, encodeTime, encodeTlv, encodeUnsignedInteger,
  encodeUtf8String
} from './der-writer.ts'
export { contextTag, derTags } from './der-tags.ts'
export type { DerTag } from './der-tags.ts'
export { describeOid, oids } from './oids.ts'
export type { Oid } from './oids.ts'
