import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StatusEvent } from '../../../src/gateway/status/status-event.ts'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { EmbeddedStatusStore } from '../../../src/transport/embedded/embedded-status-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'

const files = await tempStoreFiles('embedded-statuses')
const at = new Date('2026-11-21T10:00:00Z')
const status = (clientId: string, correlId: string, event: Partial<StatusEvent> = {}): StatusEvent => ({ clientId, correlId, timestamp: at, status: 'SENT', ...event })

test('EmbeddedStatusStore history gives the statuses reported for one request, oldest first, with every field', async () => {
  const store = SqliteStore.open(files.next())
  const statuses = new EmbeddedStatusStore(store.statuses)
  const sent = status('test', 'C1', { recallId: '4711' })
  const delivered = status('test', 'C1', { status: 'DELIVERED', recallId: '4711', timestamp: new Date('2026-11-21T10:00:02Z') })
  await statuses.report(sent)
  await statuses.report(status('test', 'C2', { status: 'INVALID', errorText: 'Invalid message' }))
  await statuses.report(delivered)
  assert.deepStrictEqual(await statuses.history('test', 'C1'), [sent, delivered])
  assert.deepStrictEqual(await statuses.history('test', 'C3'), [])
  store.close()
})

test('EmbeddedStatusStore history outlives the process: statuses are read back after a reopen', async () => {
  const file = files.next()
  const store = SqliteStore.open(file)
  await new EmbeddedStatusStore(store.statuses).report(status('test', 'C1'))
  store.close()
  const reopened = SqliteStore.open(file)
  assert.deepStrictEqual(await new EmbeddedStatusStore(reopened.statuses).history('test', 'C1'), [status('test', 'C1')])
  reopened.close()
})

test('EmbeddedStatusStore subscribe hands each stored status to its client\'s subscribers and to those of all clients, until stopped', async () => {
  const store = SqliteStore.open(files.next())
  const statuses = new EmbeddedStatusStore(store.statuses)
  const seen: string[] = []
  const stopTest = statuses.subscribe('test', event => seen.push(`test sees ${event.correlId}`))
  statuses.subscribe(undefined, event => seen.push(`all see ${event.correlId}, stored: ${store.statuses.history(event.clientId, event.correlId).length}`))
  await statuses.report(status('test', 'C1'))
  await statuses.report(status('acme', 'A1'))
  stopTest()
  await statuses.report(status('test', 'C2'))
  assert.deepStrictEqual(seen, ['test sees C1', 'all see C1, stored: 1', 'all see A1, stored: 1', 'all see C2, stored: 1'])
  store.close()
})

test('EmbeddedStatusStore subscribe gives subscribers the status as stored: the timestamp in whole seconds', async () => {
  const store = SqliteStore.open(files.next())
  const statuses = new EmbeddedStatusStore(store.statuses)
  const seen: StatusEvent[] = []
  statuses.subscribe(undefined, event => seen.push(event))
  await statuses.report(status('test', 'C1', { timestamp: new Date('2026-11-21T10:00:00.999Z') }))
  assert.deepStrictEqual(seen, [status('test', 'C1')])
  store.close()
})

test('EmbeddedStatusStore report resolves when a subscriber throws, and hands the error on', async () => {
  const store = SqliteStore.open(files.next())
  const errors: unknown[] = []
  const statuses = new EmbeddedStatusStore(store.statuses, { onListenerError: (error, event) => errors.push([String(error), event.correlId]) })
  const seen: string[] = []
  statuses.subscribe(undefined, () => { throw new Error('webhook bug') })
  statuses.subscribe(undefined, event => seen.push(event.correlId))
  await statuses.report(status('test', 'C1'))
  assert.deepStrictEqual([errors, seen, (await statuses.history('test', 'C1')).length], [[['Error: webhook bug', 'C1']], ['C1'], 1])
  store.close()
})

test('EmbeddedStatusStore report rejects when the status cannot be stored, and tells no subscriber', async () => {
  const store = SqliteStore.open(files.next())
  const statuses = new EmbeddedStatusStore(store.statuses)
  const seen: StatusEvent[] = []
  statuses.subscribe(undefined, event => seen.push(event))
  store.close()
  await assert.rejects(statuses.report(status('test', 'C1')), /the store is closed/)
  assert.deepStrictEqual(seen, [])
})
