import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RecentStatuses } from '../../../src/gateway/status/recent-statuses.ts'
import type { StatusEvent } from '../../../src/gateway/status/status-event.ts'

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
