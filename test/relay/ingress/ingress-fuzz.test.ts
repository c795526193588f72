import fc from 'fast-check'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readForward, type JsonValue } from '../../../src/relay/ingress/forward.ts'
import { isImageTextSegment, parseImageTextSegment } from '../../../src/relay/ingress/image-text-segment.ts'
import { decodeBase64AsPython } from '../../../src/relay/ingress/python-base64.ts'

// What a phone sends is hostile input: the rules and decoders answer any JSON body and any text
// with a value or a refusal of the contract, never a throw.

const texts = [
  'Missing required field: text', 'Missing required field: address or MSISDN', 'Missing required field: date',
  'Missing required field: date_sent', 'Invalid Base64-encoded payload', 'Invalid JSON format',
  'Oops! Something went wrong. Please try again later.', 'Sender address or MSISDN is too long.'
]
const base64ish = fc.string({ unit: fc.constantFrom(...'ABCDEFabcdef0123456789+/=\n -_é'.split('')), maxLength: 60 })
const field = fc.oneof(fc.json().map(text => JSON.parse(text) as JsonValue), base64ish)

test('readForward answers any JSON body with a forward or one of the contract\'s refusals', () => {
  fc.assert(fc.property(fc.oneof(fc.json().map(text => JSON.parse(text) as JsonValue), fc.record({ text: field, address: field, MSISDN: field, date: field, date_sent: field }, { requiredKeys: [] })), body => {
    const reading = readForward(body)
    if (reading.ok) assert.equal(typeof reading.forward.text, 'string')
    else assert.ok(texts.includes(reading.refusal.error), reading.refusal.error)
  }), { numRuns: 5000 })
})

test('the base64 decoder and the segment parser answer any text without throwing; a parsed segment has content and a header of its kind', () => {
  fc.assert(fc.property(fc.oneof(base64ish, fc.string({ maxLength: 40 })), text => {
    const bytes = decodeBase64AsPython(text)
    assert.ok(bytes === undefined || bytes.length <= text.length)
    if (!isImageTextSegment(text)) return
    const segment = parseImageTextSegment(text)
    if (segment === undefined) return
    assert.ok(segment.content !== '' && segment.session <= 255 && segment.segment <= 255)
    assert.ok(segment.segment !== 0 || segment.total > 0 || segment.imageLength === 0)
  }), { numRuns: 5000 })
})
