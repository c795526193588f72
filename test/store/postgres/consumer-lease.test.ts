import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import type { ConsumerLease } from '../../../src/store/embedded-store.ts'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.ts'
import { EmbeddedRequestSource } from '../../../src/transport/embedded/embedded-request-source.ts'
import type { IncomingRequest } from '../../../src/gateway/request-source.ts'
import { withAdmin } from '../store-kinds.ts'
import { consumerLockHolders, inSchema, leaseRow, newPostgresDatabase, sessionCount, within, type TestDatabase } from './databases.ts'
import { eventually } from '../../harness/eventually.ts'

// The queue's consumer lease in PostgreSQL (src/store/postgres/consumer-lease.ts): an advisory
// lock held by a session of its own, and an epoch in smsgw_consumer_lease that fences markDone.
// Each test takes a database of its own: the lock is per database, and the tests look at it.

const forever = new AbortController().signal
const errors: unknown[] = []
const opened: PostgresStore[] = []
after(async () => { await Promise.all(opened.map(async store => { await store.close() })) })

/** Opens a store that is closed after the tests (closing twice is harmless), its errors kept. */
async function open (url: string): Promise<PostgresStore> {
  const store = await PostgresStore.open(url, { poolSize: 2, onError: error => errors.push(error) })
  opened.push(store)
  return store
}

/** Kills the session holding the consumer lease's lock in `database`, as a broken connection would. */
async function killLeaseSession (database: TestDatabase): Promise<void> {
  const holders = await consumerLockHolders(database)
  assert.equal(holders.length, 1, 'one session holds the lease')
  await withAdmin(async admin => { await admin.query('SELECT pg_terminate_backend($1)', [holders[0]]) })
}

test('a second store waits for the lease while the first holds it, and takes it as soon as the first closes; the epoch grows', async () => {
  const database = await newPostgresDatabase()
  const first = await open(database.url)
  const second = await open(database.url)
  assert.equal((await leaseRow(database.url)).epoch, 0)
  assert.ok(await first.requests.leaseConsumer(forever) !== undefined)
  assert.equal((await leaseRow(database.url)).epoch, 1)

  let secondLease: unknown
  const waiting = second.requests.leaseConsumer(forever).then(lease => { secondLease = lease })
  // The second one keeps asking for the lock, and does not get it while the first holds it.
  assert.equal(await within(waiting, 600, 'still waiting'), 'still waiting')
  assert.equal((await consumerLockHolders(database)).length, 1)
  assert.equal(secondLease, undefined)
  assert.equal((await leaseRow(database.url)).epoch, 1)

  await first.requests.enqueue(['a'])
  const closedAt = performance.now()
  await first.close()
  await waiting
  // Promptly: it asks for the lock every 250 ms.
  assert.ok(performance.now() - closedAt < 2_000, `took the lease ${Math.round(performance.now() - closedAt)} ms after the close`)
  assert.ok(secondLease !== undefined)
  const row = await leaseRow(database.url)
  assert.equal(row.epoch, 2)
  assert.match(row.holder, new RegExp(`/${process.pid}$`))
  // The new holder may mark done.
  assert.equal(await second.requests.markDone(1, secondLease as ConsumerLease), 1)
  await second.close()
})

test('an aborted wait for the lease resolves undefined at once, and takes no lease later', async () => {
  const database = await newPostgresDatabase()
  const first = await open(database.url)
  const second = await open(database.url)
  assert.ok(await first.requests.leaseConsumer(forever) !== undefined)
  const stop = new AbortController()
  const waiting = second.requests.leaseConsumer(stop.signal)
  assert.equal(await within(waiting, 300, 'still waiting'), 'still waiting')
  stop.abort()
  assert.equal(await within(waiting, 2_000, 'still waiting'), undefined)
  await first.close()
  // The lock is free now, and nobody took the lease: the epoch is still the first's.
  await eventually('the lock to be free', async () => (await consumerLockHolders(database)).length === 0)
  assert.equal((await leaseRow(database.url)).epoch, 1)
  await second.close()
})

test('an aborted wait for the lease leaves no session behind in the server', async () => {
  const database = await newPostgresDatabase()
  const first = await open(database.url)
  assert.ok(await first.requests.leaseConsumer(forever) !== undefined)
  const before = await sessionCount(database)
  const second = await open(database.url)
  const stop = new AbortController()
  const waiting = second.requests.leaseConsumer(stop.signal)
  await eventually('the second store\'s lease session to connect', async () => await sessionCount(database) > before)
  stop.abort()
  await waiting
  await second.close()
  try {
    await eventually('the aborted session to end', async () => await sessionCount(database) === before, 2_000)
  } finally {
    await first.close()
  }
})

