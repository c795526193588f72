import { decodeUserDataHeader, userDataEncodingOf, type UserDataEncoding } from '../../sms/encoding/index.ts'
import { esmClass, findTlv, tons, type PduOf, type Tlv } from '../codec/index.ts'

// Spec §7: a deliver_sm that is not a receipt is a mobile-originated (MO) SMS. This file reads one
// such PDU into a plain value, one part of a possibly concatenated message. The text is not
// decoded here: reassembly joins the raw payloads of all parts and decodes once.

/**
 * How the parts of one message are tied together. References of different schemes never belong
 * together, even when their numbers are equal.
 */
export const concatSchemes = {
  /** UDH IEI 0x00 (3GPP TS 23.040 §9.2.3.24.1): an 8-bit reference. */
  udh8: 'udh8',
  /** UDH IEI 0x08 (§9.2.3.24.8): a 16-bit reference. */
  udh16: 'udh16',
  /** The SMPP 3.4 TLVs sar_msg_ref_num, sar_total_segments, sar_segment_seqnum (§5.3.2.22–24). */
  sar: 'sar'
} as const

export type ConcatScheme = typeof concatSchemes[keyof typeof concatSchemes]

/** Where one part sits in a concatenated message. */
export interface MoConcat {
  readonly scheme: ConcatScheme
  /** The reference shared by all parts of one message: 0–255 for udh8, 0–65535 otherwise. */
  readonly ref: number
  /** The number of parts, 1–255. */
  readonly total: number
  /** This part's number, 1–total. */
  readonly seq: number
}

/**
 * One part of a mobile-originated SMS as it came off one SMPP connection. `sender`, `recipient`
 * and `payload` are personal data and plaintext: never log them, never persist them.
 */
export interface MoPart {
  /** The SMPP connection it arrived on, as the caller names it. */
  readonly connectionId: string
  /** source_addr, with `+` in front when its TON is international. */
  readonly sender: string
  /** destination_addr, with `+` in front when its TON is international. */
  readonly recipient: string
  /** The PDU's data_coding (SMPP 3.4 §5.2.19). */
  readonly dataCoding: number
  /** How `payload` reads as text, from `dataCoding`. */
  readonly encoding: UserDataEncoding
  /** The user data after the header, undecoded: short_message, or the message_payload TLV. */
  readonly payload: Buffer
  /** Present when the part belongs to a concatenated message. */
  readonly concat?: MoConcat
  readonly receivedAt: Date
}

const INTERNATIONAL_PREFIX = '+'

/**
 * True when the deliver_sm is a delivery receipt (esm_class message type 0x04, SMPP 3.4 §5.2.12)
 * or carries the receipted_message_id TLV, which some SMSCs send without setting the flag.
 */
export function isReceipt (pdu: PduOf<'deliver_sm'>): boolean {
  const { esmClass: flags, tlvs } = pdu.body
  return (flags & esmClass.typeMask) === esmClass.deliveryReceipt || findTlv(tlvs, 'receipted_message_id') !== undefined
}

/**
 * Reads a deliver_sm into one MO part; null when it is a receipt (`isReceipt`), which the caller
 * handles apart. Pure and never throws.
 *
 * The user data is the message_payload TLV when there is one (SMPP 3.4 §5.3.2.32 says
 * short_message is then empty), otherwise short_message. With UDHI set (esm_class 0x40) it starts
 * with a user data header, and a concatenation element there places the part; without one, the
 * SAR TLVs do. A header that runs past the end of the user data is not taken as a header: the
 * whole user data is kept as the payload, so a person's message is never dropped for it.
 */
export function moPartOf (pdu: PduOf<'deliver_sm'>, connectionId: string, receivedAt: Date): MoPart | null {
  if (isReceipt(pdu)) return null
  const body = pdu.body
  const userData = findTlv(body.tlvs, 'message_payload') ?? body.shortMessage
  let payload = userData
  let concat: MoConcat | undefined
  if ((body.esmClass & esmClass.udhi) !== 0) {
    const header = decodeUserDataHeader(userData)
    if (header !== null) {
      payload = header.payload
      if (header.concat !== undefined) {
        const { referenceBits, ref, total, seq } = header.concat
        concat = { scheme: referenceBits === 8 ? concatSchemes.udh8 : concatSchemes.udh16, ref, total, seq }
      }
    }
  }
  concat ??= sarConcatOf(body.tlvs)
  const part: MoPart = {
    connectionId,
    sender: addressOf(body.sourceAddr, body.sourceAddrTon),
    recipient: addressOf(body.destinationAddr, body.destAddrTon),
    dataCoding: body.dataCoding,
    encoding: userDataEncodingOf(body.dataCoding),
    payload,
    receivedAt
  }
  return concat === undefined ? part : { ...part, concat }
}

/** An address as E.164 with `+` when its TON says international; any other TON as it came. */
export function addressOf (address: string, ton: number): string {
  if (ton !== tons.international || address === '' || address.startsWith(INTERNATIONAL_PREFIX)) return address
  return INTERNATIONAL_PREFIX + address
}

// The SAR TLVs place a part only when all three are there and agree, the same rule as
// §9.2.3.24.1 gives for the UDH element: a total or number of 0, or a number past the total,
// is ignored.
function sarConcatOf (tlvs: readonly Tlv[]): MoConcat | undefined {
  const ref = findTlv(tlvs, 'sar_msg_ref_num')
  const total = findTlv(tlvs, 'sar_total_segments')
  const seq = findTlv(tlvs, 'sar_segment_seqnum')
  if (ref === undefined || total === undefined || seq === undefined) return undefined
  if (total === 0 || seq === 0 || seq > total) return undefined
  return { scheme: concatSchemes.sar, ref, total, seq }
}
