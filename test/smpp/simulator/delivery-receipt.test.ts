import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createPdu, decodePdu, encodePdu } from '../../../src/smpp/codec/index.ts'
import { parseReceiptText } from '../../../src/smpp/receipts/index.ts'
import { encodeReceiptBody, formatReceiptDate, formatReceiptText } from '../../../src/smpp/simulator/delivery-receipt.ts'
import { recordSubmit } from '../../../src/smpp/simulator/submitted-message.ts'
import { encodeConcatUdh, encodeGsm7, encodeUcs2 } from '../../../src/sms/encoding/index.ts'
import { submitBody } from './smpp-test-client.ts'

const submittedAt = new Date('2026-03-07T09:05:59.900Z')
const doneAt = new Date('2026-03-07T09:06:01Z')

function submitted (overrides: Parameters<typeof submitBody>[0] = {}): ReturnType<typeof recordSubmit> {
  return recordSubmit(submitBody(overrides), '42', 'smsgw', submittedAt)
}

test('formatReceiptDate writes YYMMDDhhmm in UTC', () => {
  assert.equal(formatReceiptDate(submittedAt), '2603070905')
  assert.equal(formatReceiptDate(new Date('2009-12-31T23:59:00Z')), '0912312359')
})

test('formatReceiptText writes the fields of Appendix B in order', () => {
  const text = formatReceiptText(submitted(), { receiptId: '0000000042', outcome: 'DELIVRD', err: '000', doneAt })
  assert.equal(text, 'id:0000000042 sub:001 dlvrd:001 submit date:2603070905 done date:2603070906 stat:DELIVRD err:000 text:Hello from the tests')
  assert.deepStrictEqual(parseReceiptText(text), {
    id: '0000000042',
    sub: 1,
    dlvrd: 1,
    submitDate: { year: 2026, month: 3, day: 7, hour: 9, minute: 5, second: 0 },
    doneDate: { year: 2026, month: 3, day: 7, hour: 9, minute: 6, second: 0 },
    stat: 'DELIVRD',
    err: '000',
    text: 'Hello from the tests'
  })
})

test('formatReceiptText counts no delivered part for an outcome other than DELIVRD', () => {
  const text = formatReceiptText(submitted(), { receiptId: '7', outcome: 'UNDELIV', err: '012', doneAt })
  assert.match(text, / dlvrd:000 .* stat:UNDELIV err:012 /)
})

test('formatReceiptText keeps 20 characters of the text after a UDH, in printable ASCII', () => {
  const ucs2 = submitted({ dataCoding: 8, esmClass: 0x40, shortMessage: Buffer.concat([encodeConcatUdh(1, 2, 1), encodeUcs2('Größe 😀 und mehr als zwanzig Zeichen')]) })
  assert.match(formatReceiptText(ucs2, { receiptId: '1', outcome: 'DELIVRD', err: '000', doneAt }), / text:Gr\?\?e \? und mehr als$/)
  const fromPayload = submitted({ shortMessage: Buffer.alloc(0), tlvs: [{ name: 'message_payload', value: encodeGsm7('payload text') as Buffer }] })
  assert.match(formatReceiptText(fromPayload, { receiptId: '1', outcome: 'DELIVRD', err: '000', doneAt }), / text:payload text$/)
})

test('encodeReceiptBody answers from the recipient to the sender with esm_class 0x04 and the TLVs', () => {
  const body = encodeReceiptBody(submitted(), { receiptId: '2a', outcome: 'EXPIRED', err: '000', doneAt })
  assert.deepStrictEqual({ ...body, shortMessage: undefined }, {
    serviceType: '',
    sourceAddrTon: 1,
    sourceAddrNpi: 1,
    sourceAddr: '31612345678',
    destAddrTon: 5,
    destAddrNpi: 0,
    destinationAddr: 'SMSGW',
    esmClass: 0x04,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: undefined,
    tlvs: [{ name: 'receipted_message_id', value: '2a' }, { name: 'message_state', value: 3 }]
  })
  const pdu = createPdu('deliver_sm', 1, body)
  assert.deepStrictEqual(decodePdu(encodePdu(pdu)), { ok: true, pdu })
})

test('encodeReceiptBody sets message_state for each outcome of §5.2.28', () => {
  const states = (['ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD'] as const)
    .map(outcome => encodeReceiptBody(submitted(), { receiptId: '1', outcome, err: '000', doneAt }).tlvs[1])
  assert.deepStrictEqual(states.map(tlv => tlv !== undefined && 'name' in tlv ? tlv.value : undefined), [1, 2, 3, 4, 5, 6, 7, 8])
})
