import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodeInboundSms, encodeInboundSms, type InboundSms } from '../../../src/smpp/inbound/inbound-sms.ts'
import { mixedText } from '../../sms/encoding/arbitraries.ts'

const sms: InboundSms = {
  sender: '+4915112345678',
  recipient: '40404',
  text: 'Hello "world" €',
  receivedAt: new Date('2026-11-21T10:00:00.999Z'),
  connectionId: 'smsc-a',
  parts: 1,
  encoding: 'gsm7'
}

test('encodeInboundSms writes the fields in order, received in whole seconds UTC', () => {
  assert.equal(
    encodeInboundSms(sms),
    '{"sender":"+4915112345678","recipient":"40404","text":"Hello \\"world\\" €","received":"2026-11-21T10:00:00Z",' +
    '"connection":"smsc-a","parts":1,"encoding":"gsm7"}'
  )
})

test('encodeInboundSms adds incomplete and missing for a message with parts missing', () => {
  const partial: InboundSms = { ...sms, text: 'ac', parts: 4, incomplete: true, missingParts: [2, 4] }
  assert.equal(
    encodeInboundSms(partial),
    '{"sender":"+4915112345678","recipient":"40404","text":"ac","received":"2026-11-21T10:00:00Z",' +
    '"connection":"smsc-a","parts":4,"encoding":"gsm7","incomplete":true,"missing":[2,4]}'
  )
})

test('encodeInboundSms escapes a lone surrogate, so the JSON is valid UTF-8', () => {
  const json = encodeInboundSms({ ...sms, text: 'a\ud83d', encoding: 'ucs2' })
  assert.match(json, /"text":"a\\ud83d"/)
  assert.equal(Buffer.from(json, 'utf8').toString('utf8'), json)
})

test('decodeInboundSms reads what encodeInboundSms writes, received truncated to the second', () => {
  const partial: InboundSms = { ...sms, parts: 3, incomplete: true, missingParts: [1, 3] }
  const seconds = new Date('2026-11-21T10:00:00Z')
  assert.deepStrictEqual(decodeInboundSms(encodeInboundSms(sms)), { ...sms, receivedAt: seconds })
  assert.deepStrictEqual(decodeInboundSms(Buffer.from(encodeInboundSms(partial))), { ...partial, receivedAt: seconds })
})

test('decodeInboundSms gives null for anything encodeInboundSms does not write', () => {
  const fields = JSON.parse(encodeInboundSms(sms)) as Record<string, unknown>
  const variants: Array<Record<string, unknown>> = [
    { ...fields, sender: 4915112345678 },
    { ...fields, recipient: undefined },
    { ...fields, text: null },
    { ...fields, connection: 1 },
    { ...fields, received: '2026-11-21T10:00:00.999Z' },
    { ...fields, parts: 0 },
    { ...fields, parts: 256 },
    { ...fields, parts: 1.5 },
    { ...fields, encoding: 'utf8' },
    { ...fields, incomplete: 'yes' },
    { ...fields, parts: 3, incomplete: true },
    { ...fields, parts: 3, incomplete: true, missing: [] },
    { ...fields, parts: 3, incomplete: true, missing: [1, 2, 3] },
    { ...fields, parts: 3, incomplete: true, missing: [3, 1] },
    { ...fields, parts: 3, incomplete: true, missing: [4] }
  ]
  for (const variant of variants) assert.equal(decodeInboundSms(JSON.stringify(variant)), null, JSON.stringify(variant))
  for (const text of ['', 'null', '[]', '"x"', '{', '[[[']) assert.equal(decodeInboundSms(text), null, text)
  assert.equal(decodeInboundSms(Buffer.from([0x7b, 0xff, 0x7d])), null)
})

test('decodeInboundSms round-trips any text, addresses and part count', () => {
  fc.assert(fc.property(mixedText(200), fc.string(), fc.string(), fc.integer({ min: 1, max: 255 }), (text, sender, connectionId, parts) => {
    const value: InboundSms = { ...sms, text, sender, connectionId, parts, receivedAt: new Date('2026-11-21T10:00:00Z') }
    assert.deepStrictEqual(decodeInboundSms(encodeInboundSms(value)), value)
  }))
})
