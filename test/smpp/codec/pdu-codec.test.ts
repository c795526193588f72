import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { commandStatus, MAX_PDU_BYTES } from '../../../src/smpp/codec/constants.ts'
import { decodePdu, encodePdu, failureResponse } from '../../../src/smpp/codec/pdu-codec.ts'
import { createPdu, shortMessageBody } from '../../../src/smpp/codec/pdu.ts'
import type { Pdu, ShortMessageBody } from '../../../src/smpp/codec/pdu.ts'
import { bytes, decodeFailure } from './codec-fixtures.ts'

const submitBody: ShortMessageBody = shortMessageBody({
  sourceAddrTon: 5,
  sourceAddrNpi: 0,
  sourceAddr: 'smsgw',
  destAddrTon: 1,
  destAddrNpi: 1,
  destinationAddr: '4915112345678',
  registeredDelivery: 1,
  shortMessage: Buffer.from('secret text')
})

test('shortMessageBody leaves every field it is not given empty: a submit_sm of 17 zero octets and no TLVs', () => {
  assert.deepStrictEqual(encodePdu(createPdu('submit_sm', 1, shortMessageBody({}))),
    bytes('00000021000000040000000000000001' + '00'.repeat(17)))
})

test('decodePdu fails a frame shorter than a header with ESME_RINVCMDLEN and generic_nack', () => {
  assert.deepStrictEqual(decodeFailure(bytes('000000')), {
    ok: false,
    commandId: 0,
    command: undefined,
    sequenceNumber: 0,
    commandStatus: commandStatus.ESME_RINVCMDLEN,
    reply: 'generic_nack',
    field: 'command_length',
    reason: '3 octets, shorter than a header'
  })
})

// smpp.pdu test_decode_command_length_too_short.
test('decodePdu fails a command_length that differs from the frame with ESME_RINVCMDLEN and generic_nack', () => {
  const failure = decodeFailure(bytes('0000000f000000060000000000000009'))
  assert.deepStrictEqual({ status: failure.commandStatus, reply: failure.reply, command: failure.command, sequenceNumber: failure.sequenceNumber },
    { status: commandStatus.ESME_RINVCMDLEN, reply: 'generic_nack', command: 'unbind', sequenceNumber: 9 })
})

// cloudhopper-smpp decodeUnsupportedRequestCommandId / decodeUnsupportedResponseCommandId.
test('decodePdu answers an unknown command_id with generic_nack ESME_RINVCMDID', () => {
  const failure = decodeFailure(bytes('0000001000000110000000000a342ee7'))
  assert.deepStrictEqual(failure, {
    ok: false,
    commandId: 0x110,
    command: undefined,
    sequenceNumber: 0x0a342ee7,
    commandStatus: commandStatus.ESME_RINVCMDID,
    reply: 'generic_nack',
    field: 'command_id',
    reason: 'not a command of SMPP 3.4'
  })
  assert.deepStrictEqual(failureResponse(failure), createPdu('generic_nack', 0x0a342ee7, {}, commandStatus.ESME_RINVCMDID))
  assert.equal(encodePdu(failureResponse(failure) as Pdu).toString('hex'), '00000010' + '80000000' + '00000003' + '0a342ee7')
})

test('decodePdu does not answer an unknown response id', () => {
  const failure = decodeFailure(bytes('0000001080000110000000000a342ee7'))
  assert.deepStrictEqual({ status: failure.commandStatus, reply: failure.reply }, { status: commandStatus.ESME_RINVCMDID, reply: null })
  assert.equal(failureResponse(failure), null)
})

test('decodePdu answers a known but unsupported request with generic_nack ESME_RINVCMDID', () => {
  const failure = decodeFailure(bytes('00000010000000030000000000000001'))
  assert.deepStrictEqual({ command: failure.command, status: failure.commandStatus, reply: failure.reply, reason: failure.reason },
    { command: 'query_sm', status: commandStatus.ESME_RINVCMDID, reply: 'generic_nack', reason: 'query_sm is not supported' })
})

