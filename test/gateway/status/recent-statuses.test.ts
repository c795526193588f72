import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RecentStatuses } from '../../../src/gateway/status/recent-statuses.ts'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import { garbageCollector } from '../../harness/garbage-collector.ts'

const at = new Date('2026-11-21T10:00:00Z')
const status = (clientId: string, correlId: string, value: StatusEvent['status']): StatusEvent => ({ clientId, correlId, timestamp: at, status: value })

test('RecentStatuses keeps each request\'s statuses in order and feeds subscribers of its client', async () => {
  const feed = new RecentStatuses()
  const seen: string[] = []
  const stop = feed.subscribe('acme', event => seen.push(`${event.correlId} ${event.status}`))
  const everything: string[] = []
  feed.subscribe(undefined, event => everything.push(event.clientId))
  await feed.report(status('acme', 'c1', 'SENT'))
  await feed.report(status('other', 'c1', 'SENT'))
  await feed.report(status('acme', 'c1', 'DELIVERED'))
  stop()
  await feed.report(status('acme', 'c2', 'SENT'))
  assert.deepEqual((await feed.history('acme', 'c1')).map(event => event.status), ['SENT', 'DELIVERED'])
  assert.deepEqual([seen, everything], [['c1 SENT', 'c1 DELIVERED'], ['acme', 'other', 'acme', 'acme']])
})

test('RecentStatuses forgets the least recently reported request past its bound', async () => {
  const feed = new RecentStatuses(2)
  await feed.report(status('a', '1', 'SENT'))
  await feed.report(status('a', '2', 'SENT'))
  await feed.report(status('a', '1', 'DELIVERED'))
  await feed.report(status('a', '3', 'SENT'))
  assert.deepEqual([(await feed.history('a', '1')).length, (await feed.history('a', '2')).length, (await feed.history('a', '3')).length], [2, 0, 1])
})

test('RecentStatuses forgets the least recently reported requests once their estimated bytes pass its budget', async () => {
  const feed = new RecentStatuses(1_000, 10_000)
  for (let n = 0; n < 100; n++) await feed.report(status('a', `${n}`.padStart(200, '0'), 'SENT'))
  assert.ok(feed.bytes <= 10_000, `${feed.bytes} bytes`)
  assert.deepEqual((await feed.history('a', '99'.padStart(200, '0'))).length, 1)
  assert.deepEqual((await feed.history('a', '0'.padStart(200, '0'))).length, 0)
  // One request larger than the whole budget (the error text of a long recipient) is not kept.
  await feed.report({ ...status('a', 'huge', 'INVALID'), errorText: 'x'.repeat(10_000) })
  assert.deepEqual([(await feed.history('a', 'huge')).length, feed.bytes], [0, 0])
})

test('RecentStatuses bounds a request whose statuses keep coming (a receipt the SMSC sends again and again)', async () => {
  const feed = new RecentStatuses(1_000, 10_000)
  for (let n = 0; n < 1_000; n++) await feed.report(status('a', 'again', 'DELIVERED'))
  assert.ok(feed.bytes <= 10_000, `${feed.bytes} bytes`)
})

// Issue 9: 100,000 requests were bounded by count only, which at 770 bytes and up each is more
// than the gateway's heap. The estimate must not fall short of what the heap really holds.
test('RecentStatuses estimates no less heap than its histories take, for short, long and non-Latin-1 ids', async () => {
  const gc = garbageCollector()
  const cases = [
    ['acme', (n: number) => `3f6c2a1e-9b7d-4c1a-8e2f-${String(n).padStart(12, '0')}`],
    ['acme', (n: number) => `${n}`.padStart(256, 'x')],
    ['клиент', (n: number) => `${n}`.padStart(128, 'é')]
  ] as const
  for (const [clientId, id] of cases) {
    const { estimated, held } = await measure(gc, clientId, id)
    const what = `${clientId} ${id(0).length} characters: estimated ${estimated} bytes, the heap grew ${held}`
    assert.ok(estimated >= held, what)
    assert.ok(estimated < 4 * held, what)
  }
})

/** What 5,000 requests of a SENT and a DELIVERED take in `RecentStatuses`: estimated, and as the heap grew. */
async function measure (gc: () => void, clientId: string, id: (n: number) => string): Promise<{ estimated: number, held: number }> {
  gc()
  gc()
  const before = process.memoryUsage().heapUsed
  const feed = new RecentStatuses(Infinity, Infinity)
  for (let n = 0; n < 5_000; n++) {
    // Fresh strings, as a store or a parser hands them over.
    const [sentId, deliveredId] = [id(n), id(n)].map(text => JSON.parse(JSON.stringify(text)) as string)
    await feed.report({ ...status(clientId, sentId as string, 'SENT'), timestamp: new Date(), recallId: String(4_000_000_000 + n) })
    await feed.report({ ...status(clientId, deliveredId as string, 'DELIVERED'), timestamp: new Date() })
  }
  gc()
  gc()
  const held = process.memoryUsage().heapUsed - before
  assert.ok((await feed.history(clientId, id(0))).length === 2)
  return { estimated: feed.bytes, held }
}
