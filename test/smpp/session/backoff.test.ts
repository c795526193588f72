import assert from 'node:assert/strict'
import { test } from 'node:test'
import { backoffDelayMs } from '../../../src/smpp/session/index.ts'

test('backoffDelayMs doubles from initialMs up to maxMs', () => {
  const delays = [1, 2, 3, 4, 5, 6, 7, 8].map(attempt => backoffDelayMs(attempt, { initialMs: 1_000, maxMs: 60_000, jitter: 'full', random: () => 0.999999 }))
  assert.deepStrictEqual(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000])
})

test('backoffDelayMs spreads full jitter over [0, delay) and equal jitter over [delay/2, delay)', () => {
  const at = (random: number, jitter: 'full' | 'equal'): number => backoffDelayMs(3, { initialMs: 100, maxMs: 1_000, jitter, random: () => random })
  assert.deepStrictEqual([at(0, 'full'), at(0.5, 'full'), at(0, 'equal'), at(0.5, 'equal')], [0, 200, 200, 300])
})

test('backoffDelayMs stays finite for a huge attempt count', () => {
  assert.equal(backoffDelayMs(10_000, { initialMs: 1_000, maxMs: 30_000, jitter: 'equal', random: () => 0 }), 15_000)
})
