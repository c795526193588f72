import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { test } from 'node:test'
import { INTERRUPTED_EXIT_CODE, onStopSignals, REPEATED_SIGNAL_MS } from '../../src/cli/stop-signals.ts'

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
