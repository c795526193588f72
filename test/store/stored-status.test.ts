import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StatusEvent } from '../../src/domain/status-event.ts'
import { decodeStoredStatus, storableStatus } from '../../src/store/stored-status.ts'

// storableStatus makes the event history gives back without decoding the text it stores: the
// two must stay equal, for every shape of status.
const events: StatusEvent[] = [
  { clientId: 'test', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:00.750Z'), status: 'SENT' },
  { clientId: 'test', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:02Z'), status: 'FAILED', recallId: '4711', errorText: 'Failed after successful send' },
  { clientId: 'acme', correlId: 'C2', timestamp: new Date('2026-11-21T10:00:01.001Z'), status: 'INVALID', recallId: '', errorText: '' },
  { clientId: 'ünï "côdé"', correlId: 'line\nbreak\ttab', timestamp: new Date(-62_135_596_800_500), status: 'DELIVERED', recallId: 'r\u0000' },
  { clientId: 'far', correlId: 'future', timestamp: new Date(8_640_000_000_000_000), status: 'EXPIRED', errorText: 'Expired message' }
]

test('storableStatus gives the event exactly as decoding its text does', () => {
  for (const event of events) {
    const { text, stored } = storableStatus(event)
    assert.deepStrictEqual(stored, decodeStoredStatus(text))
  }
})

test('storableStatus refuses an event with an empty client-id or correl-id', () => {
  assert.throws(() => storableStatus({ ...events[0] as StatusEvent, clientId: '' }), TypeError)
  assert.throws(() => storableStatus({ ...events[0] as StatusEvent, correlId: '' }), TypeError)
})
