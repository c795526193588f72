import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_LOOPBACK_LONG_DELAY_MS, DEFAULT_LOOPBACK_NORMAL_DELAY_MS } from '../../../../src/config/defaults.ts'
import { loopbackMarker, loopbackScript, type LoopbackStep } from '../../../../src/gateway/backends/loopback/loopback-script.ts'

const delays = { normalDelayMs: 100, longDelayMs: 1500 }
const NORMAL = 100
const LONG = 1600

// Spec §6, row by row, with the default delays.
const table: ReadonlyArray<readonly [marker: string, steps: LoopbackStep[]]> = [
  ['S0D0', []],
  ['S0D1', [{ afterMs: NORMAL, status: 'DELIVERED' }]],
  ['S1D0', [{ afterMs: NORMAL, status: 'SENT' }]],
  ['S0X1', [{ afterMs: NORMAL, status: 'EXPIRED', errorText: 'Expired message' }]],
  ['S0I1', [{ afterMs: NORMAL, status: 'INVALID', errorText: 'Invalid message' }]],
  ['S1X1', [{ afterMs: NORMAL, status: 'SENT' }, { afterMs: LONG, status: 'EXPIRED', errorText: 'Expired after successful send' }]],
  ['S1I1', [{ afterMs: NORMAL, status: 'SENT' }, { afterMs: LONG, status: 'INVALID', errorText: 'Invalid after successful send' }]],
  ['S1D1', [{ afterMs: NORMAL, status: 'SENT' }, { afterMs: LONG, status: 'DELIVERED' }]],
  ['S2D0', [{ afterMs: NORMAL, status: 'SENT' }, { afterMs: LONG, status: 'SENT' }]],
  ['D1S1', [{ afterMs: NORMAL, status: 'DELIVERED' }, { afterMs: LONG, status: 'SENT' }]],
  ['S1F1', [{ afterMs: NORMAL, status: 'SENT' }, { afterMs: LONG, status: 'FAILED', errorText: 'Failed after successful send' }]],
  ['F1S1', [{ afterMs: NORMAL, status: 'FAILED', errorText: 'Reporting failed before reporting sent' }, { afterMs: LONG, status: 'SENT' }]],
  ['FAIL', [{ afterMs: LONG, status: 'FAILED', errorText: 'You requested this to FAIL' }]]
]

for (const [marker, steps] of table) {
  test(`loopbackScript answers marker ${marker} as spec §6 says`, () => {
    assert.deepStrictEqual(loopbackScript(`Hello, ${marker} world`, delays), steps)
    assert.equal(loopbackMarker(`Hello, ${marker} world`), marker)
  })
}

test('loopbackScript answers SENT then DELIVERED when the body has no marker', () => {
  assert.deepStrictEqual(loopbackScript('Hello world', delays), [{ afterMs: NORMAL, status: 'SENT' }, { afterMs: LONG, status: 'DELIVERED' }])
  assert.equal(loopbackMarker('Hello world'), undefined)
})

test('loopbackScript matches markers case-sensitively', () => {
  assert.deepStrictEqual(loopbackScript('s0d0 fail', delays), [{ afterMs: NORMAL, status: 'SENT' }, { afterMs: LONG, status: 'DELIVERED' }])
})

test('loopbackScript takes the first marker of the table, not the first in the body', () => {
  assert.equal(loopbackMarker('FAIL S1D1 S0D0'), 'S0D0')
  assert.deepStrictEqual(loopbackScript('FAIL then S1D0', delays), [{ afterMs: NORMAL, status: 'SENT' }])
  assert.deepStrictEqual(loopbackScript('F1S1 and FAIL', delays).map(step => step.status), ['FAILED', 'SENT'])
})

test('loopbackScript finds a marker inside a word and across lines', () => {
  assert.equal(loopbackMarker('xxS0I1yy'), 'S0I1')
  assert.equal(loopbackMarker('line one\nS2D0'), 'S2D0')
})

test('loopbackScript times the long step as normal plus long delay', () => {
  assert.deepStrictEqual(loopbackScript('S1D1', { normalDelayMs: 5, longDelayMs: 20 }), [{ afterMs: 5, status: 'SENT' }, { afterMs: 25, status: 'DELIVERED' }])
  assert.deepStrictEqual(loopbackScript('FAIL', { normalDelayMs: 0, longDelayMs: 0 }), [{ afterMs: 0, status: 'FAILED', errorText: 'You requested this to FAIL' }])
})

test('the loopback delays default to 100 ms and 1500 ms', () => {
  assert.deepStrictEqual([DEFAULT_LOOPBACK_NORMAL_DELAY_MS, DEFAULT_LOOPBACK_LONG_DELAY_MS], [100, 1500])
})
