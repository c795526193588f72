import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StatusEvent } from '../../../src/gateway/status/status-event.ts'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { tempStoreFiles } from '../temp-files.ts'

const files = await tempStoreFiles('status-store')

test('StatusStore append keeps every field, in the contract\'s whole seconds, and history gives them back per request in order', async () => {
  const store = SqliteStore.open(files.next())
  const sent: StatusEvent = { clientId: 'test', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:00.750Z'), status: 'SENT', recallId: '4711' }
  const failed: StatusEvent = { clientId: 'test', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:02Z'), status: 'FAILED', recallId: '4711', errorText: 'Failed after successful send' }
  const other: StatusEvent = { clientId: 'test', correlId: 'C2', timestamp: new Date('2026-11-21T10:00:01Z'), status: 'INVALID', errorText: '' }
  assert.deepStrictEqual(await store.statuses.append(sent), { ...sent, timestamp: new Date('2026-11-21T10:00:00Z') })
  await store.statuses.append(other)
  await store.statuses.append(failed)
  assert.deepStrictEqual(store.statuses.history('test', 'C1'), [{ ...sent, timestamp: new Date('2026-11-21T10:00:00Z') }, failed])
  // An empty error text is left out, as on sms-status.
  assert.deepStrictEqual(store.statuses.history('test', 'C2'), [{ clientId: 'test', correlId: 'C2', timestamp: other.timestamp, status: 'INVALID' }])
  assert.deepStrictEqual(store.statuses.history('acme', 'C1'), [])
  store.close()
})

test('StatusStore append rejects, storing nothing, a status without a client-id', async () => {
  const store = SqliteStore.open(files.next())
  await assert.rejects(store.statuses.append({ clientId: '', correlId: 'C1', timestamp: new Date(), status: 'SENT' }), /not a status the contract can carry/)
  assert.deepStrictEqual(store.statuses.history('', 'C1'), [])
  store.close()
})
