import assert from 'node:assert/strict'
import { test } from 'node:test'
import { allowedUserDataEncodings, userDataEncodingOf } from '../../../src/sms/encoding/data-coding.ts'

test('userDataEncodingOf reads the SMPP 3.4 data codings we understand', () => {
  assert.deepStrictEqual([0x00, 0x01, 0x02, 0x03, 0x04, 0x08].map(userDataEncodingOf), ['gsm7', 'ascii', 'binary', 'latin1', 'binary', 'ucs2'])
})

test('userDataEncodingOf reads GSM message class codings by their 8-bit flag', () => {
  assert.deepStrictEqual([0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7].map(userDataEncodingOf), ['gsm7', 'gsm7', 'gsm7', 'binary', 'binary', 'binary'])
})

test('userDataEncodingOf reads data codings we do not know as binary', () => {
  assert.deepStrictEqual([0x05, 0x06, 0x07, 0x09, 0x0e, 0x10, 0x18, 0xc0].map(userDataEncodingOf), Array(8).fill('binary'))
})

test('allowedUserDataEncodings lists the five encodings', () => {
  assert.deepStrictEqual(allowedUserDataEncodings, ['gsm7', 'ascii', 'latin1', 'ucs2', 'binary'])
})
