import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodeGsm7, encodeGsm7, gsmSeptetLength, gsmSeptetsOf } from '../../../src/sms/encoding/gsm7.ts'
import { gsmText } from './arbitraries.ts'

const hex = (bytes: Buffer | null): string | null => bytes === null ? null : bytes.toString('hex')

test('encodeGsm7 gives ASCII letters, digits and punctuation the septets of their ASCII codes', () => {
  assert.equal(hex(encodeGsm7('Hello, World 42!?')), '48656c6c6f2c20576f726c64203432213f')
})

test('encodeGsm7 gives the characters where GSM differs from ASCII their own septets', () => {
  assert.equal(hex(encodeGsm7('@£$¥_¤§¡¿')), '0001020311245f4060')
})

const extensionVectors: ReadonlyArray<readonly [string, string]> = [
  ['€', '1b65'], ['{', '1b28'], ['}', '1b29'], ['[', '1b3c'], [']', '1b3e'], ['~', '1b3d'],
  ['|', '1b40'], ['^', '1b14'], ['\\', '1b2f'], ['\f', '1b0a']
]

for (const [character, expected] of extensionVectors) {
  test(`encodeGsm7 writes ${JSON.stringify(character)} as escape + ${expected.slice(2)} and decodeGsm7 reads it back`, () => {
    assert.equal(hex(encodeGsm7(character)), expected)
    assert.equal(decodeGsm7(Buffer.from(expected, 'hex')), character)
    assert.equal(gsmSeptetLength(character), 2)
  })
}

test('encodeGsm7 writes the accented Latin letters of the default alphabet', () => {
  assert.equal(hex(encodeGsm7('éüñÄØÅÇèùìòÉÖÜäöàåøÑæÆß')), '057e7d5b0b0e09040607081f5c5e7b7c7f0f0c5d1d1c1e')
})

test('encodeGsm7 refuses accented letters outside the default alphabet, lower-case ç among them', () => {
  for (const character of ['ç', 'ê', 'á', 'í', 'ó', 'ú', 'â', 'ã', 'õ', 'ë', 'ï', 'ő', 'Ê']) {
    assert.equal(encodeGsm7(`a${character}b`), null, character)
    assert.equal(gsmSeptetLength(character), null, character)
  }
})

test('encodeGsm7 writes the Greek capitals of the default alphabet and refuses those that look Latin', () => {
  assert.equal(hex(encodeGsm7('ΔΦΓΛΩΠΨΣΘΞ')), '1012131415161718191a')
  for (const character of ['Α', 'Β', 'Ε', 'Ο', 'α', 'δ']) assert.equal(encodeGsm7(character), null, character)
})

test('encodeGsm7 refuses ASCII characters missing from the alphabet, the escape control character, and non-Latin scripts', () => {
  for (const text of ['`', '\u001b', '\t', 'Привет', 'مرحبا', '你好', '😀']) assert.equal(encodeGsm7(text), null, text)
})

test('encodeGsm7 writes line feed, carriage return and an empty text', () => {
  assert.equal(hex(encodeGsm7('a\r\nb')), '610d0a62')
  assert.equal(hex(encodeGsm7('')), '')
})

test('gsmSeptetLength counts extension characters twice', () => {
  assert.equal(gsmSeptetLength('a€{b'), 6)
  assert.equal(gsmSeptetLength(''), 0)
  assert.equal(gsmSeptetsOf('a'.charCodeAt(0)), 1)
  assert.equal(gsmSeptetsOf('€'.charCodeAt(0)), 2)
  assert.equal(gsmSeptetsOf('ç'.charCodeAt(0)), 0)
})

test('decodeGsm7 reads an escape before an undefined extension septet as the default character', () => {
  assert.equal(decodeGsm7(Buffer.from('1b41', 'hex')), 'A')
  assert.equal(decodeGsm7(Buffer.from('1b00', 'hex')), '@')
})

test('decodeGsm7 reads a double escape and a final escape as spaces', () => {
  assert.equal(decodeGsm7(Buffer.from('611b1b62', 'hex')), 'a b')
  assert.equal(decodeGsm7(Buffer.from('611b', 'hex')), 'a ')
})

test('decodeGsm7 reads a byte above 0x7F as U+FFFD, also after an escape', () => {
  assert.equal(decodeGsm7(Buffer.from('61ff621b80', 'hex')), 'a\ufffdb\ufffd')
})

test('decodeGsm7 inverts encodeGsm7 for every text that fits', () => {
  fc.assert(fc.property(gsmText(400), text => {
    const septets = encodeGsm7(text)
    assert.ok(septets !== null)
    assert.equal(septets.length, gsmSeptetLength(text))
    assert.equal(decodeGsm7(septets), text)
  }), { numRuns: 1000 })
})

test('encodeGsm7 fits a text exactly when gsmSeptetLength counts it, for arbitrary text', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), text => {
    const septets = encodeGsm7(text)
    assert.equal(septets === null, gsmSeptetLength(text) === null)
    if (septets !== null) assert.equal(decodeGsm7(septets), text)
  }), { numRuns: 300 })
})

test('decodeGsm7 gives text for arbitrary bytes, one character per byte outside escape sequences', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), bytes => {
    const text = decodeGsm7(bytes)
    assert.ok(text.length <= bytes.length)
  }), { numRuns: 1000 })
})
