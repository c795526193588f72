import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { allowedMessageIdStyles, type MessageIdStyle } from '../../../src/config/message-id-styles.ts'
import { normaliseMessageId } from '../../../src/smpp/receipts/message-id.ts'

const examples: ReadonlyArray<readonly [MessageIdStyle, string, string]> = [
  ['as-is', '00A7b', '00A7b'],
  ['as-is', ' 42\u0000', '42'],
  ['strip-leading-zeros', '00A7b', 'a7b'],
  ['strip-leading-zeros', '0000', '0'],
  ['strip-leading-zeros', '0', '0'],
  ['strip-leading-zeros', 'ABC', 'abc'],
  ['decimal', '0042', '42'],
  ['decimal', '000', '0'],
  ['decimal', '18446744073709551617', '18446744073709551617'],
  ['decimal', '00AbC', 'abc'],
  ['hex', '2A', '42'],
  ['hex', '0x002a', '42'],
  ['hex', '0X2A', '42'],
  ['hex', 'ffffffffffffffffff', '4722366482869645213695'],
  ['hex', '00zz-1', 'zz-1'],
  ['hex', '0x', 'x']
]

for (const [style, id, expected] of examples) {
  test(`normaliseMessageId in style ${style} gives ${JSON.stringify(expected)} for ${JSON.stringify(id)}`, () => {
    assert.equal(normaliseMessageId(id, style), expected)
  })
}

test('allowedMessageIdStyles lists the four styles', () => {
  assert.deepStrictEqual(allowedMessageIdStyles, ['as-is', 'decimal', 'hex', 'strip-leading-zeros'])
})

const number = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n })
const zeros = fc.integer({ min: 0, max: 5 }).map(count => '0'.repeat(count))
const caseOf = fc.constantFrom((text: string) => text, (text: string) => text.toUpperCase())

test('normaliseMessageId matches a hex id on one side with the decimal id of the same number on the other', () => {
  fc.assert(fc.property(number, zeros, zeros, caseOf, fc.boolean(), (value, hexZeros, decimalZeros, cased, prefixed) => {
    const hexId = `${prefixed ? '0x' : ''}${hexZeros}${cased(value.toString(16))}`
    const decimalId = decimalZeros + value.toString(10)
    assert.equal(normaliseMessageId(hexId, 'hex'), value.toString(10))
    assert.equal(normaliseMessageId(decimalId, 'decimal'), value.toString(10))
  }), { numRuns: 1000 })
})

test('normaliseMessageId ignores leading zeros and case in the strip-leading-zeros style', () => {
  fc.assert(fc.property(fc.stringMatching(/^[0-9a-z]{1,20}$/), zeros, caseOf, (id, padding, cased) => {
    assert.equal(normaliseMessageId(padding + cased(id), 'strip-leading-zeros'), normaliseMessageId(id, 'strip-leading-zeros'))
  }), { numRuns: 1000 })
})

test('normaliseMessageId agrees between decimal and strip-leading-zeros for decimal ids', () => {
  fc.assert(fc.property(number, zeros, (value, padding) => {
    const id = padding + value.toString(10)
    assert.equal(normaliseMessageId(id, 'decimal'), normaliseMessageId(id, 'strip-leading-zeros'))
  }))
})

test('normaliseMessageId is idempotent, and the decimal style keeps what the hex style gives', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...allowedMessageIdStyles), (id, style) => {
    const canonical = normaliseMessageId(id, style)
    if (style === 'hex') assert.equal(normaliseMessageId(canonical, 'decimal'), canonical)
    else assert.equal(normaliseMessageId(canonical, style), canonical)
  }), { numRuns: 3000 })
})

test('normaliseMessageId never gives a number for an id that is not one in the decimal or hex style', () => {
  fc.assert(fc.property(fc.string({ maxLength: 20 }), fc.constantFrom<MessageIdStyle>('decimal', 'hex'), (id, style) => {
    const valid = style === 'decimal' ? /^[\s\0]*[0-9]+[\s\0]*$/ : /^[\s\0]*(0x)?[0-9a-f]+[\s\0]*$/i
    if (!valid.test(id)) assert.doesNotMatch(normaliseMessageId(id, style), /^[0-9]+$/)
  }), { numRuns: 3000 })
})
