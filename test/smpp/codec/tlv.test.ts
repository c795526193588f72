import assert from 'node:assert/strict'
import { test } from 'node:test'
import { commandStatus, tlvDefinitions, tlvTags } from '../../../src/smpp/codec/constants.ts'
import { decodePdu, encodePdu } from '../../../src/smpp/codec/pdu-codec.ts'
import { PduReader } from '../../../src/smpp/codec/pdu-reader.ts'
import { PduWriter } from '../../../src/smpp/codec/pdu-writer.ts'
import { decodeTlvs, encodeTlvs, findTlv } from '../../../src/smpp/codec/tlv.ts'
import type { Tlv } from '../../../src/smpp/codec/tlv.ts'
import { bytes, decodeFailure, hex, text, withLength } from './codec-fixtures.ts'

const malformed = (status: number) => ({ name: 'SmsgwError', code: 'SMSGW_SMPP_MALFORMED', commandStatus: status })

function decode (hexText: string): Tlv[] {
  return decodeTlvs(new PduReader(Buffer.from(hex(hexText), 'hex')))
}

function encode (tlvs: Tlv[]): string {
  const writer = new PduWriter()
  encodeTlvs(writer, tlvs)
  return writer.toBuffer().toString('hex')
}

test('tlvTags names the tags of SMPP 3.4 §5.3.2', () => {
  assert.deepStrictEqual([
    tlvTags.receipted_message_id, tlvTags.message_state, tlvTags.network_error_code, tlvTags.sar_msg_ref_num,
    tlvTags.sar_total_segments, tlvTags.sar_segment_seqnum, tlvTags.message_payload, tlvTags.user_message_reference,
    tlvTags.sc_interface_version
  ], [0x001e, 0x0427, 0x0423, 0x020c, 0x020e, 0x020f, 0x0424, 0x0204, 0x0210])
  const tags = Object.values(tlvDefinitions).map(definition => definition.tag)
  assert.equal(new Set(tags).size, tags.length)
})

test('decodeTlvs types known TLVs and keeps unknown ones with their raw value', () => {
  const tlvs = decode('020c 0002 1234  020e 0001 03  020f 0001 01  0017 0004 00010000  1401 0002 beef  001e 0004 616263 00')
  assert.deepStrictEqual(tlvs, [
    { name: 'sar_msg_ref_num', value: 0x1234 },
    { name: 'sar_total_segments', value: 3 },
    { name: 'sar_segment_seqnum', value: 1 },
    { name: 'qos_time_to_live', value: 65536 },
    { tag: 0x1401, value: Buffer.from('beef', 'hex') },
    { name: 'receipted_message_id', value: 'abc' }
  ])
  assert.equal(encode(tlvs), hex('020c00021234 020e000103 020f000101 0017000400010000 14010002beef 001e000461626300'))
})

test('findTlv returns the first value of a name, or undefined', () => {
  const tlvs: Tlv[] = [{ tag: 0x1401, value: Buffer.of() }, { name: 'message_state', value: 2 }, { name: 'message_state', value: 5 }]
  assert.equal(findTlv(tlvs, 'message_state'), 2)
  assert.equal(findTlv(tlvs, 'receipted_message_id'), undefined)
})

// Some SMSCs leave the NULL off receipted_message_id; the receipt must not be lost for that.
test('decodeTlvs accepts a C-Octet String TLV without its NULL', () => {
  assert.deepStrictEqual(decode('001e 0003 616263'), [{ name: 'receipted_message_id', value: 'abc' }])
})

test('decodeTlvs fails with ESME_RINVPARLEN when a typed TLV has the wrong length', () => {
  assert.throws(() => decode('0427 0002 0002'), malformed(commandStatus.ESME_RINVPARLEN))
  assert.throws(() => decode('001e 0042' + '61'.repeat(66)), malformed(commandStatus.ESME_RINVPARLEN))
})

