import assert from 'node:assert/strict'
import { syncBuiltinESMExports } from 'node:module'
import { afterEach, beforeEach, mock, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { StatusReport, Submission } from '../../../../src/gateway/backends/backend.ts'
import { loopbackBackend } from '../../../../src/gateway/backends/loopback/loopback-backend.ts'

const DELAYS = { normalDelayMs: 100, longDelayMs: 1500 }

// The loopback sleeps with node:timers/promises and measures with performance.now. mock.timers
// replaces the module's setTimeout (syncBuiltinESMExports makes the ESM binding follow it) and
// Date; performance.now is made to read the mocked Date.
beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 })
  syncBuiltinESMExports()
  mock.method(performance, 'now', () => Date.now())
})
afterEach(() => {
  mock.restoreAll()
  mock.timers.reset()
  syncBuiltinESMExports()
})

const settle = async (): Promise<void> => {
  for (let round = 0; round < 5; round++) await new Promise(resolve => setImmediate(resolve))
}

/** Moves the mocked clock on by `ms`, letting what wakes up run. */
async function advance (ms: number): Promise<void> {
  mock.timers.tick(ms)
  await settle()
}

const submission = (correlId: string, body: string): Submission => ({
  clientId: 'test',
  correlId,
  deadline: new Date('2100-01-01T00:00:00Z'),
  message: { to: '+31629845432', sender: 'TEST', body, headers: new Map([['To', '+31629845432'], ['Sender', 'TEST']]) }
})

interface Reported { atMs: number, correlId: string, report: StatusReport }

/** Submits and records each report with the (mocked) time it came. */
function submitRecording (reported: Reported[], correlId: string, body: string, reportTakesMs = 0): { done: () => boolean, finished: Promise<void> } {
  let done = false
  const finished = loopbackBackend(DELAYS).submit(submission(correlId, body), async report => {
    reported.push({ atMs: Date.now(), correlId, report })
    if (reportTakesMs > 0) await sleep(reportTakesMs)
  }).then(() => { done = true })
  return { done: () => done, finished }
}

test('loopbackBackend is the replayable loopback and accepts every message', () => {
  const backend = loopbackBackend(DELAYS)
  const { message } = submission('C1', '')
  assert.deepStrictEqual({ name: backend.name, replayable: backend.replayable, check: backend.check(message) }, { name: 'loopback', replayable: true, check: { kind: 'continue', message } })
})

test('loopbackBackend reports the script\'s statuses at the script\'s times and resolves after the last', async () => {
  const reported: Reported[] = []
  const { done, finished } = submitRecording(reported, 'C1', 'Hello S1I1')
  await advance(99)
  assert.deepStrictEqual(reported, [])
  await advance(1)
  assert.deepStrictEqual(reported, [{ atMs: 100, correlId: 'C1', report: { status: 'SENT' } }])
  await advance(1_499)
  assert.deepStrictEqual({ reported: reported.length, done: done() }, { reported: 1, done: false })
  await advance(1)
  await finished
  assert.deepStrictEqual(reported, [
    { atMs: 100, correlId: 'C1', report: { status: 'SENT' } },
    { atMs: 1_600, correlId: 'C1', report: { status: 'INVALID', errorText: 'Invalid after successful send' } }
  ])
})

test('loopbackBackend reports nothing and resolves at once for S0D0', async () => {
  const reported: Reported[] = []
  const { finished } = submitRecording(reported, 'C1', 'S0D0')
  await finished
  assert.deepStrictEqual({ reported, now: Date.now() }, { reported: [], now: 0 })
})

test('loopbackBackend reports FAIL after the normal and the long delay', async () => {
  const reported: Reported[] = []
  const { finished } = submitRecording(reported, 'C1', 'FAIL')
  await advance(1_599)
  assert.deepStrictEqual(reported, [])
  await advance(1)
  await finished
  assert.deepStrictEqual(reported, [{ atMs: 1_600, correlId: 'C1', report: { status: 'FAILED', errorText: 'You requested this to FAIL' } }])
})

test('loopbackBackend runs submissions side by side, so one\'s delay does not hold another', async () => {
  const reported: Reported[] = []
  const slow = submitRecording(reported, 'SLOW', 'FAIL')
  await advance(50)
  const quick = submitRecording(reported, 'QUICK', 'S0D1')
  await advance(100)
  assert.deepStrictEqual({ reported, slowDone: slow.done(), quickDone: quick.done() }, {
    reported: [{ atMs: 150, correlId: 'QUICK', report: { status: 'DELIVERED' } }],
    slowDone: false,
    quickDone: true
  })
  await advance(1_450)
  await slow.finished
  assert.deepStrictEqual(reported.map(({ atMs, correlId }) => ({ atMs, correlId })), [{ atMs: 150, correlId: 'QUICK' }, { atMs: 1_600, correlId: 'SLOW' }])
})

test('loopbackBackend keeps the script\'s times, counted from the submission, when reporting takes a while', async () => {
  const reported: Reported[] = []
  const { finished } = submitRecording(reported, 'C1', 'S1D1', 1_000)
  await advance(100)
  await advance(1_000)
  assert.equal(reported.length, 1)
  await advance(500)
  assert.deepStrictEqual(reported.map(({ atMs, report }) => ({ atMs, status: report.status })), [{ atMs: 100, status: 'SENT' }, { atMs: 1_600, status: 'DELIVERED' }])
  await advance(1_000)
  await finished
})

test('loopbackBackend reports the steps due at the same time together, in order, so a group-committing sink stores them in one commit', async () => {
  const reported: StatusReport[] = []
  let release: () => void = () => {}
  const held = new Promise<void>(resolve => { release = resolve })
  const finished = loopbackBackend({ normalDelayMs: 0, longDelayMs: 0 }).submit(submission('C1', 'Hello'), async report => {
    reported.push(report)
    await held
  })
  await settle()
  // Both asked for while the first is still being stored.
  assert.deepStrictEqual(reported, [{ status: 'SENT' }, { status: 'DELIVERED' }])
  release()
  await finished
})
