import assert from 'node:assert/strict'
import { test } from 'node:test'
import { commandStatus } from '../../../src/smpp/codec/constants.ts'
import { createPdu } from '../../../src/smpp/codec/pdu.ts'
import { assertRoundTrip, bytes, decodeFailure } from './codec-fixtures.ts'

// Vectors from eaitelecom/smpp.pdu (smpp/pdu/tests/test_pdu_encoding.py) and
// twitter-archive/cloudhopper-smpp (src/test/java/com/cloudhopper/smpp/transcoder/PduDecoderTest.java).
test('unbind and unbind_resp round-trip (smpp.pdu vectors)', () => {
  assertRoundTrip('00000010000000060000000000000004', createPdu('unbind', 4, {}))
  assertRoundTrip('00000010800000060000000000000005', createPdu('unbind_resp', 5, {}))
})

test('enquire_link and enquire_link_resp round-trip (cloudhopper-smpp captures)', () => {
  assertRoundTrip('0000001000000015000000000a342ee7', createPdu('enquire_link', 171192039, {}))
  assertRoundTrip('0000001080000015000000000a342eed', createPdu('enquire_link_resp', 171192045, {}))
  assertRoundTrip('0000001000000015000000007fffffff', createPdu('enquire_link', 0x7fffffff, {}))
})

test('generic_nack round-trips with its status (cloudhopper-smpp capture)', () => {
  assertRoundTrip('00000010800000000000000100082a77', createPdu('generic_nack', 535159, {}, commandStatus.ESME_RINVMSGLEN))
})

// smpp.pdu test_decode_command_length_too_long: one octet after an unbind header.
test('unbind with octets after the header fails with ESME_RINVCMDLEN and earns unbind_resp', () => {
  const failure = decodeFailure(bytes('00000011000000060000000000000000ff'))
  assert.deepStrictEqual({ status: failure.commandStatus, reply: failure.reply, field: failure.field },
    { status: commandStatus.ESME_RINVCMDLEN, reply: 'unbind_resp', field: 'command_length' })
})
