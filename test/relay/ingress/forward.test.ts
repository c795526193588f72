import assert from 'node:assert/strict'
import { test } from 'node:test'
import { metadataDateOf, readForward, type JsonValue } from '../../../src/relay/ingress/forward.ts'

// The field rules of POST /v3/publish (relay-wire.md §5.1) as a table: each body and its answer,
// in upstream's order (text, sender, date, date_sent), with Python's truthiness.

const good = { text: 'AQID', address: '+237650000001', date: 1700000000123, date_sent: '1700000000000' }
const refusal = (status: number, error: string): unknown => ({ ok: false, refusal: { status, error } })

test('readForward refuses each missing field with its text, in upstream\'s order, with Python\'s truthiness', () => {
  const rows: Array<[JsonValue, unknown]> = [
    [{}, refusal(400, 'Missing required field: text')],
    [{ ...good, text: '' }, refusal(400, 'Missing required field: text')],
    [{ ...good, text: null }, refusal(400, 'Missing required field: text')],
    [{ ...good, text: [] }, refusal(400, 'Missing required field: text')],
    [{ ...good, text: 0 }, refusal(400, 'Missing required field: text')],
    [{ text: 'x', date: 1 }, refusal(400, 'Missing required field: address or MSISDN')],
    [{ ...good, address: '' }, refusal(400, 'Missing required field: address or MSISDN')],
    [{ ...good, address: false, MSISDN: {} }, refusal(400, 'Missing required field: address or MSISDN')],
    [{ text: 'x', address: 'a' }, refusal(400, 'Missing required field: date')],
    [{ ...good, date: 0 }, refusal(400, 'Missing required field: date')],
    [{ ...good, date: '' }, refusal(400, 'Missing required field: date')],
    [{ ...good, date_sent: null }, refusal(400, 'Missing required field: date_sent')],
    [{ ...good, date_sent: false }, refusal(400, 'Missing required field: date_sent')],
    // What fails inside upstream's code: the catch-all.
    [{ ...good, text: 5 }, refusal(500, 'Oops! Something went wrong. Please try again later.')],
    [{ ...good, address: 237650000001 }, refusal(500, 'Oops! Something went wrong. Please try again later.')],
    [[good], refusal(500, 'Oops! Something went wrong. Please try again later.')],
    [null, refusal(500, 'Oops! Something went wrong. Please try again later.')],
    [{ ...good, text: ['AQID'] }, refusal(400, 'Invalid Base64-encoded payload')],
    // A JSON string is parsed again, as upstream's decode_and_publish does.
    ['not json', refusal(400, 'Invalid JSON format')],
    [JSON.stringify(good), { ok: true, forward: { text: 'AQID', sender: '+237650000001', date: 1700000000123, dateSent: '1700000000000' } }],
    // Ours: a sender longer than 128 bytes.
    [{ ...good, address: '9'.repeat(129) }, refusal(400, 'Sender address or MSISDN is too long.')]
  ]
  for (const [body, expected] of rows) assert.deepStrictEqual(readForward(body), expected, JSON.stringify(body))
})

test('readForward takes MSISDN over address, ignores unknown keys, and keeps the dates as given', () => {
  const body = { ...good, MSISDN: '+237699999999', thread_id: 3, read: 1, status: -1, type: 1, body: 'x', sub_id: 1, url: null, tag: 'y' }
  assert.deepStrictEqual(readForward(body), { ok: true, forward: { text: 'AQID', sender: '+237699999999', date: 1700000000123, dateSent: '1700000000000' } })
  assert.equal(readForward({ ...good, MSISDN: '' }).ok && (readForward({ ...good, MSISDN: '' }) as { forward: { sender: string } }).forward.sender, '+237650000001', 'an empty MSISDN falls back to address')
})

test('metadataDateOf is Python\'s str(int(value) // 1000), else str(value) (each expected value printed by Python)', () => {
  const rows: Array<[JsonValue, string]> = [
    [1700000000123, '1700000000'],
    ['1700000000123', '1700000000'],
    [' 1_700_000_000_123 ', '1700000000'],
    ['-1500', '-2'],
    [-1500, '-2'],
    [1.7e12, '1700000000'],
    [1999.9, '1'],
    [true, '0'],
    ['abc', 'abc'],
    ['1e3', '1e3'],
    ['+42000', '42'],
    ['12__3', '12__3']
  ]
  for (const [value, expected] of rows) assert.equal(metadataDateOf(value), expected, JSON.stringify(value))
})
