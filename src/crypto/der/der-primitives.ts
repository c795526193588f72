import { badAsn1 } from './der-error.ts'
import { derTags } from './der-tags.ts'

// Content-octet codecs of the primitive types (X.690 §8 and §10/§11 for DER), without tag and
// length. der-reader.ts and der-writer.ts add the TLV framing around them.

/** X.690 §8.3: two's complement, big-endian, in the fewest octets. */
export function encodeIntegerContent (value: bigint): Buffer {
  const bytes: number[] = []
  let rest = value
  for (;;) {
    const low = Number(BigInt.asUintN(8, rest))
    bytes.unshift(low)
    rest >>= 8n
    const signBitSet = (low & 0x80) !== 0
    if ((rest === 0n && !signBitSet) || (rest === -1n && signBitSet)) return Buffer.from(bytes)
  }
}

export function decodeIntegerContent (content: Buffer, offset: number): bigint {
  if (content.length === 0) throw badAsn1('empty INTEGER', offset)
  const unsigned = BigInt('0x' + content.toString('hex'))
  return (content[0]! & 0x80) === 0 ? unsigned : unsigned - (1n << BigInt(content.length * 8))
}

// Arcs above this would lose precision as numbers; no OID we know comes near it.
const MAX_ARC = Number.MAX_SAFE_INTEGER

/** X.690 §8.19: the first two arcs share one subidentifier, each subidentifier is base-128. */
export function encodeOidContent (oid: string): Buffer {
  const arcs = oid.split('.').map(Number)
  const [first, second] = arcs
  if (arcs.length < 2 || arcs.some(arc => !Number.isSafeInteger(arc) || arc < 0) ||
    first! > 2 || (first! < 2 && second! >= 40)) {
    throw new TypeError(`Not an object identifier: '${oid}'`)
  }
  const bytes: number[] = []
  for (const arc of [first! * 40 + second!, ...arcs.slice(2)]) {
    const group = [arc % 128]
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) group.unshift(0x80 | (rest % 128))
    bytes.push(...group)
  }
  return Buffer.from(bytes)
}

export function decodeOidContent (content: Buffer, offset: number): string {
  if (content.length === 0) throw badAsn1('empty OBJECT IDENTIFIER', offset)
  if ((content[content.length - 1]! & 0x80) !== 0) throw badAsn1('unterminated OBJECT IDENTIFIER', offset)
  const subidentifiers: number[] = []
  let value = 0
  for (const byte of content) {
    if (value > (MAX_ARC - 127) / 128) throw badAsn1('OBJECT IDENTIFIER arc too large', offset)
    value = value * 128 + (byte & 0x7f)
    if ((byte & 0x80) === 0) {
      subidentifiers.push(value)
      value = 0
    }
  }
  const [head, ...tail] = subidentifiers as [number, ...number[]]
  const first = Math.min(Math.floor(head / 40), 2)
  return [first, head - first * 40, ...tail].join('.')
}

/** BMPString is UCS-2/UTF-16 big-endian; Node only has the little-endian codec, so swap. */
export function encodeBmpContent (text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16()
}

export function decodeBmpContent (content: Buffer, offset: number): string {
  if (content.length % 2 !== 0) throw badAsn1('BMPString of odd length', offset)
  return Buffer.from(content).swap16().toString('utf16le')
}

// RFC 5280 §4.1.2.5: UTCTime up to 2049, GeneralizedTime from 2050; both in UTC with seconds.
const UTC_TIME_LAST_YEAR = 2049
const UTC_TIME = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/
const GENERALIZED_TIME = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\.\d+)?Z$/

export type TimeTag = typeof derTags.utcTime | typeof derTags.generalizedTime

export function encodeTimeContent (date: Date): { tag: TimeTag, content: Buffer } {
  const text = date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-T:]/g, '')
  const year = date.getUTCFullYear()
  if (year > UTC_TIME_LAST_YEAR) return { tag: derTags.generalizedTime, content: Buffer.from(text, 'latin1') }
  return { tag: derTags.utcTime, content: Buffer.from(text.slice(2), 'latin1') }
}

export function decodeTimeContent (tag: TimeTag, content: Buffer, offset: number): Date {
  const text = content.toString('latin1')
  const match = (tag === derTags.utcTime ? UTC_TIME : GENERALIZED_TIME).exec(text)
  if (match === null) throw badAsn1(`bad time '${text}'`, offset)
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as
    [number, number, number, number, number, number]
  // X.509's UTCTime window: YY >= 50 is 19YY, below is 20YY.
  const fullYear = tag === derTags.utcTime ? (year >= 50 ? 1900 : 2000) + year : year
  const millis = match[7] === undefined ? 0 : Math.floor(Number(match[7]) * 1000)
  const date = new Date(Date.UTC(fullYear, month - 1, day, hour, minute, second, millis))
  // Date.UTC rolls 31 February over into March; a real calendar date survives unchanged.
  if (date.getUTCFullYear() !== fullYear || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day ||
    hour > 23 || minute > 59 || second > 59) {
    throw badAsn1(`bad time '${text}'`, offset)
  }
  return date
}
