import { esmClass, findTlv, shortMessageBody } from '../codec/index.ts'
import type { ShortMessageBody } from '../codec/index.ts'
import { messageStates, receiptStats } from '../receipts/index.ts'
import type { ReceiptStat } from '../receipts/index.ts'
import { decodeUserData } from '../../sms/encoding/index.ts'
import type { SubmittedMessage } from './submitted-message.ts'

// The delivery receipt of SMPP 3.4 Appendix B, as a deliver_sm with esm_class 0x04 (§5.2.12):
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD
//   err:E text:. . . . . . . . .
// plus the TLVs receipted_message_id and message_state (§5.3.2.12, §5.3.2.35), which SMPP 3.4
// offers for receipts and many SMSCs send next to the text.

/** `text:` carries at most this many characters of the message (Appendix B). */
export const RECEIPT_TEXT_CHARACTERS = 20

/** What a receipt reports about one submitted message. */
export interface ReceiptContent {
  /** The id as the receipt writes it, which may differ in format from the submit_sm_resp's. */
  readonly receiptId: string
  readonly outcome: ReceiptStat
  readonly err: string
  readonly doneAt: Date
}

const messageStateOfStat: ReadonlyMap<ReceiptStat, number> = new Map(
  (Object.keys(receiptStats) as Array<keyof typeof receiptStats>).map(name => [receiptStats[name], messageStates[name]])
)

/**
 * `date` as `YYMMDDhhmm` in UTC. Appendix B leaves the time zone to the SMSC; the simulator's
 * clock is UTC, which is what a gateway configured with offset 0 expects.
 */
export function formatReceiptDate (date: Date): string {
  const two = (value: number): string => String(value).padStart(2, '0')
  return `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}` +
    `${two(date.getUTCHours())}${two(date.getUTCMinutes())}`
}

/**
 * The receipt's short_message text. `dlvrd:` is 001 for DELIVRD and 000 otherwise; `text:` is
 * the start of the message, as printable ASCII (anything else becomes `?`), so that the receipt
 * reads the same as GSM 7-bit, IA5 or Latin-1. It is message text: never log it.
 */
export function formatReceiptText (submitted: SubmittedMessage, content: ReceiptContent): string {
  const delivered = content.outcome === receiptStats.delivered ? '001' : '000'
  return `id:${content.receiptId} sub:001 dlvrd:${delivered} submit date:${formatReceiptDate(submitted.receivedAt)}` +
    ` done date:${formatReceiptDate(content.doneAt)} stat:${content.outcome} err:${content.err} text:${messageStart(submitted)}`
}

// The first characters of the message (after its UDH, or from message_payload when the
// short_message is empty).
function messageStart (submitted: SubmittedMessage): string {
  const payload = submitted.shortMessage.length === 0 ? findTlv(submitted.tlvs, 'message_payload') : undefined
  const udhi = (submitted.esmClass & esmClass.udhi) !== 0
  const decoded = decodeUserData(payload ?? submitted.shortMessage, submitted.dataCoding, udhi)
  const characters = Array.from(decoded?.text ?? '').slice(0, RECEIPT_TEXT_CHARACTERS)
  return characters.map(character => /^[\x20-\x7e]$/u.test(character) ? character : '?').join('')
}

/**
 * The deliver_sm body of a receipt: from the recipient back to the sender (the addresses of the
 * submit_sm swapped), esm_class 0x04, data_coding 0, the text above and the two TLVs.
 */
export function encodeReceiptBody (submitted: SubmittedMessage, content: ReceiptContent): ShortMessageBody {
  return shortMessageBody({
    sourceAddrTon: submitted.destAddrTon,
    sourceAddrNpi: submitted.destAddrNpi,
    sourceAddr: submitted.destination,
    destAddrTon: submitted.sourceAddrTon,
    destAddrNpi: submitted.sourceAddrNpi,
    destinationAddr: submitted.source,
    esmClass: esmClass.deliveryReceipt,
    shortMessage: Buffer.from(formatReceiptText(submitted, content), 'latin1'),
    tlvs: [
      { name: 'receipted_message_id', value: content.receiptId },
      { name: 'message_state', value: messageStateOfStat.get(content.outcome) ?? messageStates.unknown }
    ]
  })
}
