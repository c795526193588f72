import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setImmediate, setTimeout as sleep } from 'node:timers/promises'
import { advisoryKey } from '../../../src/store/postgres/advisory-locks.ts'
import { ledgerKey } from '../../../src/domain/ledger-record.ts'
import { RequestLedger } from '../../../src/gateway/ledger/request-ledger.ts'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.ts'
import { EmbeddedRequestSource } from '../../../src/transport/embedded/embedded-request-source.ts'
import { StoreLedgerLog } from '../../../src/transport/embedded/store-ledger-log.ts'
import { newPostgresLocation, withAdmin } from '../store-kinds.ts'
import { firstRead } from '../../transport/embedded/source-fixtures.ts'
import { newPostgresDatabase, within } from './databases.ts'
import { eventually } from '../../harness/eventually.ts'

// What the PostgreSQL store does that the SQLite one need not: instances on other machines
// enqueue into one queue, wake its consumer through LISTEN/NOTIFY, and commit in seq order.
// The tests that wait on the consumer lease, or hold an advisory lock, take a database of their
// own (locks are per database; other test files share the run's database).

test('a batch enqueued through another instance wakes the consumer\'s idle source at once, well before it polls', async () => {
  const { url } = await newPostgresDatabase()
  const consumer = await PostgresStore.open(url)
  const other = await PostgresStore.open(url)
  const source = new EmbeddedRequestSource(consumer.requests, { pollIntervalMs: 60_000 })
  const read = firstRead(consumer)
  const next = source[Symbol.asyncIterator]().next()
  // The source holds the lease (and so LISTENs), found the queue empty, and waits.
  await read
  const startedMs = performance.now()
  await other.requests.enqueue(['from the other instance'])
  const woken = await within(next, 5_000, undefined)
  assert.equal(woken?.value?.value.toString(), 'from the other instance')
  assert.ok(performance.now() - startedMs < 5_000)
  await source.close()
  await other.close()
  await consumer.close()
})

test('the consumer\'s onEnqueued listeners hear each batch once: another instance\'s by its notice, its own not twice', async () => {
  const { url } = await newPostgresDatabase()
  const consumer = await PostgresStore.open(url)
  const other = await PostgresStore.open(url)
  assert.ok(await consumer.requests.leaseConsumer(new AbortController().signal) !== undefined)
  let heard = 0
  consumer.requests.onEnqueued(() => { heard++ })
  await other.requests.enqueue(['a'])
  await eventually('the notice of the other instance\'s batch', () => heard > 0)
  assert.equal(heard, 1)
  await consumer.requests.enqueue(['b'])
  // Time for the notice of its own batch to come back, which it must ignore.
  await sleep(300)
  assert.equal(heard, 2)
  await other.close()
  await consumer.close()
})

test('enqueue resolves only once its batch is committed: while another session holds the queue\'s order lock, it waits and nobody sees it', async () => {
  const { url } = await newPostgresDatabase()
  const store = await PostgresStore.open(url)
  const reader = await PostgresStore.open(url)
  await withAdmin(async admin => {
    await admin.query(`SELECT pg_advisory_lock(${advisoryKey('queueOrder')})`)
    const enqueued = store.requests.enqueue(['a', 'b'])
    try {
      assert.equal(await within(enqueued, 300, 'pending'), 'pending')
      assert.deepStrictEqual(await reader.requests.queuedAfter(0, 10), [])
    } finally {
      await admin.query(`SELECT pg_advisory_unlock(${advisoryKey('queueOrder')})`)
    }
    assert.deepStrictEqual(await enqueued, [1, 2])
  }, url)
  assert.deepStrictEqual(await reader.requests.queuedAfter(0, 10), [{ seq: 1, value: 'a' }, { seq: 2, value: 'b' }])
  await reader.close()
  await store.close()
})

