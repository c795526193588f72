import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import { DUPLICATE_STATUS, StatusFanOut, type StatusSink } from '../../../src/gateway/status/status-sink.ts'

const event = (correlId: string, status: StatusEvent['status'] = 'SENT'): StatusEvent => ({ clientId: 'acme', correlId, timestamp: new Date('2026-11-21T10:00:00Z'), status })

/** A sink that records what it got, in a shared journal, and fails while `failing` is set. */
function recordingSink (name: string, journal: string[], failing?: Error): StatusSink & { failing: Error | undefined } {
  return {
    failing,
    async report (reported) {
      journal.push(`${name} ${reported.correlId}`)
      if (this.failing !== undefined) throw this.failing
    }
  }
}

test('StatusFanOut reports to the primary, then to every secondary, and counts by status', async () => {
  const journal: string[] = []
  const fanOut = new StatusFanOut(recordingSink('primary', journal), [recordingSink('log', journal), recordingSink('audit', journal)], () => assert.fail('no secondary error'))
  await fanOut.report(event('C1'))
  await fanOut.report(event('C2', 'DELIVERED'))
  await fanOut.report(event('C3'))
  assert.deepStrictEqual(journal, ['primary C1', 'log C1', 'audit C1', 'primary C2', 'log C2', 'audit C2', 'primary C3', 'log C3', 'audit C3'])
  assert.deepStrictEqual(fanOut.counts, { SENT: 2, DELIVERED: 1 })
})

test('StatusFanOut passes a status the primary held already to no secondary, counts nothing and says so', async () => {
  // Issue 9 item 7: a receipt re-sent after a crash reaches no client log, webhook or counter twice.
  const journal: string[] = []
  const primary: StatusSink = { report: async reported => { journal.push(`primary ${reported.correlId}`); return DUPLICATE_STATUS } }
  const fanOut = new StatusFanOut(primary, [recordingSink('log', journal)], () => assert.fail('no secondary error'))
  assert.equal(await fanOut.report(event('C1', 'DELIVERED')), DUPLICATE_STATUS)
  assert.deepStrictEqual({ journal, counts: fanOut.counts }, { journal: ['primary C1'], counts: {} })
})

test('StatusFanOut rejects with the primary\'s error, tells no secondary and counts nothing when the primary fails', async () => {
  const journal: string[] = []
  const down = new Error('broker down')
  const fanOut = new StatusFanOut(recordingSink('primary', journal, down), [recordingSink('log', journal)], () => assert.fail('no secondary error'))
  await assert.rejects(fanOut.report(event('C1')), down)
  assert.deepStrictEqual({ journal, counts: fanOut.counts }, { journal: ['primary C1'], counts: {} })
})

test('StatusFanOut resolves, hands the error to onSecondaryError and still counts when a secondary fails', async () => {
  const journal: string[] = []
  const full = new Error('disk full')
  const errors: Array<{ error: unknown, event: StatusEvent }> = []
  const fanOut = new StatusFanOut(
    recordingSink('primary', journal),
    [recordingSink('log', journal, full), recordingSink('audit', journal)],
    (error, failed) => errors.push({ error, event: failed })
  )
  await fanOut.report(event('C1'))
  assert.deepStrictEqual(journal, ['primary C1', 'log C1', 'audit C1'])
  assert.deepStrictEqual(errors, [{ error: full, event: event('C1') }])
  assert.deepStrictEqual(fanOut.counts, { SENT: 1 })
})

test('StatusFanOut counts a status once however often its report is retried after a primary failure', async () => {
  const journal: string[] = []
  const primary = recordingSink('primary', journal, new Error('broker down'))
  const fanOut = new StatusFanOut(primary, [], () => {})
  await assert.rejects(fanOut.report(event('C1')))
  primary.failing = undefined
  await fanOut.report(event('C1'))
  assert.deepStrictEqual({ journal, counts: fanOut.counts }, { journal: ['primary C1', 'primary C1'], counts: { SENT: 1 } })
})
