import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isSmsgwError } from '../../../src/errors.ts'
import { mergeFaults, noFaults, SubmitRate } from '../../../src/smpp/simulator/faults.ts'

test('mergeFaults changes the given faults and keeps the others', () => {
  const faults = mergeFaults(noFaults, { responseDelayMs: 50, throttlePerSecond: 10 })
  assert.deepStrictEqual(faults, { ...noFaults, responseDelayMs: 50, throttlePerSecond: 10 })
  assert.deepStrictEqual(mergeFaults(faults, { throttlePerSecond: null }), { ...noFaults, responseDelayMs: 50 })
  assert.ok(Object.isFrozen(faults))
})

test('mergeFaults refuses unknown faults and wrong values with SMSGW_CONFIG', () => {
  const cases: Array<[object, RegExp]> = [
    [{ slowness: 5 }, /slowness is not a fault/],
    [{ throttlePerSecond: 0 }, /throttlePerSecond/],
    [{ throttleNextSubmits: -1 }, /throttleNextSubmits/],
    [{ responseDelayMs: 0.5 }, /responseDelayMs/],
    [{ dropAfterPdus: 0 }, /dropAfterPdus/],
    [{ rejectSubmitsWith: 0 }, /rejectSubmitsWith must be a command_status other than ESME_ROK/],
    [{ neverAnswerSubmits: 'yes' }, /neverAnswerSubmits/]
  ]
  for (const [change, message] of cases) {
    assert.throws(() => mergeFaults(noFaults, change), error => isSmsgwError(error, 'SMSGW_CONFIG') && message.test(error.message))
  }
})

test('SubmitRate is full once the limit was accepted within the last second', () => {
  const rate = new SubmitRate()
  for (const at of [0, 100, 200]) {
    assert.equal(rate.isFull(3, at), false)
    rate.accept(3, at)
  }
  assert.equal(rate.isFull(3, 999), true)
  assert.equal(rate.isFull(3, 1000), false)
  assert.equal(rate.isFull(2, 1000), true)
})
