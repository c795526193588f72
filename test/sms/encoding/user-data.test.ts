import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { allowedUserDataEncodings } from '../../../src/sms/encoding/data-coding.ts'
import { decodeUserData } from '../../../src/sms/encoding/user-data.ts'

const bytes = (hex: string): Buffer => Buffer.from(hex.replaceAll(' ', ''), 'hex')
const decoded = (hex: string, dataCoding: number, udhi: boolean): object | null => {
  const data = decodeUserData(bytes(hex), dataCoding, udhi)
  return data === null ? null : { ...data, payload: data.payload.toString('hex') }
}

test('decodeUserData reads GSM 7-bit septets after an 8-bit reference concatenation header', () => {
  assert.deepStrictEqual(decoded('05 00 03 2a 02 01 48 65 6c 6c 6f 1b 65', 0x00, true), {
    text: 'Hello€', encoding: 'gsm7', payload: '48656c6c6f1b65', concat: { ref: 0x2a, referenceBits: 8, total: 2, seq: 1 }
  })
})

test('decodeUserData reads UCS-2 after a 16-bit reference concatenation header', () => {
  assert.deepStrictEqual(decoded('06 08 04 12 34 02 02 04 1f d8 3d de 00', 0x08, true), {
    text: 'П😀', encoding: 'ucs2', payload: '041fd83dde00', concat: { ref: 0x1234, referenceBits: 16, total: 2, seq: 2 }
  })
})

test('decodeUserData reads the whole message as user data when UDHI is not set', () => {
  assert.deepStrictEqual(decoded('05 00 03', 0x01, false), { text: '\u0005\u0000\u0003', encoding: 'ascii', payload: '050003' })
})

test('decodeUserData reads IA5 as ASCII and a byte above 0x7F as U+FFFD', () => {
  assert.deepStrictEqual(decoded('48 69 7e 80', 0x01, false), { text: 'Hi~\ufffd', encoding: 'ascii', payload: '48697e80' })
})

test('decodeUserData reads Latin-1 byte for byte', () => {
  assert.deepStrictEqual(decoded('e7 e9 a4 80', 0x03, false), { text: 'çé¤\u0080', encoding: 'latin1', payload: 'e7e9a480' })
})

test('decodeUserData gives 8-bit data as lower-case hex, after the header', () => {
  assert.deepStrictEqual(decoded('05 00 03 01 01 01 00 ff 0A', 0x04, true), {
    text: '00ff0a', encoding: 'binary', payload: '00ff0a', concat: { ref: 1, referenceBits: 8, total: 1, seq: 1 }
  })
  assert.deepStrictEqual(decoded('c0 01', 0x02, false), { text: 'c001', encoding: 'binary', payload: 'c001' })
})

test('decodeUserData gives null for a malformed header', () => {
  assert.equal(decoded('', 0x00, true), null)
  assert.equal(decoded('09 00 03 01 02 01', 0x00, true), null)
})

test('decodeUserData gives text or null for arbitrary bytes, data codings and flags', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 160 }), fc.integer({ min: 0, max: 255 }), fc.boolean(), (input, dataCoding, udhi) => {
    const data = decodeUserData(Buffer.from(input), dataCoding, udhi)
    if (data === null) return assert.ok(udhi)
    assert.equal(typeof data.text, 'string')
    assert.ok(allowedUserDataEncodings.includes(data.encoding))
  }), { numRuns: 2000 })
})
