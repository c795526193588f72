import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { addressOf, isReceipt, moPartOf } from '../../../src/smpp/inbound/mo-part.ts'
import { bytes, deliverSm, moPart, receivedAt, udh16, udh8 } from './inbound-fixtures.ts'

const sender = '+4915112345678'

test('moPartOf reads a single GSM 7-bit SMS, the international sender with + and the short code as it came', () => {
  assert.deepStrictEqual(moPartOf(deliverSm({ shortMessage: bytes('48656c6c6f') }), 'smsc-a', receivedAt), {
    connectionId: 'smsc-a',
    sender,
    recipient: '40404',
    dataCoding: 0,
    encoding: 'gsm7',
    payload: bytes('48656c6c6f'),
    receivedAt
  })
})

test('moPartOf puts + before the recipient too when its TON is international', () => {
  const part = moPart({ sourceAddrTon: 2, sourceAddr: '015112345678', destAddrTon: 1, destinationAddr: '4940123456' })
  assert.equal(part.sender, '015112345678')
  assert.equal(part.recipient, '+4940123456')
})

test('moPartOf reads an 8-bit reference concatenation header and keeps the payload after it', () => {
  const part = moPart({ esmClass: 0x40, shortMessage: Buffer.concat([udh8(0x2a, 3, 2), bytes('6869')]) })
  assert.deepStrictEqual(part.concat, { scheme: 'udh8', ref: 0x2a, total: 3, seq: 2 })
  assert.deepStrictEqual(part.payload, bytes('6869'))
})

test('moPartOf reads a 16-bit reference concatenation header', () => {
  const part = moPart({ esmClass: 0x43, dataCoding: 8, shortMessage: Buffer.concat([udh16(0x1234, 2, 1), bytes('041f')]) })
  assert.deepStrictEqual(part.concat, { scheme: 'udh16', ref: 0x1234, total: 2, seq: 1 })
  assert.deepStrictEqual(part.payload, bytes('041f'))
  assert.equal(part.encoding, 'ucs2')
})

test('moPartOf takes the header bytes as text when UDHI is not set', () => {
  const part = moPart({ shortMessage: Buffer.concat([udh8(1, 2, 1), bytes('61')]) })
  assert.equal(part.concat, undefined)
  assert.deepStrictEqual(part.payload, bytes('05000301020161'))
})

test('moPartOf places a part by the SAR TLVs', () => {
  const part = moPart({
    shortMessage: bytes('6869'),
    tlvs: [{ name: 'sar_msg_ref_num', value: 0xbeef }, { name: 'sar_total_segments', value: 4 }, { name: 'sar_segment_seqnum', value: 3 }]
  })
  assert.deepStrictEqual(part.concat, { scheme: 'sar', ref: 0xbeef, total: 4, seq: 3 })
  assert.deepStrictEqual(part.payload, bytes('6869'))
})

test('moPartOf ignores SAR TLVs that are incomplete or out of range', () => {
  const ref = { name: 'sar_msg_ref_num', value: 7 } as const
  for (const [total, seq] of [[0, 0], [2, 0], [2, 3]] as const) {
    const part = moPart({ tlvs: [ref, { name: 'sar_total_segments', value: total }, { name: 'sar_segment_seqnum', value: seq }] })
    assert.equal(part.concat, undefined, `total ${total}, seq ${seq}`)
  }
  assert.equal(moPart({ tlvs: [ref, { name: 'sar_total_segments', value: 2 }] }).concat, undefined)
})

test('moPartOf prefers the header over SAR TLVs when a part has both', () => {
  const part = moPart({
    esmClass: 0x40,
    shortMessage: Buffer.concat([udh8(9, 2, 2), bytes('61')]),
    tlvs: [{ name: 'sar_msg_ref_num', value: 1 }, { name: 'sar_total_segments', value: 5 }, { name: 'sar_segment_seqnum', value: 1 }]
  })
  assert.deepStrictEqual(part.concat, { scheme: 'udh8', ref: 9, total: 2, seq: 2 })
})

