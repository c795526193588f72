import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isSmsgwError } from '../../../src/errors.ts'
import { findTlv } from '../../../src/smpp/codec/index.ts'
import { encodeMoBodies } from '../../../src/smpp/simulator/mobile-originated.ts'
import { decodeUserData } from '../../../src/sms/encoding/index.ts'

test('encodeMoBodies writes a short text as one deliver_sm without UDH', () => {
  const [body, ...rest] = encodeMoBodies({ from: '+31612345678', to: 'SERVICE', text: 'Hi there' }, 7)
  assert.deepStrictEqual(rest, [])
  assert.ok(body !== undefined)
  assert.deepStrictEqual(
    [body.sourceAddr, body.sourceAddrTon, body.sourceAddrNpi, body.destinationAddr, body.destAddrTon, body.destAddrNpi, body.esmClass, body.tlvs],
    ['31612345678', 1, 1, 'SERVICE', 5, 0, 0, []]
  )
  assert.equal(decodeUserData(body.shortMessage, body.dataCoding, false)?.text, 'Hi there')
})

test('encodeMoBodies splits a long text with a concatenation UDH carrying the reference', () => {
  const text = 'x'.repeat(161)
  const bodies = encodeMoBodies({ from: '31612345678', to: '1234', text }, 200)
  const parts = bodies.map(body => decodeUserData(body.shortMessage, body.dataCoding, (body.esmClass & 0x40) !== 0))
  assert.deepStrictEqual(parts.map(part => part?.concat), [
    { ref: 200, referenceBits: 8, total: 2, seq: 1 },
    { ref: 200, referenceBits: 8, total: 2, seq: 2 }
  ])
  assert.equal(parts.map(part => part?.text).join(''), text)
})

test('encodeMoBodies ties parts with SAR TLVs instead of a UDH when asked', () => {
  const text = 'y'.repeat(200)
  const bodies = encodeMoBodies({ from: '31612345678', to: '1234', text, concatenation: 'sar' }, 9)
  assert.deepStrictEqual(bodies.map(body => [body.esmClass, body.tlvs]), [
    [0, [{ name: 'sar_msg_ref_num', value: 9 }, { name: 'sar_total_segments', value: 2 }, { name: 'sar_segment_seqnum', value: 1 }]],
    [0, [{ name: 'sar_msg_ref_num', value: 9 }, { name: 'sar_total_segments', value: 2 }, { name: 'sar_segment_seqnum', value: 2 }]]
  ])
  assert.equal(bodies.map(body => decodeUserData(body.shortMessage, body.dataCoding, false)?.text).join(''), text)
  assert.equal(findTlv(encodeMoBodies({ from: '1', to: '2', text: 'short', concatenation: 'sar' }, 9)[0]?.tlvs ?? [], 'sar_msg_ref_num'), undefined)
})

test('encodeMoBodies uses UCS-2 when asked or needed, and refuses what GSM 7-bit cannot hold when forced', () => {
  assert.equal(encodeMoBodies({ from: '1', to: '2', text: 'plain', dataCoding: 'ucs2' }, 0)[0]?.dataCoding, 8)
  assert.equal(encodeMoBodies({ from: '1', to: '2', text: 'Привет' }, 0)[0]?.dataCoding, 8)
  assert.throws(() => encodeMoBodies({ from: '1', to: '2', text: 'Привет', dataCoding: 'gsm7' }, 0), error => isSmsgwError(error, 'SMSGW_UNENCODABLE_TEXT'))
})
