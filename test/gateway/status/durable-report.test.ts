import assert from 'node:assert/strict'
import { syncBuiltinESMExports } from 'node:module'
import { afterEach, beforeEach, mock, test } from 'node:test'
import { reportDurably } from '../../../src/gateway/status/durable-report.ts'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import type { StatusSink } from '../../../src/gateway/status/status-sink.ts'
import { createLogger, type Logger } from '../../../src/log/logger.ts'

// reportDurably sleeps with node:timers/promises. mock.timers replaces that module's setTimeout,
// and syncBuiltinESMExports makes the ESM binding the module imported follow it.
beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] })
  syncBuiltinESMExports()
})
afterEach(() => {
  mock.timers.reset()
  syncBuiltinESMExports()
})

const EVENT: StatusEvent = { clientId: 'acme', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:00Z'), status: 'SENT', recallId: '4711' }

const settle = async (): Promise<void> => {
  for (let round = 0; round < 5; round++) await new Promise(resolve => setImmediate(resolve))
}

/** A sink that fails its first `failures` reports. */
function flakySink (failures: number): StatusSink & { calls: number, delivered: StatusEvent[] } {
  return {
    calls: 0,
    delivered: [],
    async report (event) {
      if (++this.calls <= failures) throw new Error(`down (${this.calls})`)
      this.delivered.push(event)
    }
  }
}

function testLogger (): { log: Logger, lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  return { log: createLogger({ level: 'debug', destination: { write: (line: string) => { lines.push(JSON.parse(line)) } } }), lines }
}

test('reportDurably reports once and waits for nothing when the sink works', async () => {
  const sink = flakySink(0)
  const { log, lines } = testLogger()
  await reportDurably(sink, EVENT, log)
  assert.deepStrictEqual({ calls: sink.calls, delivered: sink.delivered, lines }, { calls: 1, delivered: [EVENT], lines: [] })
})

test('reportDurably retries after 100 ms, then 200 ms, when the sink fails twice', async () => {
  const sink = flakySink(2)
  const { log, lines } = testLogger()
  let done = false
  const reporting = reportDurably(sink, EVENT, log).then(() => { done = true })
  await settle()
  assert.equal(sink.calls, 1)
  mock.timers.tick(99)
  await settle()
  assert.equal(sink.calls, 1)
  mock.timers.tick(1)
  await settle()
  assert.equal(sink.calls, 2)
  mock.timers.tick(199)
  await settle()
  assert.deepStrictEqual({ calls: sink.calls, done }, { calls: 2, done: false })
  mock.timers.tick(1)
  await reporting
  assert.deepStrictEqual({ calls: sink.calls, delivered: sink.delivered }, { calls: 3, delivered: [EVENT] })
  assert.deepStrictEqual(lines.map(({ level, msg, clientId, correlId, retryInMs }) => ({ level, msg, clientId, correlId, retryInMs })), [
    { level: 'warn', msg: 'status not delivered, retrying', clientId: 'acme', correlId: 'C1', retryInMs: 100 },
    { level: 'warn', msg: 'status not delivered, retrying', clientId: 'acme', correlId: 'C1', retryInMs: 200 }
  ])
})

test('reportDurably doubles the wait up to 5 s and keeps trying for as long as the sink fails', async () => {
  const sink = flakySink(12)
  const { log, lines } = testLogger()
  const reporting = reportDurably(sink, EVENT, log)
  await settle()
  for (let attempt = 0; attempt < 12; attempt++) {
    mock.timers.tick(5_000)
    await settle()
  }
  await reporting
  assert.deepStrictEqual(lines.map(line => line.retryInMs), [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000, 5000])
  assert.deepStrictEqual(sink.delivered, [EVENT])
})

test('reportDurably rejects with the abort reason and stops trying when the signal aborts while it waits', async () => {
  const sink = flakySink(Number.POSITIVE_INFINITY)
  const { log } = testLogger()
  const controller = new AbortController()
  const reporting = reportDurably(sink, EVENT, log, controller.signal)
  await settle()
  const reason = new Error('shutting down')
  controller.abort(reason)
  await assert.rejects(reporting, { name: 'AbortError', cause: reason })
  mock.timers.tick(10_000)
  await settle()
  assert.equal(sink.calls, 1)
})
