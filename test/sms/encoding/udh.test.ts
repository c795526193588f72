import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodeUserDataHeader, encodeConcatUdh } from '../../../src/sms/encoding/udh.ts'

const bytes = (hex: string): Buffer => Buffer.from(hex.replaceAll(' ', ''), 'hex')
const decoded = (hex: string): object | null => {
  const header = decodeUserDataHeader(bytes(hex))
  return header === null ? null : { ...header, payload: header.payload.toString('hex') }
}

test('encodeConcatUdh writes the 8-bit reference element: 05 00 03 ref total seq', () => {
  assert.equal(encodeConcatUdh(0xab, 3, 2).toString('hex'), '050003ab0302')
})

test('decodeUserDataHeader reads an 8-bit reference concatenation element', () => {
  assert.deepStrictEqual(decoded('05 00 03 2a 02 01 48 69'), {
    payload: '4869', concat: { ref: 0x2a, referenceBits: 8, total: 2, seq: 1 }
  })
})

test('decodeUserDataHeader reads a 16-bit reference concatenation element', () => {
  assert.deepStrictEqual(decoded('06 08 04 12 34 03 03 00 41'), {
    payload: '0041', concat: { ref: 0x1234, referenceBits: 16, total: 3, seq: 3 }
  })
})

test('decodeUserDataHeader skips other elements around the concatenation element', () => {
  // Application port addressing (IEI 05, 16-bit ports) before, national language shift (IEI 24) after.
  assert.deepStrictEqual(decoded('0e 05 04 0b 84 23 f0 00 03 07 02 02 24 01 01 ff'), {
    payload: 'ff', concat: { ref: 7, referenceBits: 8, total: 2, seq: 2 }
  })
})

test('decodeUserDataHeader gives no concat when the header has none', () => {
  assert.deepStrictEqual(decoded('03 24 01 01 61'), { payload: '61' })
  assert.deepStrictEqual(decoded('00 61'), { payload: '61' })
})

test('decodeUserDataHeader ignores a concatenation element with a zero total or sequence, or a sequence past the total', () => {
  assert.deepStrictEqual(decoded('05 00 03 01 00 00 61'), { payload: '61' })
  assert.deepStrictEqual(decoded('05 00 03 01 02 00 61'), { payload: '61' })
  assert.deepStrictEqual(decoded('05 00 03 01 02 03 61'), { payload: '61' })
})

test('decodeUserDataHeader ignores a concatenation element of the wrong length', () => {
  assert.deepStrictEqual(decoded('06 00 04 01 02 01 00 61'), { payload: '61' })
})

test('decodeUserDataHeader keeps the last valid concatenation element when there are several', () => {
  assert.deepStrictEqual(decoded('0a 00 03 01 02 01 00 03 09 03 02 61'), {
    payload: '61', concat: { ref: 9, referenceBits: 8, total: 3, seq: 2 }
  })
})

test('decodeUserDataHeader gives null for a header past the message end or an element past the header end', () => {
  assert.equal(decoded(''), null)
  assert.equal(decoded('05 00 03 01 02'), null)
  assert.equal(decoded('04 00 03 01 02 01'), null)
  assert.equal(decoded('01 00 61'), null)
})

test('decodeUserDataHeader reads what encodeConcatUdh writes', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 255 }), fc.uint8Array({ maxLength: 20 }), (ref, total, payload) => {
    const seq = 1 + (ref % total)
    const header = decodeUserDataHeader(Buffer.concat([encodeConcatUdh(ref, total, seq), payload]))
    assert.deepStrictEqual(header, { payload: Buffer.from(payload), concat: { ref, referenceBits: 8, total, seq } })
  }))
})

test('decodeUserDataHeader gives null or a payload inside the message for arbitrary bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), input => {
    const header = decodeUserDataHeader(Buffer.from(input))
    if (header !== null) assert.ok(header.payload.length < input.length)
  }), { numRuns: 2000 })
})
