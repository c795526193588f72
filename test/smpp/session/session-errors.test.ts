import assert from 'node:assert/strict'
import { test } from 'node:test'
import { commandStatus } from '../../../src/smpp/codec/index.ts'
import {
  bindRefused, submitCutOff, submitNotBound, submitRefused, submitTimedOut
} from '../../../src/smpp/session/session-errors.ts'

function flags (error: { code: string, commandStatus: number | undefined, retryable: boolean, sessionSurvives: boolean, written?: boolean, outcomeUnknown?: boolean }): object {
  return {
    code: error.code,
    commandStatus: error.commandStatus,
    written: error.written,
    outcomeUnknown: error.outcomeUnknown,
    retryable: error.retryable,
    sessionSurvives: error.sessionSurvives
  }
}

test('submit errors say whether the message may have gone out', () => {
  assert.deepStrictEqual([
    flags(submitRefused('submit_sm_resp', commandStatus.ESME_RINVDSTADR)),
    flags(submitRefused('submit_sm_resp', commandStatus.ESME_RSYSERR)),
    flags(submitTimedOut(true, 10_000)),
    flags(submitTimedOut(false, 10_000)),
    flags(submitCutOff(true, undefined)),
    flags(submitCutOff(false, undefined)),
    flags(submitNotBound('binding'))
  ], [
    { code: 'SMSGW_SMPP_SUBMIT', commandStatus: 0x0b, written: true, outcomeUnknown: false, retryable: false, sessionSurvives: true },
    { code: 'SMSGW_SMPP_SUBMIT', commandStatus: 0x08, written: true, outcomeUnknown: false, retryable: true, sessionSurvives: true },
    { code: 'SMSGW_SMPP_RESPONSE_TIMEOUT', commandStatus: undefined, written: true, outcomeUnknown: true, retryable: false, sessionSurvives: true },
    { code: 'SMSGW_SMPP_RESPONSE_TIMEOUT', commandStatus: undefined, written: false, outcomeUnknown: false, retryable: true, sessionSurvives: true },
    { code: 'SMSGW_SMPP_CLOSED', commandStatus: undefined, written: true, outcomeUnknown: true, retryable: false, sessionSurvives: false },
    { code: 'SMSGW_SMPP_CLOSED', commandStatus: undefined, written: false, outcomeUnknown: false, retryable: true, sessionSurvives: false },
    { code: 'SMSGW_SMPP_NOT_BOUND', commandStatus: undefined, written: false, outcomeUnknown: false, retryable: true, sessionSurvives: false }
  ])
})

test('submit errors keep their fields enumerable and their messages free of the message', () => {
  const error = submitRefused('submit_sm_resp', commandStatus.ESME_RTHROTTLED)
  assert.deepStrictEqual(Object.keys(error).sort(), ['code', 'commandStatus', 'name', 'outcomeUnknown', 'retryable', 'sessionSurvives', 'written'])
  assert.equal(error.message, 'SMSC refused submit_sm: submit_sm_resp ESME_RTHROTTLED')
})

test('a refused bind is retryable unless the credentials or system type are wrong', () => {
  assert.deepStrictEqual([
    bindRefused('bind_transceiver_resp', commandStatus.ESME_RBINDFAIL).retryable,
    bindRefused('bind_transceiver_resp', commandStatus.ESME_RALYBND).retryable,
    bindRefused('bind_transceiver_resp', commandStatus.ESME_RINVPASWD).retryable,
    bindRefused('bind_transceiver_resp', commandStatus.ESME_RINVSYSID).retryable
  ], [true, true, false, false])
})
