import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.ts'
import { EmbeddedStatusStore } from '../../../src/transport/embedded/embedded-status-store.ts'
import { newPostgresLocation } from '../store-kinds.ts'
import { eventually } from '../../harness/eventually.ts'

// Instances sharing a PostgreSQL store hear each other's statuses (NOTIFY at the commit of the
// status), so a live stream on any instance shows what the consumer reports; webhooks, which
// subscribe to what was reported here, fire on the reporting instance only.

const sent = (correlId: string): StatusEvent => ({ clientId: 'demo', correlId, timestamp: new Date('2026-11-22T10:00:00Z'), status: 'SENT', recallId: '7' })

test('a status reported through one instance reaches the live subscribers of another, once, and not its reported-here subscribers', async t => {
  const url = await newPostgresLocation()
  const [reporting, other] = [await PostgresStore.open(url), await PostgresStore.open(url)]
  t.after(async () => { await Promise.all([reporting, other].map(async store => { await store.close() })) })
  const here = new EmbeddedStatusStore(reporting.statuses)
  const there = new EmbeddedStatusStore(other.statuses)
  const heard = { here: [] as string[], hereReported: [] as string[], there: [] as string[], thereOfClient: [] as string[], thereReported: [] as string[] }
  here.subscribe(undefined, event => heard.here.push(event.correlId))
  here.subscribe(undefined, event => heard.hereReported.push(event.correlId), { reportedHere: true })
  there.subscribe(undefined, event => heard.there.push(event.correlId))
  there.subscribe('demo', event => heard.thereOfClient.push(event.correlId))
  there.subscribe(undefined, event => heard.thereReported.push(event.correlId), { reportedHere: true })
  // The other instance's listener connects in the background: probes tell when it does.
  let probes = 0
  await eventually('the other instance to listen', async () => {
    await here.report(sent(`probe-${++probes}`))
    return heard.there.some(correlId => correlId.startsWith('probe-'))
  })

  await here.report(sent('S1'))
  await here.report(sent('S2'))
  await eventually('the other instance to hear both', () => heard.there.includes('S2'))
  await sleep(200)
  const real = (list: string[]): string[] => list.filter(correlId => !correlId.startsWith('probe-'))
  assert.deepStrictEqual(Object.fromEntries(Object.entries(heard).map(([name, list]) => [name, real(list)])),
    { here: ['S1', 'S2'], hereReported: ['S1', 'S2'], there: ['S1', 'S2'], thereOfClient: ['S1', 'S2'], thereReported: [] })
  assert.deepStrictEqual((await there.history('demo', 'S1')).map(event => event.status), ['SENT'])
})

test('statuses of a deployment in another schema of the database are not heard', async t => {
  const [mine, theirs] = [await newPostgresLocation(), await newPostgresLocation()]
  const [listening, sibling, foreign] = [await PostgresStore.open(mine), await PostgresStore.open(mine), await PostgresStore.open(theirs)]
  t.after(async () => { await Promise.all([listening, sibling, foreign].map(async store => { await store.close() })) })
  const heard: string[] = []
  new EmbeddedStatusStore(listening.statuses).subscribe(undefined, event => heard.push(event.correlId))
  // A status of my own deployment from a sibling instance proves the listener is up. Each probe
  // is a request of its own: a status with a recall-id is stored (and announced) once.
  let probes = 0
  await eventually('the listener to be up', async () => {
    await new EmbeddedStatusStore(sibling.statuses).report(sent(`mine-${++probes}`))
    return heard.some(correlId => correlId.startsWith('mine-'))
  })
  await new EmbeddedStatusStore(foreign.statuses).report(sent('theirs'))
  await sleep(300)
  assert.ok(!heard.includes('theirs'), JSON.stringify(heard))
})
