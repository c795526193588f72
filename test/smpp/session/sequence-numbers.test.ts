import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_SEQUENCE_NUMBER, SequenceNumbers } from '../../../src/smpp/session/index.ts'

test('SequenceNumbers counts from 1', () => {
  const numbers = new SequenceNumbers()
  assert.deepStrictEqual([numbers.next(() => false), numbers.next(() => false), numbers.next(() => false)], [1, 2, 3])
})

test('SequenceNumbers wraps from 0x7FFFFFFF to 1, never giving 0', () => {
  const numbers = new SequenceNumbers(MAX_SEQUENCE_NUMBER - 1)
  assert.deepStrictEqual([numbers.next(() => false), numbers.next(() => false)], [0x7fffffff, 1])
})

test('SequenceNumbers skips numbers still outstanding', () => {
  const outstanding = new Set([0x7fffffff, 1, 3])
  const numbers = new SequenceNumbers(MAX_SEQUENCE_NUMBER - 1)
  const taken = [0, 1, 2].map(() => numbers.next(number => outstanding.has(number)))
  assert.deepStrictEqual(taken, [2, 4, 5])
})