test('failureResponse answers a malformed request with its own response, written as a header', () => {
  const frame = encodePdu(createPdu('bind_transceiver', 77, {
    systemId: 'abcdefghijklmno', password: 'p', systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: ''
  }))
  frame[16 + 15] = 0x70 // system_id's NULL becomes a 16th character
  const failure = decodeFailure(frame)
  assert.deepStrictEqual({ field: failure.field, status: failure.commandStatus }, { field: 'system_id', status: commandStatus.ESME_RINVSYSID })
  const response = failureResponse(failure)
  assert.deepStrictEqual(response, createPdu('bind_transceiver_resp', 77, { systemId: '', tlvs: [] }, commandStatus.ESME_RINVSYSID))
  assert.equal(encodePdu(response as Pdu).toString('hex'), '00000010800000090000000f0000004d')
})

test('decodePdu fails a password over 8 characters with ESME_RINVPASWD', () => {
  const frame = encodePdu(createPdu('bind_transmitter', 1, {
    systemId: 'a', password: '12345678', systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: ''
  }))
  frame[16 + 2 + 8] = 0x39
  assert.equal(decodeFailure(frame).commandStatus, commandStatus.ESME_RINVPASWD)
})

test('decodePdu failure reasons hold sizes and names, never field values', () => {
  const overlong = encodePdu(createPdu('submit_sm', 1, { ...submitBody, destinationAddr: '12345678901234567890' }))
  overlong[overlong.indexOf('12345678901234567890') + 20] = 0x39 // the NULL becomes a 21st digit
  const pastEnd = encodePdu(createPdu('submit_sm', 1, submitBody))
  pastEnd[pastEnd.length - submitBody.shortMessage.length - 1] = 200 // sm_length
  const failures = [decodeFailure(overlong), decodeFailure(pastEnd)]
  assert.deepStrictEqual(failures.map(failure => [failure.commandStatus, failure.reason]), [
    [commandStatus.ESME_RINVDSTADR, 'SMPP destination_addr: no NULL within 21 octets (ESME_RINVDSTADR)'],
    [commandStatus.ESME_RINVMSGLEN, 'SMPP short_message: 200 octets announced but 11 left (ESME_RINVMSGLEN)']
  ])
})

test('encodePdu refuses values that do not fit, with the field and its status, without the value', () => {
  const cases: Array<[Pdu, string, number]> = [
    [createPdu('submit_sm', 1, { ...submitBody, destinationAddr: '1234567890123456789012' }), 'destination_addr', commandStatus.ESME_RINVDSTADR],
    [createPdu('submit_sm', 1, { ...submitBody, sourceAddr: 'Smsgw€' }), 'source_addr', commandStatus.ESME_RINVSRCADR],
    [createPdu('submit_sm', 1, { ...submitBody, shortMessage: Buffer.alloc(255) }), 'short_message', commandStatus.ESME_RINVMSGLEN],
    [createPdu('submit_sm', 1, { ...submitBody, validityPeriod: '1d' }), 'validity_period', commandStatus.ESME_RINVEXPIRY],
    [createPdu('submit_sm', 1, { ...submitBody, esmClass: 256 }), 'esm_class', commandStatus.ESME_RINVESMCLASS],
    [createPdu('bind_transceiver', 1, {
      systemId: 'smsgw', password: 'far-too-long', systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: ''
    }), 'password', commandStatus.ESME_RINVPASWD],
    [createPdu('enquire_link', -1, {}), 'sequence_number', commandStatus.ESME_RUNKNOWNERR],
    [createPdu('enquire_link', 2 ** 32, {}), 'sequence_number', commandStatus.ESME_RUNKNOWNERR],
    [{ ...createPdu('enquire_link', 1, {}), commandId: 0x80000015 } as unknown as Pdu, 'command_id', commandStatus.ESME_RINVCMDID]
  ]
  for (const [pdu, field, status] of cases) {
    assert.throws(() => encodePdu(pdu), (error: Error & Record<string, unknown>) => {
      assert.deepStrictEqual({ code: error.code, field: error.field, commandStatus: error.commandStatus, sessionSurvives: error.sessionSurvives },
        { code: 'SMSGW_SMPP_ENCODING', field, commandStatus: status, sessionSurvives: true })
      assert.doesNotMatch(error.message, /1234567890|Smsgw|far-too-long/u)
      return true
    }, field)
  }
})

