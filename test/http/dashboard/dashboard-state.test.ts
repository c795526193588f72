import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import { DashboardState, MAX_DASHBOARD_ID_CHARS } from '../../../src/http/dashboard/dashboard-state.ts'
import { garbageCollector } from '../../harness/garbage-collector.ts'

const t0 = Date.parse('2026-11-21T10:00:00Z')
const zero = { SENT: 0, DELIVERED: 0, EXPIRED: 0, INVALID: 0, FAILED: 0 }

function event (correlId: string, status: StatusEvent['status'], extra: Partial<StatusEvent> = {}): StatusEvent {
  return { clientId: 'acme', correlId, timestamp: new Date(t0), status, ...extra }
}

/** A state on a clock the test moves, counting requests in `requests.total`. */
function stateAt (options: { maxRequests?: number, throughputSeconds?: number, statusBuckets?: number } = {}): { state: DashboardState, clock: { ms: number }, requests: { total: number } } {
  const clock = { ms: t0 }
  const requests = { total: 0 }
  return { state: new DashboardState({ clock: () => clock.ms, requestsTotal: () => requests.total, statusBucketMs: 60_000, ...options }), clock, requests }
}

test('DashboardState lists requests newest first with their statuses, ids and recall-id only', async () => {
  const { state } = stateAt()
  await state.report(event('C1', 'SENT', { recallId: '4711' }))
  await state.report(event('C2', 'INVALID', { errorText: 'invalid recipient +255700111222' }))
  await state.report(event('C1', 'DELIVERED', { timestamp: new Date(t0 + 5_000) }))
  assert.deepStrictEqual(state.snapshot().requests, [
    { clientId: 'acme', correlId: 'C1', status: 'DELIVERED', time: '2026-11-21T10:00:05.000Z', recallId: '4711', statuses: ['SENT', 'DELIVERED'] },
    { clientId: 'acme', correlId: 'C2', status: 'INVALID', time: '2026-11-21T10:00:00.000Z', statuses: ['INVALID'] }
  ])
  assert.deepStrictEqual(JSON.stringify(state.snapshot()).includes('255700111222'), false)
})

test('DashboardState keeps showing the final status when a SENT comes after it', async () => {
  const { state } = stateAt()
  await state.report(event('C1', 'DELIVERED'))
  await state.report(event('C1', 'SENT', { recallId: '9' }))
  assert.deepStrictEqual(state.snapshot().requests, [
    { clientId: 'acme', correlId: 'C1', status: 'DELIVERED', time: '2026-11-21T10:00:00.000Z', recallId: '9', statuses: ['DELIVERED', 'SENT'] }
  ])
})

test('DashboardState forgets the least recently reported request past maxRequests and cuts long ids', async () => {
  const { state } = stateAt({ maxRequests: 2 })
  const long = 'x'.repeat(1000)
  await state.report(event('C1', 'SENT'))
  await state.report(event('C2', 'SENT'))
  await state.report(event('C1', 'DELIVERED'))
  await state.report(event(long, 'SENT'))
  const rows = state.snapshot().requests
  assert.deepStrictEqual(rows.map(row => row.correlId.length), [MAX_DASHBOARD_ID_CHARS, 2])
  assert.deepStrictEqual([rows[0]?.correlId.endsWith('…'), rows[1]?.correlId], [true, 'C1'])
})

test('DashboardState keeps requests apart whose long ids differ only past the part it shows', async () => {
  const { state } = stateAt()
  const prefix = 'p'.repeat(300)
  await state.report(event(`${prefix}1`, 'SENT'))
  await state.report(event(`${prefix}2`, 'SENT'))
  await state.report(event(`${prefix}1`, 'DELIVERED'))
  assert.deepStrictEqual(state.snapshot().requests.map(row => row.statuses), [['SENT', 'DELIVERED'], ['SENT']])
})

// Issue 9: the rows were keyed by the ids whole, however long.
test('DashboardState holds its rows in bytes that do not grow with the ids', async () => {
  const gc = garbageCollector()
  const { state } = stateAt()
  gc()
  const before = process.memoryUsage().heapUsed
  for (let n = 0; n < 200; n++) await state.report({ ...event(`${n}`.padStart(100_000, 'x'), 'INVALID'), clientId: `${n}`.padStart(1_000, 'c') })
  gc()
  const grew = process.memoryUsage().heapUsed - before
  // 50 rows of ids cut to 128 characters; the ids of the last 50 alone would be 5 MB.
  assert.ok(grew < 512 * 1024, `the heap grew ${grew} bytes`)
  assert.deepStrictEqual(state.snapshot().requests.length, 50)
})

test('DashboardState samples requests and statuses per second, spreading requests over a gap', async () => {
  const { state, clock, requests } = stateAt()
  requests.total = 3
  await state.report(event('C1', 'SENT'))
  await state.report(event('C2', 'SENT'))
  clock.ms += 1_000
  await state.report(event('C3', 'SENT'))
  // The counter is read when a second closes: these 6 requests fall in the 3 seconds up to the next read.
  requests.total = 9
  clock.ms += 3_000
  assert.deepStrictEqual(state.snapshot().throughput, [
    { atMs: t0, requests: 3, statuses: 2 },
    { atMs: t0 + 1_000, requests: 2, statuses: 1 },
    { atMs: t0 + 2_000, requests: 2, statuses: 0 },
    { atMs: t0 + 3_000, requests: 2, statuses: 0 }
  ])
})

test('DashboardState keeps throughputSeconds samples at most, also across a long gap', async () => {
  const { state, clock } = stateAt({ throughputSeconds: 3 })
  await state.report(event('C1', 'SENT'))
  clock.ms += 1_000
  await state.report(event('C2', 'SENT'))
  clock.ms += 2_000
  assert.deepStrictEqual(state.snapshot().throughput.map(sample => [sample.atMs - t0, sample.statuses]), [[0, 1], [1_000, 1], [2_000, 0]])
  clock.ms += 3_600_000
  assert.deepStrictEqual(state.snapshot().throughput.map(sample => sample.atMs - t0), [3_600_000, 3_601_000, 3_602_000])
})

test('DashboardState counts statuses by kind per minute, empty minutes included, the last statusBuckets kept', async () => {
  const { state, clock } = stateAt({ statusBuckets: 3 })
  await state.report(event('C1', 'SENT'))
  await state.report(event('C1', 'DELIVERED'))
  clock.ms += 120_000
  await state.report(event('C2', 'FAILED'))
  assert.deepStrictEqual(state.snapshot().statusesByKind, [
    { atMs: t0, counts: { ...zero, SENT: 1, DELIVERED: 1 } },
    { atMs: t0 + 60_000, counts: zero },
    { atMs: t0 + 120_000, counts: { ...zero, FAILED: 1 } }
  ])
  clock.ms += 60_000
  assert.deepStrictEqual(state.snapshot().statusesByKind.map(bucket => bucket.atMs - t0), [60_000, 120_000, 180_000])
  clock.ms += 3_600_000
  assert.deepStrictEqual(state.snapshot().statusesByKind.map(bucket => bucket.atMs - t0), [3_660_000, 3_720_000, 3_780_000])
})

test('DashboardState gives the whole window of buckets from the start, empty before the first status', async () => {
  const { state } = stateAt({ statusBuckets: 3 })
  await state.report(event('C1', 'EXPIRED'))
  assert.deepStrictEqual(state.snapshot().statusesByKind, [
    { atMs: t0 - 120_000, counts: zero },
    { atMs: t0 - 60_000, counts: zero },
    { atMs: t0, counts: { ...zero, EXPIRED: 1 } }
  ])
})
