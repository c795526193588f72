import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeBase64AsPython } from '../../../src/relay/ingress/python-base64.ts'

// The Gateway Server's base64 (Python's lenient b64decode), which decides what is a segment, a
// bridge payload or invalid. Every expected value was printed by Python 3's base64.b64decode.

const vectors: Array<[string, string | undefined]> = [
  ['', ''],
  ['QQ==', '41'],
  ['QQ', undefined],
  ['QUJD', '414243'],
  ['QUJDRA==', '41424344'],
  ['QU JD\nRA==', '41424344'],
  ['Q=Q=', undefined],
  ['QUI=QUJD', '4142'],
  ['QUJD=', '414243'],
  ['QUJDR', undefined],
  ['QUJDRA=', undefined],
  ['QQ==QUJD', '41'],
  ['=QUJD', '414243'],
  ['QU=JD', '414243'],
  ['-_QUJD', '414243'],
  ['héllo', undefined],
  ['AAAA', '000000'],
  ['BAEC', '040102'],
  ['BAEAAwoAFAA=rest', '040100030a001400']
]

test('decodeBase64AsPython decodes as Python\'s lenient b64decode: skips what is not base64, stops after completing padding, fails on a partial quantum or non-ASCII', () => {
  for (const [text, hex] of vectors) assert.equal(decodeBase64AsPython(text)?.toString('hex'), hex, JSON.stringify(text))
})
