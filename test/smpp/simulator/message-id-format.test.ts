import assert from 'node:assert/strict'
import { test } from 'node:test'
import { normaliseMessageId } from '../../../src/smpp/receipts/index.ts'
import { allowedMessageIdFormats, formatMessageId } from '../../../src/smpp/simulator/message-id-format.ts'

test('formatMessageId writes decimal, lower-case hex and zero-padded ids', () => {
  assert.deepStrictEqual(allowedMessageIdFormats, ['decimal', 'hex', 'zero-padded'])
  assert.deepStrictEqual([0, 9, 10, 255, 4096].map(id => formatMessageId(id, 'decimal')), ['0', '9', '10', '255', '4096'])
  assert.deepStrictEqual([0, 9, 10, 255, 4096].map(id => formatMessageId(id, 'hex')), ['0', '9', 'a', 'ff', '1000'])
  assert.deepStrictEqual([0, 42].map(id => formatMessageId(id, 'zero-padded')), ['0000000000', '0000000042'])
  assert.equal(formatMessageId(42, 'zero-padded', 4), '0042')
})

test('formatMessageId does not cut a number longer than the zero-padded width', () => {
  assert.equal(formatMessageId(123456, 'zero-padded', 4), '123456')
})

test('formatMessageId ids meet again under the gateway\'s normalisation', () => {
  for (const id of [1, 10, 4095, 99999999]) {
    const canonical = normaliseMessageId(formatMessageId(id, 'decimal'), 'decimal')
    assert.equal(normaliseMessageId(formatMessageId(id, 'hex'), 'hex'), canonical)
    assert.equal(normaliseMessageId(formatMessageId(id, 'zero-padded'), 'decimal'), canonical)
  }
})
