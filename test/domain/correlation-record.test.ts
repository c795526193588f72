import assert from 'node:assert/strict'
import { test } from 'node:test'
import { correlationKey, decodeCorrelationRecord, encodeCorrelationRecord } from '../../src/domain/correlation-record.ts'

test('encodeCorrelationRecord writes the spec §1 fields, and the connection when there is one', () => {
  assert.equal(encodeCorrelationRecord({ recallId: '4711', clientId: 'acme', correlId: 'C1' }), '{"recall-id":"4711","client-id":"acme","correl-id":"C1"}')
  assert.equal(encodeCorrelationRecord({ recallId: '4711', clientId: 'acme', correlId: 'C1', connection: 'tz' }), '{"recall-id":"4711","client-id":"acme","correl-id":"C1","connection":"tz"}')
})

test('decodeCorrelationRecord reads records of the older gateway and ours, and nothing else', () => {
  assert.deepEqual(decodeCorrelationRecord('{"recall-id":"4711","client-id":"acme","correl-id":"C1"}'), { recallId: '4711', clientId: 'acme', correlId: 'C1' })
  assert.deepEqual(decodeCorrelationRecord('{"recall-id":"1","client-id":"a","correl-id":"b","connection":"ke"}'), { recallId: '1', clientId: 'a', correlId: 'b', connection: 'ke' })
  assert.deepEqual(['', 'null', '[]', '{"recall-id":1,"client-id":"a","correl-id":"b"}', '{"client-id":"a"}'].map(decodeCorrelationRecord), [null, null, null, null, null])
})

test('a record carrying its pending SENT round-trips, and a malformed pending SENT is left out', () => {
  const record = { recallId: '41', clientId: 'acme', correlId: 'C1', connection: 'tz', pendingSent: { recallId: '0041', atMs: 1_795_000_000_000 } }
  const text = encodeCorrelationRecord(record)
  assert.equal(text, '{"recall-id":"41","client-id":"acme","correl-id":"C1","connection":"tz","pending-sent":{"recall-id":"0041","at":1795000000000}}')
  assert.deepEqual(decodeCorrelationRecord(text), record)
  assert.deepEqual(decodeCorrelationRecord('{"recall-id":"41","client-id":"a","correl-id":"b","pending-sent":{"recall-id":41,"at":1}}'), { recallId: '41', clientId: 'a', correlId: 'b' })
})

test('correlationKey qualifies an id by its connection, so two SMSCs answering 1 do not collide', () => {
  assert.deepEqual([correlationKey('1', 'tz'), correlationKey('1', 'ke'), correlationKey('1')], ['tz:1', 'ke:1', '1'])
})
