import { test } from 'node:test'
import { commandStatus, SMPP_VERSION_3_4, tons, npis } from '../../../src/smpp/codec/constants.ts'
import { createPdu } from '../../../src/smpp/codec/pdu.ts'
import { assertRoundTrip, hex, text } from './codec-fixtures.ts'

test('bind_transmitter round-trips a vector built from §4.1.1', () => {
  assertRoundTrip(hex(
    '00000026', // command_length 38
    '00000002', // bind_transmitter
    '00000000', // command_status
    '00000001', // sequence_number
    text('smsgw'), '00', // system_id
    text('secret'), '00', // password
    text('smpp'), '00', // system_type
    '34', // interface_version
    '00', '00', // addr_ton, addr_npi
    '00' // address_range
  ), createPdu('bind_transmitter', 1, {
    systemId: 'smsgw', password: 'secret', systemType: 'smpp', interfaceVersion: SMPP_VERSION_3_4, addrTon: 0, addrNpi: 0, addressRange: ''
  }))
})

// Captured by Cloudhopper from a live SMSC: twitter-archive/cloudhopper-smpp,
// src/test/java/com/cloudhopper/smpp/transcoder/PduDecoderTest.java, decodeBindReceiver.
test('bind_receiver round-trips a capture from cloudhopper-smpp', () => {
  assertRoundTrip('00000025000000010000000000039961747769747465720074776974746572000034000000', createPdu('bind_receiver', 235873, {
    systemId: 'twitter', password: 'twitter', systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: ''
  }))
})

// The same file, decodeBindTransceiver.
test('bind_transceiver round-trips a capture from cloudhopper-smpp', () => {
  assertRoundTrip('00000023000000090000000000039951414c4c5f545700414c4c5f5457000034010200', createPdu('bind_transceiver', 235857, {
    systemId: 'ALL_TW', password: 'ALL_TW', systemType: '', interfaceVersion: 0x34, addrTon: tons.international, addrNpi: 2, addressRange: ''
  }))
})

// Jasmin's codec: eaitelecom/smpp.pdu, smpp/pdu/tests/test_pdu_encoding.py, do_bind_conversion_test.
test('bind_transceiver round-trips the vector of smpp.pdu', () => {
  assertRoundTrip('0000002d00000009000000000000000274657374007365637265740' + '04f5441003402063132372e302e302e2a00',
    createPdu('bind_transceiver', 2, {
      systemId: 'test',
      password: 'secret',
      systemType: 'OTA',
      interfaceVersion: 0x34,
      addrTon: tons.national,
      addrNpi: npis.landMobile,
      addressRange: '127.0.0.*'
    }))
})

test('bind_*_resp round-trip with sc_interface_version (smpp.pdu and cloudhopper-smpp vectors)', () => {
  const tlvs = [{ name: 'sc_interface_version', value: 0x34 }] as const
  assertRoundTrip('0000001d80000009000000000000000154534937353838000210000134',
    createPdu('bind_transceiver_resp', 1, { systemId: 'TSI7588', tlvs: [...tlvs] }))
  assertRoundTrip('0000001d80000002000000000003995f54574954544552000210000134',
    createPdu('bind_transmitter_resp', 235871, { systemId: 'TWITTER', tlvs: [...tlvs] }))
  assertRoundTrip('0000001d80000001000000000003996274776974746572000210000134',
    createPdu('bind_receiver_resp', 235874, { systemId: 'twitter', tlvs: [...tlvs] }))
})

// smpp.pdu test_BindTransceiverResp_error_has_no_body: an error response is its header alone.
test('bind_transceiver_resp with an error status and no body round-trips as a header', () => {
  assertRoundTrip('00000010800000090000000e00000d80',
    createPdu('bind_transceiver_resp', 3456, { systemId: '', tlvs: [] }, commandStatus.ESME_RINVPASWD))
})

// cloudhopper-smpp decodeBindTransceiverRespFailedButWithSystemId: some SMSCs send the body anyway.
test('bind_transceiver_resp with an error status keeps a body that was sent', () => {
  assertRoundTrip('00000015800000090000000e00004db3534d534300',
    createPdu('bind_transceiver_resp', 19891, { systemId: 'SMSC', tlvs: [] }, commandStatus.ESME_RINVPASWD))
})

test('outbind round-trips a vector built from §4.1.7', () => {
  assertRoundTrip(hex(
    '00000018', '0000000b', '00000000', '00000007',
    text('SMSC'), '00', // system_id
    text('pw'), '00' // password
  ), createPdu('outbind', 7, { systemId: 'SMSC', password: 'pw' }))
})
