import { planSms } from '../../../sms/encoding/index.ts'
import type { ShortMessageBody } from '../../../smpp/codec/index.ts'
import type { SubmittableSms } from '../../stages/validate-for-backend.ts'
import type { SmscLink } from './smsc-link.ts'
import { absoluteTime } from './validity-period.ts'

const TON_INTERNATIONAL = 1
const TON_ALPHANUMERIC = 5
const NPI_UNKNOWN = 0
const NPI_ISDN = 1
const REGISTERED_DELIVERY_RECEIPT = 0x01
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
  return plan.parts.map((part, index) => ({
    serviceType: '',
    sourceAddrTon: numeric ? link.numericSenderTon : TON_ALPHANUMERIC,
    sourceAddrNpi: numeric ? NPI_ISDN : NPI_UNKNOWN,
    sourceAddr: numeric ? message.sender.replace(/^\+/, '') : message.sender,
    destAddrTon: TON_INTERNATIONAL,
    destAddrNpi: NPI_ISDN,
    destinationAddr: message.to.slice(1),
    esmClass: part.esmClass,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod,
    registeredDelivery: index === plan.parts.length - 1 ? REGISTERED_DELIVERY_RECEIPT : 0,
    replaceIfPresentFlag: 0,
    dataCoding: part.dataCoding,
    smDefaultMsgId: 0,
    shortMessage: part.shortMessage,
    tlvs: []
  }))
}
