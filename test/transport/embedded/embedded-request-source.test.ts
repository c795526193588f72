import assert from 'node:assert/strict'
import { describe, mock, test } from 'node:test'
import { setImmediate, setTimeout as sleep } from 'node:timers/promises'
import type { IncomingRequest } from '../../../src/gateway/request-source.ts'
import { EmbeddedRequestSource } from '../../../src/transport/embedded/embedded-request-source.ts'
import { EMBEDDED_STREAM } from '../../../src/store/queue-source.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { firstRead } from './source-fixtures.ts'

const kinds = await storeKinds('embedded-source')
// Long enough never to fire in a test that does not wait for it.
const NO_POLL = { pollIntervalMs: 60_000 }

const shapeOf = (request: IncomingRequest): unknown => ({ value: request.value.toString(), stream: request.stream, offset: request.offset })

/** Pulls `count` requests from an iterator. */
async function pull (iterator: AsyncIterator<IncomingRequest>, count: number): Promise<IncomingRequest[]> {
  const pulled: IncomingRequest[] = []
  for (let index = 0; index < count; index++) {
    const next = await iterator.next()
    assert.equal(next.done, false)
    pulled.push(next.value as IncomingRequest)
  }
  return pulled
}

for (const kind of kinds) {
  describe(`EmbeddedRequestSource on a ${kind.name} store`, () => {
    test('yields queued requests oldest first on embedded/0, offset = seq', async () => {
      const store = await kind.open()
      await store.requests.enqueue(['a', 'b'])
      await store.requests.enqueue(['c'])
      const source = new EmbeddedRequestSource(store.requests, { ...NO_POLL, readAheadCount: 2 })
      const pulled = await pull(source[Symbol.asyncIterator](), 3)
      assert.deepStrictEqual(pulled.map(shapeOf), [
        { value: 'a', stream: EMBEDDED_STREAM, offset: 1n },
        { value: 'b', stream: EMBEDDED_STREAM, offset: 2n },
        { value: 'c', stream: EMBEDDED_STREAM, offset: 3n }
      ])
      await source.close()
      await store.close()
    })

    test('commit marks the request and every earlier one done', async () => {
      const store = await kind.open()
      await store.requests.enqueue(['a', 'b', 'c', 'd'])
      const source = new EmbeddedRequestSource(store.requests, NO_POLL)
      const [, , third] = await pull(source[Symbol.asyncIterator](), 3)
      await third?.commit()
      assert.deepStrictEqual(await store.requests.queuedAfter(0, 10), [{ seq: 4, value: 'd' }])
      await source.close()
      await store.close()
    })

    test('yields uncommitted requests again after a reopen, and committed ones never', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      await store.requests.enqueue(['a', 'b', 'c'])
      const source = new EmbeddedRequestSource(store.requests, NO_POLL)
      const [first] = await pull(source[Symbol.asyncIterator](), 3)
      await first?.commit()
      // No close of the source: as after a crash.
      await store.close()

      const reopened = await kind.open(location)
      const again = new EmbeddedRequestSource(reopened.requests, NO_POLL)
      assert.deepStrictEqual((await pull(again[Symbol.asyncIterator](), 2)).map(request => request.value.toString()), ['b', 'c'])
      await again.close()
      await reopened.close()
    })

    test('reads only when pulled, at most readAheadCount at a time', async () => {
      const store = await kind.open()
      await store.requests.enqueue(['a', 'b', 'c', 'd', 'e'])
      const reads = mock.method(store.requests, 'queuedAfter')
      const source = new EmbeddedRequestSource(store.requests, { ...NO_POLL, readAheadCount: 2 })
      const iterator = source[Symbol.asyncIterator]()
      assert.equal(reads.mock.callCount(), 0)
      await pull(iterator, 1)
      assert.deepStrictEqual(reads.mock.calls.map(call => call.arguments), [[0, 2]])
      await pull(iterator, 1)
      assert.equal(reads.mock.callCount(), 1)
      await pull(iterator, 1)
      assert.deepStrictEqual(reads.mock.calls.map(call => call.arguments), [[0, 2], [2, 2]])
      await source.close()
      await store.close()
    })

    test('after a batch shorter than readAheadCount, waits for the next enqueue instead of reading again', async () => {
      const store = await kind.open()
      await store.requests.enqueue(['a'])
      const reads = mock.method(store.requests, 'queuedAfter')
      const source = new EmbeddedRequestSource(store.requests, { ...NO_POLL, readAheadCount: 2 })
      const iterator = source[Symbol.asyncIterator]()
      await pull(iterator, 1)
      const next = iterator.next()
      await setImmediate()
      await setImmediate()
      assert.deepStrictEqual(reads.mock.calls.map(call => call.arguments), [[0, 2]])
      await store.requests.enqueue(['b'])
      assert.equal((await next).value?.value.toString(), 'b')
      await source.close()
      await store.close()
    })

    test('takes a batch enqueued in this process without reading it back where the store hands it on, and reads the store past a gap', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      const other = await kind.open(location)
      await store.requests.enqueue(['a'])
      const reads = mock.method(store.requests, 'queuedAfter')
      const source = new EmbeddedRequestSource(store.requests, { ...NO_POLL, readAheadCount: 4 })
      const iterator = source[Symbol.asyncIterator]()
      await pull(iterator, 1)
      await store.requests.enqueue(['b', 'c'])
      assert.deepStrictEqual((await pull(iterator, 2)).map(request => request.value.toString()), ['b', 'c'])
      // Another process's request comes between: this process's next batch does not follow c.
      await other.requests.enqueue(['d'])
      await store.requests.enqueue(['e'])
      assert.deepStrictEqual((await pull(iterator, 2)).map(request => request.value.toString()), ['d', 'e'])
      // SQLite hands this process's batches on; PostgreSQL does not, and its reads depend on when its notices arrive.
      if (kind.name === 'sqlite') assert.deepStrictEqual(reads.mock.calls.map(call => call.arguments), [[0, 4], [3, 4]])
      await source.close()
      await other.close()
      await store.close()
    })

    test('reads again at once after a short batch when a batch was enqueued while the consumer held it', async () => {
      const store = await kind.open()
      await store.requests.enqueue(['a'])
      const source = new EmbeddedRequestSource(store.requests, { ...NO_POLL, readAheadCount: 2 })
      const iterator = source[Symbol.asyncIterator]()
      await pull(iterator, 1)
      await store.requests.enqueue(['b'])
      assert.equal((await iterator.next()).value?.value.toString(), 'b')
      await source.close()
      await store.close()
    })

    test('waits when the queue is empty and wakes as soon as a batch is enqueued in this process', async () => {
      const store = await kind.open()
      const source = new EmbeddedRequestSource(store.requests, NO_POLL)
      const next = source[Symbol.asyncIterator]().next()
      await store.requests.enqueue(['late'])
      assert.equal((await next).value?.value.toString(), 'late')
      await source.close()
      await store.close()
    })

    test('finds a batch enqueued by another process when it polls', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      const other = await kind.open(location)
      const source = new EmbeddedRequestSource(store.requests, { pollIntervalMs: 20 })
      const next = source[Symbol.asyncIterator]().next()
      await other.requests.enqueue(['from elsewhere'])
      assert.equal((await next).value?.value.toString(), 'from elsewhere')
      await source.close()
      await other.close()
      await store.close()
    })

    test('close ends a pull waiting for requests, and every later iteration', async () => {
      const store = await kind.open()
      const source = new EmbeddedRequestSource(store.requests, NO_POLL)
      const read = firstRead(store)
      const waiting = source[Symbol.asyncIterator]().next()
      // The source holds the lease and found the queue empty: it waits for a batch now.
      await read
      await source.close()
      assert.deepStrictEqual(await waiting, { done: true, value: undefined })
      await store.requests.enqueue(['after close'])
      assert.deepStrictEqual(await source[Symbol.asyncIterator]().next(), { done: true, value: undefined })
      await store.close()
    })

    // The pull starts taking the lease at once; PostgreSQL's is a session still connecting when
    // close comes. See the report: ConsumerLeases.acquire never returns when `until` aborts
    // during client.connect() (node-postgres never settles connect() after end()).
    test('close ends a pull still waiting for the lease', async () => {
      const store = await kind.open()
      const source = new EmbeddedRequestSource(store.requests, NO_POLL)
      const waiting = source[Symbol.asyncIterator]().next()
      await source.close()
      const timer = new AbortController()
      const outcome = await Promise.race([waiting, sleep(2_000, 'still waiting after 2 s', { signal: timer.signal })])
      timer.abort()
      await store.close()
      assert.deepStrictEqual(outcome, { done: true, value: undefined })
    })

    test('close ends the iteration of a consumer holding a request; the rest stays queued', async () => {
      const store = await kind.open()
      await store.requests.enqueue(['a', 'b', 'c'])
      const source = new EmbeddedRequestSource(store.requests, NO_POLL)
      const seen: string[] = []
      for await (const request of source) {
        seen.push(request.value.toString())
        await source.close()
      }
      assert.deepStrictEqual([seen, await store.requests.countQueued()], [['a'], 3])
      await store.close()
    })

    test('refuses a read-ahead below one', async () => {
      const store = await kind.open()
      assert.throws(() => new EmbeddedRequestSource(store.requests, { readAheadCount: 0 }), /readAheadCount must be a whole number >= 1, got 0/)
      await store.close()
    })
  })
}