test('when the holder\'s session is killed, its lease is lost, its markDone rejects, and a standby takes the lease with a larger epoch', async () => {
  const database = await newPostgresDatabase()
  const holder = await open(database.url)
  const standby = await open(database.url)
  const lease = await holder.requests.leaseConsumer(forever)
  assert.ok(lease !== undefined)
  await holder.requests.enqueue(['a', 'b', 'c'])
  assert.equal(await holder.requests.markDone(1, lease), 1)
  const epochBefore = (await leaseRow(database.url)).epoch

  let standbyLease: ConsumerLease | undefined
  const standing = standby.requests.leaseConsumer(forever).then(taken => { standbyLease = taken })
  assert.equal(await within(standing, 300, 'still waiting'), 'still waiting')

  assert.equal(lease.lost.aborted, false)
  await killLeaseSession(database)
  await eventually('the lease to be lost', () => lease.lost.aborted)
  await assert.rejects(holder.requests.markDone(2, lease), /lease/)

  await within(standing, 5_000, undefined)
  assert.ok(standbyLease !== undefined, 'the standby holds the lease')
  assert.ok((await leaseRow(database.url)).epoch > epochBefore)

  // The old holder's pool is alive and answers; still it may not mark done, now or later.
  assert.equal(await holder.reachable(), true)
  assert.equal(await holder.requests.countQueued(), 2)
  await assert.rejects(holder.requests.markDone(3, lease), /lease/)
  assert.equal(await standby.requests.countQueued(), 2)
  assert.equal(await standby.requests.markDone(3, standbyLease as ConsumerLease), 2)
  await holder.close()
  await standby.close()
})

test('markDone rejects, marking nothing, once the epoch moved on while this instance still thinks it holds the lease', async () => {
  // As when the holder's connection broke without it noticing yet and another instance took
  // over: the database has the last word.
  const database = await newPostgresDatabase()
  const store = await open(database.url)
  const lease = await store.requests.leaseConsumer(forever)
  assert.ok(lease !== undefined)
  await store.requests.enqueue(['a', 'b'])
  await withAdmin(async admin => { await admin.query('UPDATE smsgw_consumer_lease SET epoch = epoch + 1') }, database.url)
  await assert.rejects(store.requests.markDone(2, lease), { code: 'SMSGW_STORE_LEASE_LOST', message: /consumer lease passed to another instance/ })
  assert.equal(await store.requests.countQueued(), 2)
  await store.close()
})

test('a source whose lease is lost stops yielding, and the standby\'s source yields the uncommitted requests again', async () => {
  const database = await newPostgresDatabase()
  const holder = await open(database.url)
  const standby = await open(database.url)
  await holder.requests.enqueue(['a', 'b', 'c'])
  const first = new EmbeddedRequestSource(holder.requests, { pollIntervalMs: 60_000 })
  const firstIterator = first[Symbol.asyncIterator]()
  const [a, b] = [await firstIterator.next(), await firstIterator.next()].map(next => next.value as IncomingRequest)
  await a?.commit()
  assert.equal(b?.value.toString(), 'b')

  const second = new EmbeddedRequestSource(standby.requests, { pollIntervalMs: 60_000 })
  const secondIterator = second[Symbol.asyncIterator]()
  const fromStandby = secondIterator.next()
  assert.equal(await within(fromStandby, 300, 'still waiting'), 'still waiting')
  await killLeaseSession(database)
  // b was yielded but not committed: the standby yields it again, then c.
  assert.equal((await fromStandby).value?.value.toString(), 'b')
  assert.equal((await secondIterator.next()).value?.value.toString(), 'c')
  // The old holder's commit of b comes too late: the standby reads b again (and commits it).
  await assert.rejects(b?.commit() ?? Promise.resolve(), /lease/)
  await first.close()
  assert.deepStrictEqual(await firstIterator.next(), { done: true, value: undefined })
  await second.close()
  await holder.close()
  await standby.close()
})

test('stores in two schemas of one database each get a consumer lease of their own', async () => {
  const database = await newPostgresDatabase()
  const one = await open(await inSchema(database, 'deployment_one'))
  const two = await open(await inSchema(database, 'deployment_two'))
  assert.ok(await one.requests.leaseConsumer(forever) !== undefined)
  const stop = new AbortController()
  const waiting = two.requests.leaseConsumer(stop.signal)
  const outcome = await within(waiting, 1_000, 'still waiting')
  stop.abort()
  await one.close()
  await two.close()
  assert.notEqual(outcome, 'still waiting', 'the second deployment waits for the first one\'s consumer')
})

after(() => {
  // Errors of lease sessions are expected where a test kills one; anything else is a failure.
  const unexpected = errors.filter(error => !/terminating connection due to administrator command|Connection terminated/.test(String(error)))
  assert.deepStrictEqual(unexpected, [])
})