test('encodePdu and decodePdu accept C-Octet Strings of exactly their maximum length', () => {
  const pdu = createPdu('submit_sm', 0x7fffffff, {
    ...submitBody, serviceType: 'ABCDE', sourceAddr: 'S'.repeat(20), destinationAddr: '4'.repeat(20), shortMessage: Buffer.alloc(254, 0x41)
  })
  assert.deepStrictEqual(decodePdu(encodePdu(pdu)), { ok: true, pdu })
})

test('encodePdu refuses a PDU over MAX_PDU_BYTES', () => {
  const payload = Buffer.alloc(40_000)
  const pdu = createPdu('data_sm', 1, {
    ...submitBody, registeredDelivery: 0, tlvs: [{ name: 'message_payload', value: payload }, { name: 'message_payload', value: payload }]
  })
  assert.throws(() => encodePdu(pdu), { code: 'SMSGW_SMPP_ENCODING', commandStatus: commandStatus.ESME_RINVCMDLEN, field: 'command_length' })
  assert.ok(MAX_PDU_BYTES < 80_000)
})

test('encodePdu writes a response with an error status and a body it was given', () => {
  const pdu = createPdu('data_sm_resp', 4, { messageId: '', tlvs: [{ name: 'delivery_failure_reason', value: 2 }] }, commandStatus.ESME_RDELIVERYFAILURE)
  assert.equal(encodePdu(pdu).toString('hex'), '00000016800001030000' + '00fe00000004' + '00' + '0425000102')
})

const samples: Pdu[] = [
  createPdu('bind_transceiver', 1, {
    systemId: 'smsgw', password: 'secret', systemType: 'smpp', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: ''
  }),
  createPdu('bind_transceiver_resp', 1, { systemId: 'SMSC', tlvs: [{ name: 'sc_interface_version', value: 0x34 }] }),
  createPdu('submit_sm', 2, {
    ...submitBody,
    validityPeriod: '000001000000000R',
    tlvs: [{ name: 'user_message_reference', value: 7 }, { name: 'sar_msg_ref_num', value: 1 }, { tag: 0x1400, value: Buffer.of(1) }]
  }),
  createPdu('submit_sm_resp', 2, { messageId: '0a1b2c', tlvs: [] }),
  createPdu('deliver_sm', 3, {
    ...submitBody,
    esmClass: 0x04,
    tlvs: [{ name: 'receipted_message_id', value: '0a1b2c' }, { name: 'message_state', value: 2 }, { name: 'network_error_code', value: { networkType: 1, errorCode: 0 } }]
  }),
  createPdu('deliver_sm_resp', 3, { messageId: '', tlvs: [] }),
  createPdu('enquire_link', 4, {}),
  createPdu('data_sm', 5, {
    ...submitBody, tlvs: [{ name: 'message_payload', value: Buffer.from('payload') }, { name: 'qos_time_to_live', value: 60 }]
  })
]
const sampleFrames = samples.map(encodePdu)

test('decodePdu never throws on random bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), octets => {
    const result = decodePdu(Buffer.from(octets))
    assert.equal(typeof result.ok, 'boolean')
  }), { numRuns: 100_000 })
})

test('decodePdu never throws on damaged PDUs, and what it accepts encodes back to the same PDU', () => {
  const damaged = fc.tuple(
    fc.constantFrom(...sampleFrames),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.boolean()
  ).map(([frame, changes, cut, fixLength]) => {
    let copy = Buffer.from(frame)
    for (const [at, value] of changes) copy[4 + (at % (copy.length - 4))] = value
    if (cut !== undefined) copy = copy.subarray(0, cut % (copy.length + 1))
    if (fixLength && copy.length >= 4) copy.writeUInt32BE(copy.length, 0)
    return copy
  })
  fc.assert(fc.property(damaged, frame => {
    const result = decodePdu(frame)
    if (!result.ok) {
      assert.ok(result.commandStatus > 0)
      return
    }
    assert.deepStrictEqual(decodePdu(encodePdu(result.pdu)), result)
  }), { numRuns: 20_000 })
})