test('moPartOf reads the user data from the message_payload TLV, header included', () => {
  const plain = moPart({ dataCoding: 8, tlvs: [{ name: 'message_payload', value: bytes('00480069') }] })
  assert.deepStrictEqual(plain.payload, bytes('00480069'))
  assert.equal(plain.concat, undefined)
  const withHeader = moPart({ esmClass: 0x40, tlvs: [{ name: 'message_payload', value: Buffer.concat([udh8(3, 2, 1), bytes('6162')]) }] })
  assert.deepStrictEqual(withHeader.concat, { scheme: 'udh8', ref: 3, total: 2, seq: 1 })
  assert.deepStrictEqual(withHeader.payload, bytes('6162'))
})

test('moPartOf keeps the whole user data, without concatenation, when the header runs past its end', () => {
  const part = moPart({ esmClass: 0x40, shortMessage: bytes('09000301020161') })
  assert.equal(part.concat, undefined)
  assert.deepStrictEqual(part.payload, bytes('09000301020161'))
})

test('moPartOf gives null for a receipt flagged in esm_class, with or without UDHI', () => {
  const text = Buffer.from('id:1 sub:001 dlvrd:001 submit date:2401151230 done date:2401151231 stat:DELIVRD err:000 text:', 'latin1')
  assert.equal(moPartOf(deliverSm({ esmClass: 0x04, shortMessage: text }), 'smsc-a', receivedAt), null)
  assert.equal(moPartOf(deliverSm({ esmClass: 0x07, shortMessage: text }), 'smsc-a', receivedAt), null)
  assert.equal(isReceipt(deliverSm({ esmClass: 0x04 })), true)
})

test('moPartOf gives null for a receipt that only carries receipted_message_id', () => {
  const pdu = deliverSm({ tlvs: [{ name: 'receipted_message_id', value: '38601fa' }, { name: 'message_state', value: 2 }] })
  assert.equal(isReceipt(pdu), true)
  assert.equal(moPartOf(pdu, 'smsc-a', receivedAt), null)
})

test('isReceipt is false for other esm_class message types and for an MO with UDHI', () => {
  for (const flags of [0x00, 0x03, 0x40, 0x80, 0xc0]) assert.equal(isReceipt(deliverSm({ esmClass: flags })), false, `esm_class ${flags}`)
})

test('addressOf adds + only to a non-empty international number without one', () => {
  assert.equal(addressOf('4915112345678', 1), '+4915112345678')
  assert.equal(addressOf('+4915112345678', 1), '+4915112345678')
  assert.equal(addressOf('', 1), '')
  assert.equal(addressOf('015112345678', 2), '015112345678')
  assert.equal(addressOf('Bank', 5), 'Bank')
})

test('moPartOf gives a part or null for any short_message, esm_class, data coding and TLVs, without throwing', () => {
  const tlv = fc.oneof(
    fc.record({ name: fc.constant('sar_msg_ref_num' as const), value: fc.integer({ min: 0, max: 0xffff }) }),
    fc.record({ name: fc.constantFrom('sar_total_segments' as const, 'sar_segment_seqnum' as const), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ name: fc.constant('message_payload' as const), value: fc.uint8Array({ maxLength: 300 }).map(array => Buffer.from(array)) })
  )
  fc.assert(fc.property(
    fc.uint8Array({ maxLength: 254 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.array(tlv, { maxLength: 4 }),
    (shortMessage, esmClass, dataCoding, tlvs) => {
      const part = moPartOf(deliverSm({ shortMessage: Buffer.from(shortMessage), esmClass, dataCoding, tlvs }), 'c', receivedAt)
      if (part === null) return assert.equal(esmClass & 0x3c, 0x04)
      if (part.concat !== undefined) assert.ok(part.concat.seq >= 1 && part.concat.seq <= part.concat.total)
    }
  ), { numRuns: 2000 })
})