test('a reader on another instance sees every request that instances enqueue concurrently exactly once, in seq order: commit order is seq order', async () => {
  const location = await newPostgresLocation()
  // An instance writes one batch at a time (SerialBatches), so the races are between
  // instances: six of them, each enqueueing small batches one after another. Without the
  // order lock in PostgresRequestQueue, the reader misses requests in most runs.
  const writers = await Promise.all(Array.from({ length: 6 }, async () => await PostgresStore.open(location, { poolSize: 2 })))
  const reader = await PostgresStore.open(location, { poolSize: 1 })
  const LOOPS = 1
  const BATCHES = 40
  const enqueued = new Map<string, number>()
  let writing = true
  const writes = Promise.all(writers.flatMap((writer, w) => Array.from({ length: LOOPS }, async (_, loop) => {
    for (let batch = 0; batch < BATCHES; batch++) {
      const values = Array.from({ length: 1 + (batch % 3) }, (_, position) => `${w}/${loop}/${batch}/${position}`)
      const seqs = await writer.requests.enqueue(values)
      values.forEach((value, index) => enqueued.set(value, seqs[index] as number))
    }
  }))).finally(() => { writing = false })

  // As the source reads: from the last seq seen, oldest first, again and again.
  const seen: Array<{ seq: number, value: string }> = []
  let lastSeq = 0
  for (;;) {
    const wasWriting = writing
    const batch = await reader.requests.queuedAfter(lastSeq, 7)
    for (const request of batch) {
      assert.ok(request.seq > lastSeq, `seq ${request.seq} after ${lastSeq}`)
      lastSeq = request.seq
      seen.push(request)
    }
    if (batch.length === 0) {
      if (!wasWriting) break
      await setImmediate()
    }
  }
  await writes

  const valuesPerLoop = Array.from({ length: BATCHES }, (_, batch) => 1 + (batch % 3)).reduce((sum, count) => sum + count, 0)
  assert.equal(enqueued.size, writers.length * LOOPS * valuesPerLoop)
  assert.equal(new Set(seen.map(request => request.value)).size, seen.length, 'no request seen twice')
  assert.deepStrictEqual(new Map(seen.map(request => [request.value, request.seq])), enqueued, 'every request seen, at the seq its enqueue resolved with')
  assert.equal(await reader.requests.countQueued(), enqueued.size)
  await Promise.all([...writers, reader].map(async store => { await store.close() }))
})

test('a value PostgreSQL refuses (a NUL character) fails its own enqueue only; the batches of the same commit land', async () => {
  const location = await newPostgresLocation()
  const store = await PostgresStore.open(location)
  // Enqueued in the same turn: one INSERT, which fails, then one per batch.
  const results = await Promise.allSettled([
    store.requests.enqueue(['a1', 'a2']),
    store.requests.enqueue(['bad\u0000']),
    store.requests.enqueue(['c1'])
  ])
  assert.deepStrictEqual(results.map(result => result.status), ['fulfilled', 'rejected', 'fulfilled'])
  assert.match(String((results[1] as PromiseRejectedResult).reason), /0x00/)
  const [a, , c] = results.map(result => result.status === 'fulfilled' ? result.value : [])
  assert.deepStrictEqual(await store.requests.queuedAfter(0, 10), [
    { seq: a?.[0], value: 'a1' }, { seq: a?.[1], value: 'a2' }, { seq: c?.[0], value: 'c1' }
  ])
  assert.equal((a?.[1] as number) - (a?.[0] as number), 1, 'a batch keeps consecutive seqs')
  // The queue goes on.
  assert.deepStrictEqual(await store.requests.enqueue(['d']), [(c?.[0] as number) + 1])
  await store.close()
})

test('a claim of a request this queue no longer holds is refused in the same statement, and the attempt says completed', async () => {
  // An attempt that read request 1 under a lease since lost, and stalled before its claim,
  // while the next holder finished it, marked it done and forgot its ledger entry.
  const store = await PostgresStore.open(await newPostgresLocation())
  const lease = await store.requests.leaseConsumer(new AbortController().signal)
  assert.ok(lease !== undefined)
  await store.requests.enqueue(['a', 'b'])
  await store.requests.markDone(1, lease)
  const ledger = new RequestLedger(new StoreLedgerLog(store.ledger), { takeoverMs: 60_000 })
  assert.deepStrictEqual(await ledger.claim(ledgerKey('demo', 'stale'), { stream: 'embedded/0', offset: 1n }), { kind: 'completed' })
  assert.equal(await store.ledger.get(ledgerKey('demo', 'stale')), undefined)
  // A request still queued, and one of another source, are claimed as ever.
  assert.equal((await ledger.claim(ledgerKey('demo', 'queued'), { stream: 'embedded/0', offset: 2n })).kind, 'owned')
  assert.equal((await ledger.claim(ledgerKey('demo', 'kafka'), { stream: 'send-sms/0', offset: 7n })).kind, 'owned')
  await store.close()
})
