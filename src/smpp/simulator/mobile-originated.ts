import { npis, shortMessageBody, tons } from '../codec/index.ts'
import type { ShortMessageBody, Tlv } from '../codec/index.ts'
import { CONCAT_UDH_OCTETS, MAX_CONCAT_PARTS, planSms } from '../../sms/encoding/index.ts'
import type { DataCodingChoice } from '../../config/data-coding-choices.ts'

// A mobile-originated SMS reaches the ESME as deliver_sm with esm_class 0 (§4.6.1). A long text
// comes in parts, joined either by a concatenation UDH in the short_message (esm_class UDHI,
// 3GPP TS 23.040 §9.2.3.24.1) or by the sar_* TLVs of §5.3.2.22–24; SMSCs use both.

/** How the parts of a long MO message are tied together. */
export const concatenations = { udh: 'udh', sar: 'sar' } as const
export type Concatenation = typeof concatenations[keyof typeof concatenations]

/** A message from a phone. `from`, `to` and `text` are plaintext: never log them. */
export interface MobileOriginated {
  /** The phone's number, with or without `+`. */
  readonly from: string
  /** The number or short code it was sent to, with or without `+`. */
  readonly to: string
  readonly text: string
  /** GSM 7-bit when every character fits (`auto`, the default), or forced. */
  readonly dataCoding?: DataCodingChoice
  /** Default `udh`. */
  readonly concatenation?: Concatenation
}

const DIGITS = /^[0-9]+$/

/**
 * The deliver_sm bodies of `mo`, in sending order: one for a short text, one per part for a long
 * one, with `referenceNumber` (0–255) tying the parts together.
 * @throws SmsgwError SMSGW_UNENCODABLE_TEXT when `dataCoding` is `gsm7` and a character does not
 * fit, SMSGW_TOO_MANY_PARTS past 255 parts.
 */
export function encodeMoBodies (mo: MobileOriginated, referenceNumber: number): ShortMessageBody[] {
  const plan = planSms(mo.text, { maxParts: MAX_CONCAT_PARTS, referenceNumber, ...(mo.dataCoding === undefined ? {} : { dataCoding: mo.dataCoding }) })
  const source = addressOf(mo.from)
  const destination = addressOf(mo.to)
  const sar = mo.concatenation === concatenations.sar && plan.parts.length > 1
  return plan.parts.map((part, index) => shortMessageBody({
    sourceAddrTon: source.ton,
    sourceAddrNpi: source.npi,
    sourceAddr: source.address,
    destAddrTon: destination.ton,
    destAddrNpi: destination.npi,
    destinationAddr: destination.address,
    esmClass: sar ? 0 : part.esmClass,
    dataCoding: part.dataCoding,
    shortMessage: sar ? part.shortMessage.subarray(CONCAT_UDH_OCTETS) : part.shortMessage,
    tlvs: sar ? sarTlvs(referenceNumber, plan.parts.length, index + 1) : []
  }))
}

function sarTlvs (referenceNumber: number, total: number, seq: number): Tlv[] {
  return [
    { name: 'sar_msg_ref_num', value: referenceNumber },
    { name: 'sar_total_segments', value: total },
    { name: 'sar_segment_seqnum', value: seq }
  ]
}

/** A number in international format (TON 1, NPI 1, without `+`), or alphanumeric (TON 5, NPI 0). */
function addressOf (written: string): { address: string, ton: number, npi: number } {
  const address = written.startsWith('+') ? written.slice(1) : written
  if (DIGITS.test(address)) return { address, ton: tons.international, npi: npis.isdn }
  return { address, ton: tons.alphanumeric, npi: npis.unknown }
}
