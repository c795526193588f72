import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  commandIds, commandName, commandStatus, commandStatusName, commandStatusTable, describeCommandStatus, isResponseId, responseOf
} from '../../../src/smpp/codec/constants.ts'

test('commandStatusTable has one row per code and per name', () => {
  const codes = commandStatusTable.map(row => row.code)
  const names = commandStatusTable.flatMap(row => 'alias' in row ? [row.name, row.alias] : [row.name])
  assert.equal(new Set(codes).size, codes.length)
  assert.equal(new Set(names).size, names.length)
  assert.deepStrictEqual([...codes].sort((a, b) => a - b), codes, 'rows in code order')
})

test('commandStatus maps the names of SMPP 3.4 §5.1.3 and the SMPP 5.0 TLV aliases to their codes', () => {
  assert.deepStrictEqual({
    ok: commandStatus.ESME_ROK,
    msgLen: commandStatus.ESME_RINVMSGLEN,
    cmdLen: commandStatus.ESME_RINVCMDLEN,
    cmdId: commandStatus.ESME_RINVCMDID,
    bindStatus: commandStatus.ESME_RINVBNDSTS,
    alreadyBound: commandStatus.ESME_RALYBND,
    systemError: commandStatus.ESME_RSYSERR,
    source: commandStatus.ESME_RINVSRCADR,
    destination: commandStatus.ESME_RINVDSTADR,
    messageId: commandStatus.ESME_RINVMSGID,
    bindFailed: commandStatus.ESME_RBINDFAIL,
    password: commandStatus.ESME_RINVPASWD,
    systemId: commandStatus.ESME_RINVSYSID,
    queueFull: commandStatus.ESME_RMSGQFUL,
    esmClass: commandStatus.ESME_RINVESMCLASS,
    destinationTon: commandStatus.ESME_RINVDSTTON,
    throttled: commandStatus.ESME_RTHROTTLED,
    temporaryApp: commandStatus.ESME_RX_T_APPN,
    permanentApp: commandStatus.ESME_RX_P_APPN,
    rejectApp: commandStatus.ESME_RX_R_APPN,
    tlvStream: commandStatus.ESME_RINVTLVSTREAM,
    optionalStream: commandStatus.ESME_RINVOPTPARSTREAM,
    missingTlv: commandStatus.ESME_RMISSINGTLV,
    unknown: commandStatus.ESME_RUNKNOWNERR,
    dataCoding: commandStatus.ESME_RINVDCS
  }, {
    ok: 0,
    msgLen: 0x01,
    cmdLen: 0x02,
    cmdId: 0x03,
    bindStatus: 0x04,
    alreadyBound: 0x05,
    systemError: 0x08,
    source: 0x0a,
    destination: 0x0b,
    messageId: 0x0c,
    bindFailed: 0x0d,
    password: 0x0e,
    systemId: 0x0f,
    queueFull: 0x14,
    esmClass: 0x43,
    destinationTon: 0x50,
    throttled: 0x58,
    temporaryApp: 0x64,
    permanentApp: 0x65,
    rejectApp: 0x66,
    tlvStream: 0xc0,
    optionalStream: 0xc0,
    missingTlv: 0xc3,
    unknown: 0xff,
    dataCoding: 0x104
  })
})

test('describeCommandStatus and commandStatusName name defined, vendor and reserved codes', () => {
  assert.deepStrictEqual(describeCommandStatus(0x58), { code: 0x58, name: 'ESME_RTHROTTLED', description: 'Throttling error (ESME has exceeded allowed message limits)' })
  assert.equal(describeCommandStatus(0x09), undefined)
  assert.equal(commandStatusName(0x14), 'ESME_RMSGQFUL')
  assert.equal(commandStatusName(0x401), 'vendor-specific 0x00000401')
  assert.equal(commandStatusName(0x09), 'reserved 0x00000009')
})

test('commandName names every command_id of §5.1.2 and nothing else', () => {
  assert.equal(commandName(0x00000004), 'submit_sm')
  assert.equal(commandName(0x80000009), 'bind_transceiver_resp')
  assert.equal(commandName(0x80000000), 'generic_nack')
  assert.equal(commandName(0x00000110), undefined)
  const ids = Object.values(commandIds)
  assert.equal(new Set(ids).size, ids.length)
})

test('responseOf pairs each request with the response that has the response bit set', () => {
  for (const [request, response] of Object.entries(responseOf)) {
    assert.equal(commandIds[response], (commandIds[request as keyof typeof responseOf] | 0x80000000) >>> 0, request)
    assert.ok(isResponseId(commandIds[response]) && !isResponseId(commandIds[request as keyof typeof responseOf]))
  }
})
