import assert from 'node:assert/strict'
import { test } from 'node:test'
import { commandStatus, esmClass, messageStates, registeredDelivery, tons } from '../../../src/smpp/codec/constants.ts'
import { decodePdu, encodePdu } from '../../../src/smpp/codec/pdu-codec.ts'
import { createPdu } from '../../../src/smpp/codec/pdu.ts'
import type { ShortMessageBody } from '../../../src/smpp/codec/pdu.ts'
import { assertRoundTrip, bytes, decodeFailure, hex, text, withLength } from './codec-fixtures.ts'

const submitBody: ShortMessageBody = {
  serviceType: '',
  sourceAddrTon: tons.international,
  sourceAddrNpi: 1,
  sourceAddr: '40404',
  destAddrTon: tons.international,
  destAddrNpi: 1,
  destinationAddr: '44951361920',
  esmClass: 0,
  protocolId: 0,
  priorityFlag: 0,
  scheduleDeliveryTime: '',
  validityPeriod: '',
  registeredDelivery: registeredDelivery.receiptOnFinal,
  replaceIfPresentFlag: 0,
  dataCoding: 0,
  smDefaultMsgId: 0,
  shortMessage: Buffer.from('4024232125262f3a', 'hex'),
  tlvs: []
}

// Captured by Cloudhopper: twitter-archive/cloudhopper-smpp,
// src/test/java/com/cloudhopper/smpp/transcoder/PduDecoderTest.java, decodeSubmitSm.
const capturedSubmitSm = '00000039000000040000000000004fe80001013430343034000101343439353133363139323000000000000001000000084024232125262f3a'

test('submit_sm round-trips a capture from cloudhopper-smpp', () => {
  assertRoundTrip(capturedSubmitSm, createPdu('submit_sm', 20456, submitBody))
})

// Jasmin's codec: eaitelecom/smpp.pdu, smpp/pdu/tests/test_pdu_encoding.py, test_SubmitSM_conversion.
test('submit_sm round-trips the vector of smpp.pdu with an alphanumeric sender', () => {
  assertRoundTrip('000000360000000400000000000024440005006d6f62696c65776179000101313230383233300000000000000100f2000548454c4c4f',
    createPdu('submit_sm', 9284, {
      ...submitBody,
      sourceAddrTon: tons.alphanumeric,
      sourceAddrNpi: 0,
      sourceAddr: 'mobileway',
      destinationAddr: '1208230',
      dataCoding: 0xf2,
      shortMessage: Buffer.from('HELLO')
    }))
})

test('submit_sm round-trips a vector built from §4.4.1 with UDH, validity and TLVs', () => {
  const vector = hex(
    '0000005a', '00000004', '00000000', '0000002a',
    '00', // service_type
    '05', '00', text('smsgw'), '00', // source: alphanumeric
    '01', '01', text('4915112345678'), '00', // destination: international, ISDN
    '40', // esm_class: UDHI
    '00', '00', // protocol_id, priority_flag
    '00', // schedule_delivery_time
    text('000001000000000R'), '00', // validity_period: one day, relative (§7.1.2)
    '01', '00', '08', '00', // registered_delivery, replace_if_present_flag, data_coding UCS-2, sm_default_msg_id
    '0a', // sm_length
    '050003 2a 02 01', '0048 0069', // UDH: concatenation ref 0x2a part 1 of 2; "Hi" in UCS-2
    '0204 0002 0007', // user_message_reference 7
    '1400 0003 616263' // a vendor TLV, kept as it came
  )
  assertRoundTrip(vector, createPdu('submit_sm', 42, {
    ...submitBody,
    sourceAddrTon: tons.alphanumeric,
    sourceAddrNpi: 0,
    sourceAddr: 'smsgw',
    destinationAddr: '4915112345678',
    esmClass: esmClass.udhi,
    validityPeriod: '000001000000000R',
    dataCoding: 0x08,
    shortMessage: Buffer.from('0500032a020100480069', 'hex'),
    tlvs: [{ name: 'user_message_reference', value: 7 }, { tag: 0x1400, value: Buffer.from('abc') }]
  }))
})

