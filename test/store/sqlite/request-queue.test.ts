import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { tempStoreFiles } from '../temp-files.ts'

const files = await tempStoreFiles('request-queue')

test('RequestQueue enqueue gives each value the next seq, in order, and queuedAfter reads them in pages', async () => {
  const store = SqliteStore.open(files.next())
  const { requests } = store
  assert.deepStrictEqual(await requests.enqueue(['a', 'b']), [1, 2])
  assert.deepStrictEqual(await requests.enqueue([]), [])
  assert.deepStrictEqual(await requests.enqueue(['c']), [3])
  assert.deepStrictEqual([requests.queuedAfter(0, 2), requests.queuedAfter(2, 2), requests.queuedAfter(3, 2)], [
    [{ seq: 1, value: 'a' }, { seq: 2, value: 'b' }],
    [{ seq: 3, value: 'c' }],
    []
  ])
  store.close()
})

test('RequestQueue enqueue calls the onEnqueued listeners once the batch is committed', async () => {
  const store = SqliteStore.open(files.next())
  const seen: number[] = []
  const stop = store.requests.onEnqueued(() => seen.push(store.requests.countQueued()))
  await store.requests.enqueue(['a', 'b'])
  stop()
  await store.requests.enqueue(['c'])
  assert.deepStrictEqual(seen, [2])
  store.close()
})

test('RequestQueue markDone marks the prefix up to a seq done, once', async () => {
  const store = SqliteStore.open(files.next())
  const { requests } = store
  await requests.enqueue(['a', 'b', 'c', 'd'])
  assert.deepStrictEqual([await requests.markDone(2), await requests.markDone(2), await requests.markDone(3)], [2, 0, 1])
  assert.deepStrictEqual([requests.queuedAfter(0, 10), requests.countQueued()], [[{ seq: 4, value: 'd' }], 1])
  store.close()
})

test('RequestQueue never hands out a seq twice, not even after the newest requests were pruned', async () => {
  const nowMs = Date.parse('2026-11-01T00:00:00Z')
  const file = files.next()
  const store = SqliteStore.open(file, { now: () => nowMs, retentionMs: 1 })
  await store.requests.enqueue(['a', 'b'])
  await store.requests.markDone(2)
  assert.deepStrictEqual(await store.prune(new Date(nowMs + 10)), { requests: 2, statuses: 0, correlations: 0 })
  store.close()
  const reopened = SqliteStore.open(file)
  assert.deepStrictEqual(await reopened.requests.enqueue(['c']), [3])
  reopened.close()
})

test('RequestQueue isQueued is true for a queued request only', async () => {
  const store = SqliteStore.open(files.next())
  await store.requests.enqueue(['a', 'b'])
  await store.requests.markDone(1)
  assert.deepStrictEqual([1, 2, 3].map(seq => store.requests.isQueued(seq)), [false, true, false])
  store.close()
})
