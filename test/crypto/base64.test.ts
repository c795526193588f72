import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { decodeBase64, isStandardBase64 } from '../../src/crypto/base64.ts'

// The regular expression isStandardBase64 replaced (for speed): the definition it must keep.
const ORACLE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

const EDGE_CASES = [
  '', 'A', 'AA', 'AAA', 'AAAA', 'AA==', 'AAA=', 'A===', '====', '=AAA', 'AA=A', 'A=AA', 'AAAA====', 'AAAAAA==', 'AAAAA===',
  'AB+/', 'AB-_', 'AB-/', 'AB_/', 'AA=\n', 'AAAA\n', ' AAAA', 'AA AA', 'AA\tA', 'AAA\u0000', 'AAA\u00e9', 'AA\u0141A',
  '\u0141AAA', 'AAA\ud800', 'QUJD', 'QUI=', 'QQ==', 'QR==', 'QUJ=', 'AAAA=', 'AAAAA', 'AAAAAA=', 'AAAA\r\n', 'AAAA==AA'
]

test('isStandardBase64 accepts and refuses exactly what the standard-base64 expression does', () => {
  for (const text of EDGE_CASES) assert.equal(isStandardBase64(text), ORACLE.test(text), JSON.stringify(text))
  for (let length = 0; length < 40; length++) {
    const encoded = randomBytes(length).toString('base64')
    assert.equal(isStandardBase64(encoded), true, encoded)
  }
})

test('isStandardBase64 agrees with the expression on random strings of base64 and its neighbours', () => {
  const random = seeded(14)
  const pieces = ['A', 'z', '0', '9', '+', '/', '=', '-', '_', ' ', '\n', '.', '\u00ff', '\u0100', '\u0141', '\ud83d\ude00', '\u0000']
  for (let round = 0; round < 20_000; round++) {
    const length = round % 14
    let text = ''
    for (let i = 0; i < length; i++) {
      // Mostly alphabet, with padding near the end and the odd stranger, so both outcomes occur.
      const roll = random()
      text += roll < 0.6 ? 'Ab9+/'[Math.floor(random() * 5)] : roll < 0.8 ? '=' : pieces[Math.floor(random() * pieces.length)]
    }
    assert.equal(isStandardBase64(text), ORACLE.test(text), JSON.stringify(text))
  }
})

test('decodeBase64 trims surrounding whitespace, refuses the empty string and anything else', () => {
  assert.deepEqual(decodeBase64(' QUJD\n'), Buffer.from('ABC'))
  assert.deepEqual(decodeBase64('\tQQ==\r\n'), Buffer.from('A'))
  for (const text of ['', '  \n', 'QUJD QUJD', 'QUI', 'QU-D', 'QU_D', 'QQ=\n=']) {
    assert.throws(() => decodeBase64(text, 'the field'), { code: 'SMSGW_BAD_BASE64', message: 'the field is not valid base64' }, JSON.stringify(text))
  }
})

/** A small seeded generator (mulberry32), so that a failure replays. */
function seeded (seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
