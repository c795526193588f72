// What jsmpp-codec.test.ts and jsmpp-session.test.ts share: the timeouts, the addresses, the
// submit_sm body of one planned part, and the checks of what jsmpp read and sent back.
import assert from 'node:assert/strict'
import { esmClass, findTlv, messageStates, npis, registeredDelivery, shortMessageBody, tons } from '../../src/smpp/codec/index.ts'
import type { PduOf, ShortMessageBody } from '../../src/smpp/codec/index.ts'
import { parseReceiptText } from '../../src/smpp/receipts/index.ts'
import type { SmsPart } from '../../src/sms/encoding/index.ts'
import type { JsmppSmsc } from './jsmpp-smsc.ts'

/** A first run on a fresh machine fetches jsmpp with mvn (~25 s) before the JVM starts (~1 s). */
export const START_TIMEOUT_MS = 5 * 60_000
export const WAIT_MS = 5_000

export const sender = 'SMSGW'
export const recipient = '4915112345678'

/** The registered_delivery bits of a submit_sm that does or does not ask for a receipt. */
const receiptBits = (wantsReceipt: boolean): number =>
  wantsReceipt ? registeredDelivery.receiptOnFinal : registeredDelivery.noReceipt

/** The submit_sm of one planned part, from `sender` to `recipient`. */
export function submitBody (part: SmsPart, wantsReceipt: boolean): ShortMessageBody {
  return shortMessageBody({
    sourceAddrTon: tons.alphanumeric,
    sourceAddrNpi: npis.unknown,
    sourceAddr: sender,
    destAddrTon: tons.international,
    destAddrNpi: npis.isdn,
    destinationAddr: recipient,
    esmClass: part.esmClass,
    registeredDelivery: receiptBits(wantsReceipt),
    dataCoding: part.dataCoding,
    shortMessage: part.shortMessage
  })
}

/** Checks that jsmpp read the submit_sm of `part` that it answered with `messageId`, octet for octet. */
export async function assertSubmitSeen (smsc: JsmppSmsc, messageId: string, part: SmsPart, wantsReceipt: boolean): Promise<void> {
  assert.match(messageId, /^[0-9a-f]+$/)
  const seen = await smsc.waitFor(`SUBMIT ${messageId}`, WAIT_MS)
  assert.equal(seen, `SUBMIT ${messageId} ${recipient} ${part.dataCoding} ${part.shortMessage.toString('hex')}`)
  const detail = await smsc.waitFor(`SUBMIT_DETAIL ${messageId}`, WAIT_MS)
  assert.equal(detail, `SUBMIT_DETAIL ${messageId} esm_class=${part.esmClass} registered_delivery=${receiptBits(wantsReceipt)} source=${sender}`)
}

/**
 * Checks the receipt jsmpp sent for `messageId`: flagged in esm_class, from the recipient back to
 * the sender, with both TLVs, and a text that parseReceiptText reads.
 */
export function assertReceipt (receipt: PduOf<'deliver_sm'>, messageId: string): void {
  assert.equal(receipt.body.esmClass & esmClass.typeMask, esmClass.deliveryReceipt)
  // From the recipient back to the sender.
  assert.equal(receipt.body.sourceAddr, recipient)
  assert.equal(receipt.body.destinationAddr, sender)
  assert.equal(findTlv(receipt.body.tlvs, 'receipted_message_id'), messageId)
  assert.equal(findTlv(receipt.body.tlvs, 'message_state'), messageStates.delivered)
  const fields = parseReceiptText(receipt.body.shortMessage.toString('latin1'))
  assert.ok(fields, 'the receipt text parses')
  const { submitDate, doneDate, ...rest } = fields
  assert.deepStrictEqual(rest, { id: messageId, sub: 1, dlvrd: 1, stat: 'DELIVRD', err: '000', text: 'Receipt please: 1234' })
  // jsmpp writes YYMMDDhhmm in the JVM's time zone: check the shape, not the instant.
  assert.equal(submitDate?.second, 0)
  assert.equal(doneDate?.second, 0)
}
