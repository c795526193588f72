import assert from 'node:assert/strict'
import { test } from 'node:test'
import { idProblem, MAX_CLIENT_ID_BYTES, MAX_CORREL_ID_BYTES } from '../../src/domain/request-ids.ts'

test('idProblem finds nothing wrong with ids at the limit, in ASCII and in characters of several bytes', () => {
  for (const id of ['C1', 'x'.repeat(MAX_CORREL_ID_BYTES), 'é'.repeat(MAX_CORREL_ID_BYTES / 2), '😀'.repeat(MAX_CORREL_ID_BYTES / 4), 'a b/c%d']) {
    assert.deepStrictEqual(idProblem(id, MAX_CORREL_ID_BYTES), undefined, id)
  }
  assert.deepStrictEqual(idProblem('k'.repeat(MAX_CLIENT_ID_BYTES), MAX_CLIENT_ID_BYTES), undefined)
})

test('idProblem counts bytes in UTF-8, not characters', () => {
  assert.deepStrictEqual(idProblem('x'.repeat(MAX_CORREL_ID_BYTES + 1), MAX_CORREL_ID_BYTES), 'is longer than 256 bytes in UTF-8')
  // 129 characters of two bytes each: 258 bytes.
  assert.deepStrictEqual(idProblem('é'.repeat(129), MAX_CORREL_ID_BYTES), 'is longer than 256 bytes in UTF-8')
  assert.deepStrictEqual(idProblem('😀'.repeat(17), MAX_CLIENT_ID_BYTES), 'is longer than 64 bytes in UTF-8')
  assert.deepStrictEqual(idProblem('x'.repeat(60_000), MAX_CORREL_ID_BYTES), 'is longer than 256 bytes in UTF-8')
})

test('idProblem refuses a lone surrogate, which UTF-8 would turn into U+FFFD', () => {
  for (const id of ['a\ud800', '\udc00b', 'x\ud83d']) {
    assert.deepStrictEqual(idProblem(id, MAX_CORREL_ID_BYTES), 'is not well-formed Unicode (it holds a lone surrogate)')
  }
})

test('idProblem refuses C0, DEL and C1 control characters', () => {
  for (const id of ['a\tb', 'a\nb', '\u0000', 'x\u007f', 'x\u0085', '\u009f']) {
    assert.deepStrictEqual(idProblem(id, MAX_CORREL_ID_BYTES), 'holds a control character (U+0000-U+001F or U+007F-U+009F)', JSON.stringify(id))
  }
})
