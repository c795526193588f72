import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  allowedSmsStatuses, decodeStatusEvent, encodeStatusEvent, isFinalStatus, isSmsStatus, smsStatuses, statusKey, type StatusEvent
} from '../../src/domain/status-event.ts'

const timestamp = new Date('2026-11-21T10:00:00Z')

test('smsStatuses names the five statuses of the contract', () => {
  assert.deepEqual(allowedSmsStatuses, ['SENT', 'DELIVERED', 'EXPIRED', 'INVALID', 'FAILED'])
  assert.deepEqual(smsStatuses, { sent: 'SENT', delivered: 'DELIVERED', expired: 'EXPIRED', invalid: 'INVALID', failed: 'FAILED' })
})

test('isFinalStatus is false for SENT only', () => {
  assert.deepEqual(allowedSmsStatuses.map(status => [status, isFinalStatus(status)]), [
    ['SENT', false], ['DELIVERED', true], ['EXPIRED', true], ['INVALID', true], ['FAILED', true]
  ])
})

test('isSmsStatus accepts the statuses and nothing else', () => {
  assert.deepEqual(['SENT', 'FAILED', 'sent', 'ACCEPTD', '', undefined, 1].map(isSmsStatus), [true, true, false, false, false, false, false])
})

test('encodeStatusEvent writes every field in the contract order when all are set', () => {
  const event: StatusEvent = { clientId: 'test', correlId: 'C123', timestamp, status: 'SENT', recallId: '4711', errorText: 'some text' }
  assert.equal(encodeStatusEvent(event),
    '{"client-id":"test","correl-id":"C123","timestamp":"2026-11-21T10:00:00Z","sms-status":"SENT","recall-id":"4711","error-text":"some text"}')
})

test('encodeStatusEvent leaves out recall-id and error-text when they are undefined', () => {
  assert.equal(encodeStatusEvent({ clientId: 'test', correlId: 'C123', timestamp, status: 'EXPIRED' }),
    '{"client-id":"test","correl-id":"C123","timestamp":"2026-11-21T10:00:00Z","sms-status":"EXPIRED"}')
})

test('encodeStatusEvent leaves out recall-id and error-text when they are empty', () => {
  assert.equal(encodeStatusEvent({ clientId: 'test', correlId: 'C123', timestamp, status: 'DELIVERED', recallId: '', errorText: '' }),
    '{"client-id":"test","correl-id":"C123","timestamp":"2026-11-21T10:00:00Z","sms-status":"DELIVERED"}')
})

test('encodeStatusEvent truncates the timestamp to whole seconds', () => {
  const event: StatusEvent = { clientId: 'c', correlId: 'k', timestamp: new Date('2026-11-21T10:00:59.999Z'), status: 'FAILED', errorText: 'x' }
  assert.equal(encodeStatusEvent(event), '{"client-id":"c","correl-id":"k","timestamp":"2026-11-21T10:00:59Z","sms-status":"FAILED","error-text":"x"}')
})

test('encodeStatusEvent escapes quotes, control characters and keeps non-ASCII text as it is', () => {
  const event: StatusEvent = { clientId: 'a"b', correlId: 'tab\there', timestamp, status: 'INVALID', errorText: 'Grüße\n👋' }
  assert.equal(encodeStatusEvent(event),
    '{"client-id":"a\\"b","correl-id":"tab\\there","timestamp":"2026-11-21T10:00:00Z","sms-status":"INVALID","error-text":"Grüße\\n👋"}')
})

test('decodeStatusEvent reads what encodeStatusEvent writes', () => {
  const events: StatusEvent[] = [
    { clientId: 'test', correlId: 'C123', timestamp, status: 'SENT', recallId: '4711' },
    { clientId: 'test', correlId: 'C123', timestamp, status: 'INVALID', errorText: 'SMS recipient not a valid number: +3162984543a' },
    { clientId: 'x', correlId: 'y', timestamp, status: 'DELIVERED', recallId: '0A1B', errorText: 'e' },
    { clientId: 'x', correlId: 'y', timestamp, status: 'EXPIRED' }
  ]
  for (const event of events) assert.deepStrictEqual(decodeStatusEvent(encodeStatusEvent(event)), event)
})

test('decodeStatusEvent reads a UTF-8 Kafka value as well as a string', () => {
  assert.deepStrictEqual(
    decodeStatusEvent(Buffer.from('{"client-id":"c","correl-id":"k","timestamp":"2026-11-21T10:00:00Z","sms-status":"SENT","recall-id":"7"}')),
    { clientId: 'c', correlId: 'k', timestamp, status: 'SENT', recallId: '7' })
})

