import { planSms } from '../../../sms/encoding/index.ts'
import { npis, registeredDelivery, shortMessageBody, tons } from '../../../smpp/codec/index.ts'
import type { ShortMessageBody } from '../../../smpp/codec/index.ts'
import type { SubmittableSms } from '../../stages/validate-for-backend.ts'
import type { SmscLink } from './smsc-link.ts'
import { absoluteTime } from './validity-period.ts'

const NUMERIC_SENDER = /^\+?[0-9]+$/

/**
 * The submit_sm bodies of one SMS (spec §7): source = Sender (TON 5 for text, the link's TON
 * for numbers), destination = To without `+` (TON 1, NPI 1), the deadline as validity_period,
 * a receipt requested on the last part only. Plaintext: the bodies go to the SMSC and nowhere else.
 */
export function submitParts (message: SubmittableSms, deadline: Date, link: SmscLink, referenceNumber: number): ShortMessageBody[] {
  const plan = planSms(message.body, { maxParts: link.maxParts, referenceNumber, dataCoding: link.dataCoding })
  const numeric = NUMERIC_SENDER.test(message.sender)
  const validityPeriod = link.sendValidityPeriod ? absoluteTime(deadline) : ''
  return plan.parts.map((part, index) => shortMessageBody({
    sourceAddrTon: numeric ? link.numericSenderTon : tons.alphanumeric,
    sourceAddrNpi: numeric ? npis.isdn : npis.unknown,
    sourceAddr: numeric ? message.sender.replace(/^\+/, '') : message.sender,
    destAddrTon: tons.international,
    destAddrNpi: npis.isdn,
    destinationAddr: message.to.slice(1),
    esmClass: part.esmClass,
    validityPeriod,
    registeredDelivery: index === plan.parts.length - 1 ? registeredDelivery.receiptOnFinal : registeredDelivery.noReceipt,
    dataCoding: part.dataCoding,
    shortMessage: part.shortMessage
  }))
}
