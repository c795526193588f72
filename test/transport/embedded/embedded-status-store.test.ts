import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import { DUPLICATE_STATUS } from '../../../src/gateway/status/status-sink.ts'
import { EmbeddedStatusStore } from '../../../src/transport/embedded/embedded-status-store.ts'
import { storeKinds } from '../../store/store-kinds.ts'

const kinds = await storeKinds('embedded-statuses')
const at = new Date('2026-11-21T10:00:00Z')
const status = (clientId: string, correlId: string, event: Partial<StatusEvent> = {}): StatusEvent => ({ clientId, correlId, timestamp: at, status: 'SENT', ...event })
/** How each kind refuses a write once it is closed. */
const closedStoreError = { sqlite: /the store is closed/, postgres: /Cannot use a pool after calling end on the pool/ } as const

for (const kind of kinds) {
  describe(`EmbeddedStatusStore on a ${kind.name} store`, () => {
    test('history gives the statuses reported for one request, oldest first, with every field', async () => {
      const store = await kind.open()
      const statuses = new EmbeddedStatusStore(store.statuses)
      const sent = status('test', 'C1', { recallId: '4711' })
      const delivered = status('test', 'C1', { status: 'DELIVERED', recallId: '4711', timestamp: new Date('2026-11-21T10:00:02Z') })
      await statuses.report(sent)
      await statuses.report(status('test', 'C2', { status: 'INVALID', errorText: 'Invalid message' }))
      await statuses.report(delivered)
      assert.deepStrictEqual(await statuses.history('test', 'C1'), [sent, delivered])
      assert.deepStrictEqual(await statuses.history('test', 'C3'), [])
      await store.close()
    })

    test('report stores a receipt\'s status once: the same state and recall-id again, after a reopen too, reaches no subscriber', async () => {
      // Issue 9 item 7: a DELIVERED the SMSC re-sends after a crash is not stored or posted twice.
      const location = await kind.newLocation()
      const store = await kind.open(location)
      const delivered = status('acme', 'C1', { status: 'DELIVERED', recallId: '42' })
      assert.equal(await new EmbeddedStatusStore(store.statuses).report(delivered), undefined)
      await store.close()
      const reopened = await kind.open(location)
      const statuses = new EmbeddedStatusStore(reopened.statuses)
      const seen: StatusEvent[] = []
      statuses.subscribe(undefined, event => seen.push(event))
      assert.equal(await statuses.report({ ...delivered, timestamp: new Date('2026-11-21T10:05:00Z') }), DUPLICATE_STATUS)
      assert.deepStrictEqual([await statuses.history('acme', 'C1'), seen], [[delivered], []])
      await reopened.close()
    })

    test('history outlives the process: statuses are read back after a reopen', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      await new EmbeddedStatusStore(store.statuses).report(status('test', 'C1'))
      await store.close()
      const reopened = await kind.open(location)
      assert.deepStrictEqual(await new EmbeddedStatusStore(reopened.statuses).history('test', 'C1'), [status('test', 'C1')])
      await reopened.close()
    })

    test('subscribe hands each stored status to its client\'s subscribers and to those of all clients, until stopped', async () => {
      const store = await kind.open()
      const statuses = new EmbeddedStatusStore(store.statuses)
      // What each subscriber saw, in the order they were called; the history is read when it is called.
      const seen: Array<Promise<string>> = []
      const stopTest = statuses.subscribe('test', event => seen.push(Promise.resolve(`test sees ${event.correlId}`)))
      statuses.subscribe(undefined, event => seen.push(Promise.resolve(store.statuses.history(event.clientId, event.correlId))
        .then(stored => `all see ${event.correlId}, stored: ${stored.length}`)))
      await statuses.report(status('test', 'C1'))
      await statuses.report(status('acme', 'A1'))
      stopTest()
      await statuses.report(status('test', 'C2'))
      assert.deepStrictEqual(await Promise.all(seen), ['test sees C1', 'all see C1, stored: 1', 'all see A1, stored: 1', 'all see C2, stored: 1'])
      await store.close()
    })

    test('subscribe gives subscribers the status as stored: the timestamp in whole seconds', async () => {
      const store = await kind.open()
      const statuses = new EmbeddedStatusStore(store.statuses)
      const seen: StatusEvent[] = []
      statuses.subscribe(undefined, event => seen.push(event))
      await statuses.report(status('test', 'C1', { timestamp: new Date('2026-11-21T10:00:00.999Z') }))
      assert.deepStrictEqual(seen, [status('test', 'C1')])
      await store.close()
    })

    test('report resolves when a subscriber throws, and hands the error on', async () => {
      const store = await kind.open()
      const errors: unknown[] = []
      const statuses = new EmbeddedStatusStore(store.statuses, { onListenerError: (error, event) => errors.push([String(error), event.correlId]) })
      const seen: string[] = []
      statuses.subscribe(undefined, () => { throw new Error('webhook bug') })
      statuses.subscribe(undefined, event => seen.push(event.correlId))
      await statuses.report(status('test', 'C1'))
      assert.deepStrictEqual([errors, seen, (await statuses.history('test', 'C1')).length], [[['Error: webhook bug', 'C1']], ['C1'], 1])
      await store.close()
    })

    test('report rejects when the status cannot be stored, and tells no subscriber', async () => {
      const store = await kind.open()
      const statuses = new EmbeddedStatusStore(store.statuses)
      const seen: StatusEvent[] = []
      statuses.subscribe(undefined, event => seen.push(event))
      await store.close()
      await assert.rejects(statuses.report(status('test', 'C1')), closedStoreError[kind.name])
      assert.deepStrictEqual(seen, [])
    })
  })
}