test('submit_sm_resp round-trips a capture and an error header (cloudhopper-smpp, smpp.pdu)', () => {
  assertRoundTrip('0000001c80000004000000000a342ee1393432353834333135393400',
    createPdu('submit_sm_resp', 171192033, { messageId: '94258431594', tlvs: [] }))
  assertRoundTrip('000000108000000400000014000004d2',
    createPdu('submit_sm_resp', 1234, { messageId: '', tlvs: [] }, commandStatus.ESME_RMSGQFUL))
})

// cloudhopper-smpp decodeSubmitSmRespWithNoMessageId: an SMSC that leaves the body out on success.
test('submit_sm_resp decodes an empty message_id when the body is left out', () => {
  assert.deepStrictEqual(decodePdu(bytes('0000001080000004000000000a342ee1')), {
    ok: true, pdu: createPdu('submit_sm_resp', 171192033, { messageId: '', tlvs: [] })
  })
})

// cloudhopper-smpp decodeDeliverSmAsDeliveryReceipt: TLVs in the SMSC's own order.
test('deliver_sm round-trips a delivery receipt capture with its TLVs in order', () => {
  const receiptText = 'id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:'
  assertRoundTrip(
    '000000ba00000005000000000000000200010134343935313336313932300001013430343034000400000000000000006e69643a30303539313133393738207375623a30303120646c7672643a303031207375626d697420646174653a3130303231303137333020646f6e6520646174653a3130303231303137333120737461743a44454c49565244206572723a30303020746578743a4024232125262f3a000e0001010006000101001e000833383630316661000427000102',
    createPdu('deliver_sm', 2, {
      ...submitBody,
      sourceAddr: '44951361920',
      destinationAddr: '40404',
      esmClass: esmClass.deliveryReceipt,
      registeredDelivery: 0,
      shortMessage: Buffer.from(receiptText, 'latin1'),
      tlvs: [
        { name: 'source_network_type', value: 1 },
        { name: 'dest_network_type', value: 1 },
        { name: 'receipted_message_id', value: '38601fa' },
        { name: 'message_state', value: messageStates.delivered }
      ]
    }))
})

// smpp.pdu test_DeliverSM_handset_ack_conversion.
test('deliver_sm round-trips the receipt vector of smpp.pdu', () => {
  const receiptText = 'id:1891273321 sub:001 dlvrd:001 submit date:1305050826 done date:1305050826 stat:DELIVRD err:000 Text:DLVRD TO MOBILE\0'
  assertRoundTrip(
    '000000b900000005000000000000000a434d5400010036353135353535363738000100313233000400000000000000007669643a31383931323733333231207375623a30303120646c7672643a303031207375626d697420646174653a3133303530353038323620646f6e6520646174653a3133303530353038323620737461743a44454c49565244206572723a30303020546578743a444c56524420544f204d4f42494c45000427000102001e0009373042413841363900',
    createPdu('deliver_sm', 10, {
      ...submitBody,
      serviceType: 'CMT',
      sourceAddrNpi: 0,
      sourceAddr: '6515555678',
      destAddrNpi: 0,
      destinationAddr: '123',
      esmClass: esmClass.deliveryReceipt,
      registeredDelivery: 0,
      shortMessage: Buffer.from(receiptText, 'latin1'),
      tlvs: [{ name: 'message_state', value: messageStates.delivered }, { name: 'receipted_message_id', value: '70BA8A69' }]
    }))
})

test('deliver_sm_resp round-trips with the unused message_id (cloudhopper-smpp capture)', () => {
  assertRoundTrip('00000011800000050000000000116ac700', createPdu('deliver_sm_resp', 1141447, { messageId: '', tlvs: [] }))
})

