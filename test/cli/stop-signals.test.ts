import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { test } from 'node:test'
import { FORWARDED_SIGNAL_GRACE_MS, INTERRUPTED_EXIT_CODE, onStopSignals, REPEATED_SIGNAL_MS } from '../../src/cli/stop-signals.ts'

test('one Ctrl-C delivered twice stops once; a second one later exits at once; the handlers outlive the stop', t => {
  t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 })
  const signals = new EventEmitter()
  const stops: string[] = []
  const exits: number[] = []
  onStopSignals({ signals, exit: code => { exits.push(code) } }, signal => { stops.push(signal) })

  signals.emit('SIGINT', 'SIGINT')
  // The copy npm forwards, after the stop may already have finished: still ours, not the default action.
  t.mock.timers.tick(REPEATED_SIGNAL_MS - 1)
  signals.emit('SIGINT', 'SIGINT')
  assert.deepEqual([stops, exits], [['SIGINT'], []])
  assert.equal(signals.listenerCount('SIGINT'), 1, 'a signal arriving after the stop must not find the default action')
  assert.equal(signals.listenerCount('SIGTERM'), 1)

  t.mock.timers.tick(1)
  signals.emit('SIGTERM', 'SIGTERM')
  assert.deepEqual([stops, exits], [['SIGINT'], [INTERRUPTED_EXIT_CODE]])
})

test('a stopped command ends no sooner than the grace after the first signal, so a late forwarded copy still finds the handler', async t => {
  t.mock.timers.enable({ apis: ['Date', 'setTimeout'], now: 1_000_000 })
  const signals = new EventEmitter()
  const stop = onStopSignals({ signals, exit: () => { assert.fail('one Ctrl-C is not a second one') } }, () => {})
  let over = false
  signals.emit('SIGINT', 'SIGINT')
  t.mock.timers.tick(FORWARDED_SIGNAL_GRACE_MS / 2)
  const waiting = stop.graceOver().then(() => { over = true })
  await Promise.resolve()
  assert.equal(over, false)
  t.mock.timers.tick(FORWARDED_SIGNAL_GRACE_MS / 2)
  await waiting
  assert.equal(over, true)
})

test('without a signal the grace is over at once', async () => {
  const stop = onStopSignals({ signals: new EventEmitter(), exit: () => {} }, () => {})
  await stop.graceOver()
})
