import assert from 'node:assert/strict'
import { test } from 'node:test'
import { commandStatus } from '../../../src/smpp/codec/index.ts'
import {
  bindRefused, submitCutOff, submitNotBound, submitRefused, submitTimedOut
} from '../../../src/smpp/session/session-errors.ts'
import { submitFields } from './memory-link.ts'

test('submit errors say whether the message may have gone out', () => {
  assert.deepStrictEqual([
    submitFields(submitRefused('submit_sm_resp', commandStatus.ESME_RINVDSTADR)),
    submitFields(submitRefused('submit_sm_resp', commandStatus.ESME_RSYSERR)),
    submitFields(submitTimedOut(true, 10_000)),
    submitFields(submitTimedOut(false, 10_000)),
    submitFields(submitCutOff(true, undefined)),
    submitFields(submitCutOff(false, undefined)),
    submitFields(submitNotBound('binding'))
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
