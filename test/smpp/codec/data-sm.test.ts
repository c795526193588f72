import { test } from 'node:test'
import { tons } from '../../../src/smpp/codec/constants.ts'
import { createPdu } from '../../../src/smpp/codec/pdu.ts'
import { assertRoundTrip, hex, text } from './codec-fixtures.ts'

test('data_sm round-trips a vector built from §4.7.1 with message_payload', () => {
  assertRoundTrip(hex(
    '00000035', '00000103', '00000000', '00000009',
    '00', // service_type
    '05', '00', text('smsgw'), '00', // source
    '01', '01', text('4915112345678'), '00', // destination
    '00', '01', '00', // esm_class, registered_delivery, data_coding
    '0424 0005', text('Hello') // message_payload
  ), createPdu('data_sm', 9, {
    serviceType: '',
    sourceAddrTon: tons.alphanumeric,
    sourceAddrNpi: 0,
    sourceAddr: 'smsgw',
    destAddrTon: tons.international,
    destAddrNpi: 1,
    destinationAddr: '4915112345678',
    esmClass: 0,
    registeredDelivery: 1,
    dataCoding: 0,
    tlvs: [{ name: 'message_payload', value: Buffer.from('Hello') }]
  }))
})

// twitter-archive/cloudhopper-smpp, PduDecoderTest.java, decodeDataSmResp.
test('data_sm_resp round-trips a capture from cloudhopper-smpp', () => {
  assertRoundTrip('0000001c800001030000000000116ac7393432353834333135393400',
    createPdu('data_sm_resp', 1141447, { messageId: '94258431594', tlvs: [] }))
})

test('data_sm_resp round-trips with delivery_failure_reason and network_error_code', () => {
  assertRoundTrip(hex(
    '0000001d', '80000103', '000000fe', '00000003',
    '00', // message_id
    '0425 0001 01', // delivery_failure_reason
    '0423 0003 03 0022' // network_error_code: IS-95, 34
  ), createPdu('data_sm_resp', 3, {
    messageId: '',
    tlvs: [{ name: 'delivery_failure_reason', value: 1 }, { name: 'network_error_code', value: { networkType: 3, errorCode: 0x22 } }]
  }, 0xfe))
})