test('decodeTlvs fails with ESME_RINVOPTPARAMVAL when a C-Octet String TLV holds a NULL inside', () => {
  assert.throws(() => decode('001e 0004 61006200'), malformed(commandStatus.ESME_RINVOPTPARAMVAL))
})

test('decodeTlvs fails with ESME_RINVTLVSTREAM when a length runs past the body or a header is cut', () => {
  assert.throws(() => decode('0424 0005 4142'), malformed(commandStatus.ESME_RINVTLVSTREAM))
  assert.throws(() => decode('0424 00'), malformed(commandStatus.ESME_RINVTLVSTREAM))
  assert.equal(commandStatus.ESME_RINVTLVSTREAM, commandStatus.ESME_RINVOPTPARSTREAM)
})

// A receipt captured from a live SMSC whose receipted_message_id TLV announces 0x41 octets but
// holds 5: twitter-archive/cloudhopper-smpp, PduDecoderTest.java,
// decodeDeliverSmNetforsDeliveryReceiptTriggeredErrorInLegacySmppLibrary.
test('decodePdu answers a deliver_sm with a bad TLV length with ESME_RINVTLVSTREAM', () => {
  const failure = decodeFailure(bytes('000000a40000000500000000000000050001013233343830333337363831353100050056414e534f000400000000040000006369643a30303030303033303035207375623a30303120646c7672643a303031207375626d697420646174653a3130303131383134333120646f6e6520646174653a3130303131383134333120737461743a44454c49565244206572723a3030302074650427000102001e00413330303500'))
  assert.deepStrictEqual(
    { status: failure.commandStatus, reply: failure.reply, field: failure.field, sequenceNumber: failure.sequenceNumber },
    { status: commandStatus.ESME_RINVTLVSTREAM, reply: 'deliver_sm_resp', field: 'receipted_message_id', sequenceNumber: 5 }
  )
})

// smpp.pdu test_decode_bad_message_ends_in_middle_of_option (a response: nothing to answer).
test('decodePdu fails a bind_transceiver_resp that ends inside a TLV header', () => {
  const failure = decodeFailure(bytes('0000001b8000000900000000000000015453493735383800021000'))
  assert.deepStrictEqual({ status: failure.commandStatus, reply: failure.reply },
    { status: commandStatus.ESME_RINVTLVSTREAM, reply: null })
})

test('encodeTlvs refuses values that do not fit their TLV', () => {
  const unencodable = { code: 'SMSGW_SMPP_ENCODING' }
  assert.throws(() => encode([{ name: 'message_state', value: 256 }]), unencodable)
  assert.throws(() => encode([{ name: 'receipted_message_id', value: 'x'.repeat(65) }]), unencodable)
  assert.throws(() => encode([{ tag: 0x1400, value: Buffer.alloc(0x10000) }]), { ...unencodable, commandStatus: commandStatus.ESME_RINVPARLEN })
  assert.throws(() => encode([{ name: 'no_such_tlv', value: 1 } as unknown as Tlv]), unencodable)
})

test('a deliver_sm keeps duplicate and unknown TLVs in order through a round trip', () => {
  const frame = withLength(bytes(
    '00000000', '00000005', '00000000', '00000001',
    '00', '0101', text('1'), '00', '0101', text('2'), '00', '000000', '00', '00', '00000000', '00',
    '1500 0001 01', '0427 0001 02', '1500 0000', '0427 0001 05'
  ))
  const result = decodePdu(frame)
  assert.ok(result.ok && result.pdu.command === 'deliver_sm')
  assert.deepStrictEqual(result.pdu.body.tlvs, [
    { tag: 0x1500, value: Buffer.of(1) }, { name: 'message_state', value: 2 }, { tag: 0x1500, value: Buffer.of() }, { name: 'message_state', value: 5 }
  ])
  assert.deepStrictEqual(encodePdu(result.pdu), frame)
})