test('submit_sm fails with the field\'s status when the body ends inside a C-Octet String', () => {
  // Cut inside destination_addr: no NULL before the end of the body.
  const failure = decodeFailure(withLength(bytes(capturedSubmitSm).subarray(0, 16 + 1 + 8 + 2 + 5)))
  assert.deepStrictEqual(
    { status: failure.commandStatus, reply: failure.reply, field: failure.field, sequenceNumber: failure.sequenceNumber },
    { status: commandStatus.ESME_RINVDSTADR, reply: 'submit_sm_resp', field: 'destination_addr', sequenceNumber: 20456 }
  )
})

test('submit_sm fails with ESME_RINVCMDLEN when the body ends inside the integers', () => {
  // Header, service_type, source, dest TON/NPI, destination_addr, esm_class: protocol_id is missing.
  const failure = decodeFailure(withLength(bytes(capturedSubmitSm).subarray(0, 16 + 1 + 8 + 2 + 12 + 1)))
  assert.deepStrictEqual({ status: failure.commandStatus, field: failure.field }, { status: commandStatus.ESME_RINVCMDLEN, field: 'protocol_id' })
})

test('submit_sm fails with ESME_RINVDSTADR when destination_addr has no NULL within 21 octets', () => {
  const frame = encodePdu(createPdu('submit_sm', 3, { ...submitBody, destinationAddr: '12345678901234567890' }))
  const at = frame.indexOf(text('12345678901234567890') + '00', 0, 'hex') + 20
  frame[at] = 0x31 // the NULL becomes a 21st digit; the next octet (esm_class 0) ends the string too late
  assert.equal(decodeFailure(frame).commandStatus, commandStatus.ESME_RINVDSTADR)
})

test('submit_sm fails with ESME_RINVSRCADR when source_addr is over-long', () => {
  const frame = bytes('0000004a', '00000004', '00000000', '00000001', '00', '0101', text('1'.repeat(30)), '00', '0101', text('1'), '00',
    '000000', '00', '00', '01000000', '00')
  assert.equal(decodeFailure(withLength(frame)).commandStatus, commandStatus.ESME_RINVSRCADR)
})

test('submit_sm fails with ESME_RINVMSGLEN when sm_length is over 254 or past the end', () => {
  const frame = bytes(capturedSubmitSm)
  const smLengthAt = frame.length - 9
  assert.equal(frame[smLengthAt], 8)
  const tooLong = Buffer.from(frame)
  tooLong[smLengthAt] = 255
  assert.equal(decodeFailure(tooLong).commandStatus, commandStatus.ESME_RINVMSGLEN)
  const pastEnd = Buffer.from(frame)
  pastEnd[smLengthAt] = 9
  assert.deepStrictEqual({ status: decodeFailure(pastEnd).commandStatus, field: decodeFailure(pastEnd).field },
    { status: commandStatus.ESME_RINVMSGLEN, field: 'short_message' })
})

test('submit_sm fails with ESME_RINVEXPIRY when validity_period is neither empty nor 16 characters', () => {
  const frame = encodePdu(createPdu('submit_sm', 5, { ...submitBody, validityPeriod: '000001000000000R' }))
  const at = frame.indexOf(text('000001000000000R'), 0, 'hex')
  const shortened = withLength(Buffer.concat([frame.subarray(0, at), frame.subarray(at + 1)]))
  assert.equal(decodeFailure(shortened).commandStatus, commandStatus.ESME_RINVEXPIRY)
})

test('submit_sm_resp that is malformed earns no reply', () => {
  // cloudhopper-smpp decodeSubmitSmRespWithNoNullByteForMessageId.
  const failure = decodeFailure(bytes('0000001180000004000000000a342ee139'))
  assert.deepStrictEqual({ status: failure.commandStatus, reply: failure.reply, sequenceNumber: failure.sequenceNumber },
    { status: commandStatus.ESME_RINVMSGID, reply: null, sequenceNumber: 171192033 })
})
