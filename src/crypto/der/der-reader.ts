import { badAsn1 } from './der-error.ts'
import {
  decodeBmpContent, decodeIntegerContent, decodeOidContent, decodeTimeContent
} from './der-primitives.ts'
import type { TimeTag } from './der-primitives.ts'
import { contextTag, derTags, MAX_LOW_TAG_NUMBER } from './der-tags.ts'

/** One TLV as found in the input. */
export interface DerElement {
  /** The identifier byte (class, constructed bit and tag number together). */
  readonly tag: number
  /** Where the TLV starts, counted from the start of the outermost input; for error messages. */
  readonly offset: number
  /** The content octets. */
  readonly content: Buffer
  /** Where the content octets start, counted like `offset`. */
  readonly contentOffset: number
  /** The whole TLV, for hashing, MACing or keeping a part verbatim. */
  readonly raw: Buffer
}

// Four length octets allow 4 GiB, far beyond any vault; more is garbage, not a big file.
const MAX_LENGTH_OCTETS = 4
const INDEFINITE_LENGTH = 0x80

/**
 * Walks the TLVs of one DER input (X.690 §10) front to back. Each `read…` consumes one element
 * and checks its tag; constructed types hand back a reader over their content. Every problem,
 * including a length running past the end, throws SmsgwError SMSGW_BAD_ASN1.
 */
export class DerReader {
  readonly #input: Buffer
  readonly #base: number
  #position = 0

  /** `base` is the absolute offset of `input` within the outermost input; messages use it. */
  constructor (input: Buffer, base = 0) {
    this.#input = input
    this.#base = base
  }

  /** A reader over the content of an element read earlier, e.g. to parse a SEQUENCE kept for later. */
  static within (element: DerElement): DerReader {
    return new DerReader(element.content, element.contentOffset)
  }

  /** A reader over the whole of an element read earlier, positioned before its tag. */
  static over (element: DerElement): DerReader {
    return new DerReader(element.raw, element.offset)
  }

  get done (): boolean {
    return this.#position >= this.#input.length
  }

  /** The identifier byte of the next element, or undefined at the end. */
  peekTag (): number | undefined {
    return this.#input[this.#position]
  }

  /** Reads the next element whatever it is, or checks its tag when `expectedTag` is given. */
  readElement (expectedTag?: number): DerElement {
    const start = this.#position
    const offset = this.#base + start
    const tag = this.#byte(start, 'tag')
    if ((tag & 0x1f) > MAX_LOW_TAG_NUMBER) throw badAsn1('multi-byte tag', offset)
    if (expectedTag !== undefined && tag !== expectedTag) {
      throw badAsn1(`expected tag 0x${hex(expectedTag)} but found 0x${hex(tag)}`, offset)
    }
    let length = this.#byte(start + 1, 'length')
    let contentStart = start + 2
    if (length === INDEFINITE_LENGTH) throw badAsn1('indefinite length (BER, not DER)', offset)
    if (length > INDEFINITE_LENGTH) {
      const octets = length & 0x7f
      if (octets > MAX_LENGTH_OCTETS) throw badAsn1(`${octets}-octet length`, offset)
      length = 0
      for (let i = 0; i < octets; i++) length = length * 256 + this.#byte(contentStart + i, 'length')
      contentStart += octets
    }
    const end = contentStart + length
    if (end > this.#input.length) throw badAsn1(`length ${length} runs past the end`, offset)
    this.#position = end
    return {
      tag,
      offset,
      content: this.#input.subarray(contentStart, end),
      contentOffset: this.#base + contentStart,
      raw: this.#input.subarray(start, end)
    }
  }

  readSequence (): DerReader {
    return this.#children(this.readElement(derTags.sequence))
  }

  readSet (): DerReader {
    return this.#children(this.readElement(derTags.set))
  }

  /** `[n] EXPLICIT T`: a reader positioned on the inner T. */
  readExplicit (tagNumber: number): DerReader {
    return this.#children(this.readElement(contextTag(tagNumber, true)))
  }

  /** Like readExplicit, but undefined when the next element is not `[n]` (OPTIONAL fields). */
  readOptionalExplicit (tagNumber: number): DerReader | undefined {
    return this.peekTag() === contextTag(tagNumber, true) ? this.readExplicit(tagNumber) : undefined
  }

  /** `[n] IMPLICIT OCTET STRING` and the like: the raw content octets under the context tag. */
  readImplicit (tagNumber: number, constructed = false): Buffer {
    return this.readElement(contextTag(tagNumber, constructed)).content
  }

  readInteger (): bigint {
    const element = this.readElement(derTags.integer)
    return decodeIntegerContent(element.content, element.offset)
  }

  /** An INTEGER that must be a count or version: 0 up to `max` (default 2^31 - 1). */
  readSmallInteger (max = 0x7fffffff): number {
    const offset = this.#base + this.#position
    const value = this.readInteger()
    if (value < 0n || value > BigInt(max)) throw badAsn1(`INTEGER ${value} out of range 0..${max}`, offset)
    return Number(value)
  }

  readOid (): string {
    const element = this.readElement(derTags.oid)
    return decodeOidContent(element.content, element.offset)
  }

  readOctetString (): Buffer {
    return this.readElement(derTags.octetString).content
  }

  readNull (): void {
    const element = this.readElement(derTags.null)
    if (element.content.length !== 0) throw badAsn1('NULL with content', element.offset)
  }

  /** Reads a NULL if one is next: AlgorithmIdentifier parameters are NULL or absent in the wild. */
  skipOptionalNull (): void {
    if (this.peekTag() === derTags.null) this.readNull()
  }

  readBitString (): { bytes: Buffer, unusedBits: number } {
    const element = this.readElement(derTags.bitString)
    const unusedBits = element.content[0]
    if (unusedBits === undefined || unusedBits > 7 || (element.content.length === 1 && unusedBits !== 0)) {
      throw badAsn1('bad BIT STRING', element.offset)
    }
    return { bytes: element.content.subarray(1), unusedBits }
  }

  readBmpString (): string {
    const element = this.readElement(derTags.bmpString)
    return decodeBmpContent(element.content, element.offset)
  }

  /** UTCTime or GeneralizedTime, whichever comes. */
  readTime (): Date {
    const tag = this.peekTag()
    const element = this.readElement(tag === derTags.generalizedTime ? derTags.generalizedTime : derTags.utcTime)
    return decodeTimeContent(element.tag as TimeTag, element.content, element.offset)
  }

  /** Fails unless every byte was consumed: trailing bytes mean we misread the structure. */
  end (): void {
    if (!this.done) throw badAsn1('unexpected trailing data', this.#base + this.#position)
  }

  #children (element: DerElement): DerReader {
    return DerReader.within(element)
  }

  #byte (index: number, what: string): number {
    const value = this.#input[index]
    if (value === undefined) throw badAsn1(`input ends inside a ${what}`, this.#base + index)
    return value
  }
}

function hex (byte: number): string {
  return byte.toString(16).padStart(2, '0')
}
