import assert from 'node:assert/strict'
import { afterEach, mock, test } from 'node:test'
import { ThrottleHold } from '../../../src/smpp/session/throttle-hold.ts'

afterEach(() => { mock.timers.reset() })

test('ThrottleHold grows with each new refusal, lets a burst join one hold, and starts over after an accepted submit', t => {
  mock.timers.enable({ apis: ['setTimeout'] })
  t.mock.method(Math, 'random', () => 0)
  let ended = 0
  const hold = new ThrottleHold({ initialMs: 1_000, maxMs: 3_000 }, () => { ended++ })
  const burstEpoch = hold.epoch
  assert.equal(hold.refused(burstEpoch), 500)
  // Two more refusals of attempts written before the hold began.
  assert.deepStrictEqual([hold.refused(burstEpoch), hold.refused(burstEpoch)], [undefined, undefined])
  assert.equal(hold.holding, true)
  mock.timers.tick(500)
  assert.deepStrictEqual({ holding: hold.holding, ended }, { holding: false, ended: 1 })
  assert.equal(hold.refused(hold.epoch), 1_000)
  mock.timers.tick(1_000)
  assert.equal(hold.refused(hold.epoch), 1_500, 'capped at maxMs before jitter')
  hold.accepted()
  mock.timers.tick(1_500)
  assert.equal(hold.refused(hold.epoch), 500)
  hold.cancel()
  mock.timers.tick(10_000)
  assert.deepStrictEqual({ holding: hold.holding, ended }, { holding: false, ended: 3 })
})
