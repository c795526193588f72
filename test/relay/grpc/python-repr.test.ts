import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pythonStringRepr } from '../../../src/relay/grpc/python-repr.ts'

// Python's repr() of a str as upstream's DeleteEntity text prints account identifiers; the
// expected values are what python3 (3.11) printed for the same strings.

test('pythonStringRepr quotes and escapes as Python\'s repr() does', () => {
  const cases: Array<[string, string]> = [
    ['alice@gmail.example', "'alice@gmail.example'"],
    ["o'brien", '"o\'brien"'],
    ['say "hi"', '\'say "hi"\''],
    ['both \' and "', "'both \\' and \"'"],
    ['back\\slash', "'back\\\\slash'"],
    ['tab\tline\nreturn\r', "'tab\\tline\\nreturn\\r'"],
    ['\u0000\u001f\u007f\u0085', "'\\x00\\x1f\\x7f\\x85'"],
    ['no\u00a0break', "'no\\xa0break'"],
    ['zero\u200bwidth\u2028', "'zero\\u200bwidth\\u2028'"],
    ['émoji 😀 ✓ 名前', "'émoji 😀 ✓ 名前'"],
    ['private\u{f0000}', "'private\\U000f0000'"],
    ['', "''"]
  ]
  for (const [text, repr] of cases) assert.equal(pythonStringRepr(text), repr, JSON.stringify(text))
})
