import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { allowedSmsStatuses } from '../../../src/domain/status-event.ts'
import {
  allowedReceiptStats, messageStates, receiptStats, receiptStatus, statOfMessageState
} from '../../../src/smpp/receipts/receipt-status.ts'

// Spec §7's table, row by row, with an err field and without one.
const table: ReadonlyArray<readonly [stat: string, err: string | undefined, expected: object]> = [
  ['DELIVRD', '000', { status: 'DELIVERED' }],
  ['ACCEPTD', '000', { status: 'SENT' }],
  ['ENROUTE', undefined, { status: 'SENT' }],
  ['EXPIRED', '000', { status: 'EXPIRED' }],
  ['DELETED', '005', { status: 'FAILED', errorText: 'Message was deleted' }],
  ['UNDELIV', '034', { status: 'FAILED', errorText: 'Message was undeliverable: 034' }],
  ['UNDELIV', undefined, { status: 'FAILED', errorText: 'Message was undeliverable: (no error message)' }],
  ['UNKNOWN', '001', { status: 'FAILED', errorText: 'SMSC delivery state UNKNOWN: 001' }],
  ['UNKNOWN', undefined, { status: 'FAILED', errorText: 'SMSC delivery state UNKNOWN: (no error message)' }],
  ['REJECTD', '0x0B', { status: 'INVALID', errorText: 'SMSC rejects message: 0x0B' }],
  ['REJECTD', undefined, { status: 'INVALID', errorText: 'SMSC rejects message: (no error message)' }],
  ['FOO', '7', { status: 'FAILED', errorText: 'Unknown delivery state: FOO: 7' }],
  ['FOO', undefined, { status: 'FAILED', errorText: 'Unknown delivery state: FOO: (no error message)' }]
]

for (const [stat, err, expected] of table) {
  test(`receiptStatus maps stat ${stat} with err ${String(err)} as spec §7 says`, () => {
    assert.deepStrictEqual(receiptStatus(stat, err), expected)
  })
}

test('receiptStatus reads a blank err as no error message', () => {
  assert.deepStrictEqual(receiptStatus('UNDELIV', '  '), { status: 'FAILED', errorText: 'Message was undeliverable: (no error message)' })
  assert.deepStrictEqual(receiptStatus('UNDELIV', ''), { status: 'FAILED', errorText: 'Message was undeliverable: (no error message)' })
})

test('receiptStatus matches stat regardless of case and surrounding spaces, and quotes an unknown one as written', () => {
  assert.deepStrictEqual(receiptStatus(' delivrd ', undefined), { status: 'DELIVERED' })
  assert.deepStrictEqual(receiptStatus('Rejectd', ' 12 '), { status: 'INVALID', errorText: 'SMSC rejects message: 12' })
  assert.deepStrictEqual(receiptStatus(' Weird ', undefined), { status: 'FAILED', errorText: 'Unknown delivery state: Weird: (no error message)' })
})

test('receiptStatus reports a missing stat as an unknown, empty delivery state', () => {
  assert.deepStrictEqual(receiptStatus(undefined, undefined), { status: 'FAILED', errorText: 'Unknown delivery state: : (no error message)' })
})

test('statOfMessageState names the message_state values of SMPP 3.4 §5.2.28', () => {
  assert.deepStrictEqual([1, 2, 3, 4, 5, 6, 7, 8].map(statOfMessageState),
    ['ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD'])
  assert.deepStrictEqual(messageStates, { enroute: 1, delivered: 2, expired: 3, deleted: 4, undeliverable: 5, accepted: 6, unknown: 7, rejected: 8 })
})

test('statOfMessageState gives the digits of other values, which receiptStatus reports as unknown', () => {
  assert.equal(statOfMessageState(0), '0')
  assert.equal(statOfMessageState(9), '9')
  assert.deepStrictEqual(receiptStatus(statOfMessageState(9), undefined), { status: 'FAILED', errorText: 'Unknown delivery state: 9: (no error message)' })
})

test('statOfMessageState names each message_state after its receipt stat', () => {
  for (const name of Object.keys(messageStates) as Array<keyof typeof messageStates>) {
    assert.equal(statOfMessageState(messageStates[name]), receiptStats[name])
  }
  assert.equal(allowedReceiptStats.length, Object.keys(messageStates).length)
  assert.deepStrictEqual(receiptStatus(statOfMessageState(messageStates.rejected), '0x0B'), { status: 'INVALID', errorText: 'SMSC rejects message: 0x0B' })
})

test('receiptStatus gives a contract status for any stat and err', () => {
  fc.assert(fc.property(fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: undefined }), (stat, err) => {
    const { status, errorText } = receiptStatus(stat, err)
    assert.ok(allowedSmsStatuses.includes(status))
    assert.equal(errorText === undefined, ['DELIVERED', 'SENT', 'EXPIRED'].includes(status))
  }), { numRuns: 2000 })
})