test('decodeStatusEvent round-trips arbitrary events with whole-second timestamps', () => {
  const events = fc.record({
    clientId: fc.string({ minLength: 1 }),
    correlId: fc.string({ minLength: 1 }),
    timestamp: fc.integer({ min: -8.64e12, max: 8.64e12 }).map(seconds => new Date(seconds * 1000)),
    status: fc.constantFrom(...allowedSmsStatuses),
    recallId: fc.string({ minLength: 1 }),
    errorText: fc.string({ minLength: 1 })
  }, { requiredKeys: ['clientId', 'correlId', 'timestamp', 'status'] }).map(event => ({ ...event }))
  fc.assert(fc.property(events, event => {
    assert.deepStrictEqual(decodeStatusEvent(encodeStatusEvent(event)), event)
  }), { numRuns: 500 })
})

test('decodeStatusEvent ignores unknown fields and takes null or empty optional fields as absent', () => {
  assert.deepStrictEqual(
    decodeStatusEvent('{"sms-status":"SENT","extra":[1],"timestamp":"2026-11-21T10:00:00Z","correl-id":"k","client-id":"c","recall-id":null,"error-text":""}'),
    { clientId: 'c', correlId: 'k', timestamp, status: 'SENT' })
})

const malformed: ReadonlyArray<readonly [condition: string, value: string | Buffer]> = [
  ['the value is not JSON', 'nope'],
  ['the value is a JSON array', '[]'],
  ['the value is JSON null', 'null'],
  ['the value is not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
  ['client-id is missing', '{"correl-id":"k","timestamp":"2026-11-21T10:00:00Z","sms-status":"SENT"}'],
  ['client-id is empty', '{"client-id":"","correl-id":"k","timestamp":"2026-11-21T10:00:00Z","sms-status":"SENT"}'],
  ['correl-id is a number', '{"client-id":"c","correl-id":1,"timestamp":"2026-11-21T10:00:00Z","sms-status":"SENT"}'],
  ['the timestamp has milliseconds', '{"client-id":"c","correl-id":"k","timestamp":"2026-11-21T10:00:00.000Z","sms-status":"SENT"}'],
  ['the timestamp is missing', '{"client-id":"c","correl-id":"k","sms-status":"SENT"}'],
  ['the status is unknown', '{"client-id":"c","correl-id":"k","timestamp":"2026-11-21T10:00:00Z","sms-status":"ACCEPTD"}'],
  ['the status is lower case', '{"client-id":"c","correl-id":"k","timestamp":"2026-11-21T10:00:00Z","sms-status":"sent"}'],
  ['recall-id is a number', '{"client-id":"c","correl-id":"k","timestamp":"2026-11-21T10:00:00Z","sms-status":"SENT","recall-id":4711}'],
  ['error-text is an object', '{"client-id":"c","correl-id":"k","timestamp":"2026-11-21T10:00:00Z","sms-status":"FAILED","error-text":{}}'],
  ['the value is an array nested a million deep', '['.repeat(1_000_000) + ']'.repeat(1_000_000)]
]

for (const [condition, value] of malformed) {
  test(`decodeStatusEvent returns null when ${condition}`, () => {
    assert.equal(decodeStatusEvent(value), null)
  })
}

test('decodeStatusEvent never throws on arbitrary strings and bytes', () => {
  const values = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json(),
    fc.uint8Array({ maxLength: 200 }),
    fc.dictionary(fc.constantFrom('client-id', 'correl-id', 'timestamp', 'sms-status', 'recall-id', 'error-text'), fc.jsonValue()).map(v => JSON.stringify(v))
  )
  fc.assert(fc.property(values, value => {
    const event = decodeStatusEvent(value)
    assert.ok(event === null || isSmsStatus(event.status))
  }), { numRuns: 2000 })
})

test('statusKey is the JSON array of client-id and correl-id', () => {
  assert.equal(statusKey('test', 'C123'), '["test","C123"]')
})

test('statusKey keeps pairs apart when a separator character sits inside a value', () => {
  const pairs: Array<[string, string]> = [['a,b', 'c'], ['a', 'b,c'], ['a\u0000', 'b'], ['a', '\u0000b'], ['a","b', 'c'], ['a', '","b", "c']]
  const keys = pairs.map(([clientId, correlId]) => statusKey(clientId, correlId))
  assert.equal(new Set(keys).size, pairs.length)
  assert.deepEqual(keys.map(key => JSON.parse(key)), pairs)
})
