import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodeUcs2, encodeUcs2 } from '../../../src/sms/encoding/ucs2.ts'

const vectors: ReadonlyArray<readonly [script: string, text: string, hex: string]> = [
  ['Cyrillic', 'Привет', '041f04400438043204350442'],
  ['Arabic', 'مرحبا', '06450631062d06280627'],
  ['Chinese', '你好', '4f60597d'],
  ['Latin outside GSM', 'ç', '00e7'],
  ['an emoji as a surrogate pair', '😀', 'd83dde00'],
  ['an emoji with a skin tone', '👍🏽', 'd83ddc4dd83cdffd'],
  ['a ZWJ sequence', '👨‍👩‍👧', 'd83ddc68200dd83ddc69200dd83ddc67']
]

for (const [script, text, expected] of vectors) {
  test(`encodeUcs2 writes ${script} as UTF-16BE and decodeUcs2 reads it back`, () => {
    assert.equal(encodeUcs2(text).toString('hex'), expected)
    assert.equal(decodeUcs2(Buffer.from(expected, 'hex')), text)
  })
}

test('encodeUcs2 keeps a lone surrogate as one code unit', () => {
  assert.equal(encodeUcs2('a\ud83d').toString('hex'), '0061d83d')
  assert.equal(decodeUcs2(Buffer.from('dc00', 'hex')), '\udc00')
})

test('decodeUcs2 reads an odd last byte as U+FFFD and leaves its input untouched', () => {
  const bytes = Buffer.from('004100', 'hex')
  assert.equal(decodeUcs2(bytes), 'A\ufffd')
  assert.equal(bytes.toString('hex'), '004100')
})

test('decodeUcs2 joins a surrogate pair split across two parts when their texts are concatenated', () => {
  const bytes = encodeUcs2('😀')
  assert.equal(decodeUcs2(bytes.subarray(0, 2)) + decodeUcs2(bytes.subarray(2)), '😀')
})

test('decodeUcs2 inverts encodeUcs2 for arbitrary text, lone surrogates included', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), text => {
    const bytes = encodeUcs2(text)
    assert.equal(bytes.length, text.length * 2)
    assert.equal(decodeUcs2(bytes), text)
  }), { numRuns: 300 })
})
