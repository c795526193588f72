import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LabelCap, OTHER_LABEL } from '../../../src/http/observability/label-cap.ts'

test('LabelCap keeps allowed values and turns any other into other', () => {
  const cap = new LabelCap({ allowed: ['acme', 'test'], maxValues: 10 })
  assert.deepStrictEqual(['acme', 'stranger', 'test', 'acme', ''].map(value => cap.label(value)), ['acme', OTHER_LABEL, 'test', 'acme', OTHER_LABEL])
})

test('LabelCap turns values past maxValues into other, and keeps those it already labelled', () => {
  const cap = new LabelCap({ allowed: () => true, maxValues: 2 })
  assert.deepStrictEqual(['a', 'b', 'c', 'a', 'b', 'd'].map(value => cap.label(value)), ['a', 'b', OTHER_LABEL, 'a', 'b', OTHER_LABEL])
})

test('LabelCap allows any value up to maxValues when no list is given', () => {
  const cap = new LabelCap({ maxValues: 1 })
  assert.deepStrictEqual([cap.label('smsc-a'), cap.label('smsc-b')], ['smsc-a', OTHER_LABEL])
})
