import assert from 'node:assert/strict'
import { test } from 'node:test'
import { someJsonValue } from '../../src/domain/json-walk.ts'

test('someJsonValue finds a value anywhere in the document: the document, items, fields, deep down', () => {
  const isNumber = (value: unknown): boolean => typeof value === 'number'
  assert.deepEqual(['1', '"a"', '[]', '{}', '["a",{"b":[true,null,{"c":2}]}]', '{"__proto__":{"x":1}}', '[{"a":"x"},{"b":"y"}]'].map(text => someJsonValue(JSON.parse(text), isNumber)),
    [true, false, false, false, true, true, false])
})

test('someJsonValue gives the document depth 1 and each item or field one more than its container', () => {
  const depths: number[] = []
  someJsonValue(JSON.parse('{"a":[1,{"b":2}]}'), (_value, depth) => { depths.push(depth); return false })
  assert.deepEqual(depths.sort(), [1, 2, 3, 3, 4])
})

test('someJsonValue walks a document nested far deeper than the stack would allow a recursion', () => {
  const depth = 200_000
  const document: unknown = JSON.parse(`${'['.repeat(depth)}7${']'.repeat(depth)}`)
  assert.equal(someJsonValue(document, (value, at) => value === 7 && at === depth + 1), true)
})
