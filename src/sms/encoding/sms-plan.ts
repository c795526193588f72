import assert from 'node:assert/strict'
import { dataCodingChoices } from '../../config/data-coding-choices.ts'
import type { DataCodingChoice } from '../../config/data-coding-choices.ts'
import { SmsgwError, errorCodes } from '../../errors.ts'
import { ESM_CLASS_UDHI, dataCodings } from './data-coding.ts'
import { encodeGsm7, gsmSeptetLength, gsmSeptetsOf } from './gsm7.ts'
import { encodeUcs2 } from './ucs2.ts'
import { encodeConcatUdh } from './udh.ts'

// Spec §7 (ours): GSM 7-bit (data_coding 0x00) when every character fits, UCS-2 (0x08)
// otherwise; a long text goes in parts with an 8-bit-reference concatenation UDH, never splitting
// an escape sequence or a surrogate pair. The sizes come from the 140-octet TP-UD (3GPP TS 23.040
// §9.2.3.24): 160 septets or 70 UTF-16 code units alone; with the 6-octet UDH (plus one fill bit
// before the septets) 153 septets or 67 code units.

export const SINGLE_PART_SEPTETS = 160
export const CONCAT_PART_SEPTETS = 153
export const SINGLE_PART_UCS2_UNITS = 70
export const CONCAT_PART_UCS2_UNITS = 67
/** The concatenation UDH counts parts in one octet. */
export const MAX_CONCAT_PARTS = 255

/** The two encodings a part can take: the data coding choices other than `auto`. */
export const smsEncodings = { gsm7: dataCodingChoices.gsm7, ucs2: dataCodingChoices.ucs2 } as const
export type SmsEncoding = typeof smsEncodings[keyof typeof smsEncodings]

export interface PlanSmsOptions {
  /** The most parts the text may take, 1–255. */
  readonly maxParts: number
  /** The concatenation reference of this message's parts, 0–255; unused for a single part. */
  readonly referenceNumber: number
  /** Default `auto`. */
  readonly dataCoding?: DataCodingChoice
}

/** One submit_sm's worth. `shortMessage` holds plaintext: never log it, never persist it. */
export interface SmsPart {
  /** SMPP data_coding: 0x00 GSM 7-bit, 0x08 UCS-2. */
  readonly dataCoding: number
  /** SMPP esm_class: 0x40 (UDHI) when `shortMessage` starts with a UDH, else 0x00. */
  readonly esmClass: number
  /** UDH (if any) then the payload: unpacked septets, one per byte, or UTF-16BE. */
  readonly shortMessage: Buffer
}

export interface SmsPlan {
  readonly encoding: SmsEncoding
  readonly dataCoding: number
  /** In sending order; a single part has no UDH. */
  readonly parts: readonly SmsPart[]
}

/**
 * Encodes and splits `text` into submit_sm parts. Throws SMSGW_TOO_MANY_PARTS, naming the count,
 * when it needs more than `maxParts` parts, and SMSGW_UNENCODABLE_TEXT when `dataCoding` is
 * `gsm7` and a character does not fit. Neither message quotes the text.
 */
export function planSms (text: string, options: PlanSmsOptions): SmsPlan {
  const { maxParts, referenceNumber, dataCoding = dataCodingChoices.auto } = options
  assert.ok(Number.isInteger(maxParts) && maxParts >= 1 && maxParts <= MAX_CONCAT_PARTS, 'maxParts is an integer from 1 to 255')
  assert.ok(Number.isInteger(referenceNumber) && referenceNumber >= 0 && referenceNumber <= 0xff, 'referenceNumber is an integer from 0 to 255')
  const septets = dataCoding === dataCodingChoices.ucs2 ? null : gsmSeptetLength(text)
  if (septets === null && dataCoding === dataCodingChoices.gsm7) {
    throw new SmsgwError(errorCodes.unencodableText, 'SMS text has characters outside the GSM 7-bit alphabet')
  }
  const encoding = septets === null ? smsEncodings.ucs2 : smsEncodings.gsm7
  const chunks = septets === null ? splitUcs2(text) : splitGsm7(text, septets)
  if (chunks.length > maxParts) {
    throw new SmsgwError(errorCodes.tooManyParts, `SMS text needs ${chunks.length} parts, more than the limit of ${maxParts}`)
  }
  const code = encoding === smsEncodings.gsm7 ? dataCodings.smscDefault : dataCodings.ucs2
  const encode = encoding === smsEncodings.gsm7 ? (chunk: string) => encodeGsm7(chunk) as Buffer : encodeUcs2
  if (chunks.length === 1) {
    return { encoding, dataCoding: code, parts: [{ dataCoding: code, esmClass: 0, shortMessage: encode(text) }] }
  }
  const parts = chunks.map((chunk, index): SmsPart => ({
    dataCoding: code,
    esmClass: ESM_CLASS_UDHI,
    shortMessage: Buffer.concat([encodeConcatUdh(referenceNumber, chunks.length, index + 1), encode(chunk)])
  }))
  return { encoding, dataCoding: code, parts }
}

/** Chunks of at most 153 septets; an extension character (2 septets) stays whole. */
function splitGsm7 (text: string, septets: number): string[] {
  if (septets <= SINGLE_PART_SEPTETS) return [text]
  const chunks: string[] = []
  let start = 0
  let used = 0
  for (let index = 0; index < text.length; index++) {
    const size = gsmSeptetsOf(text.charCodeAt(index))
    if (used + size > CONCAT_PART_SEPTETS) {
      chunks.push(text.slice(start, index))
      start = index
      used = 0
    }
    used += size
  }
  chunks.push(text.slice(start))
  return chunks
}

/** Chunks of at most 67 code units; a surrogate pair stays whole (a lone surrogate is one unit). */
function splitUcs2 (text: string): string[] {
  if (text.length <= SINGLE_PART_UCS2_UNITS) return [text]
  const chunks: string[] = []
  let start = 0
  let index = 0
  while (index < text.length) {
    const width = isSurrogatePairAt(text, index) ? 2 : 1
    if (index + width - start > CONCAT_PART_UCS2_UNITS) {
      chunks.push(text.slice(start, index))
      start = index
    }
    index += width
  }
  chunks.push(text.slice(start))
  return chunks
}

function isSurrogatePairAt (text: string, index: number): boolean {
  const high = text.charCodeAt(index)
  if (high < 0xd800 || high > 0xdbff) return false
  const low = text.charCodeAt(index + 1)
  return low >= 0xdc00 && low <= 0xdfff
}
