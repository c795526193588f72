import assert from 'node:assert/strict'
import { test } from 'node:test'
import { limitKeyOf, otpWindowMs, passwordLockMs } from '../../../src/relay/vault/rate-limits.ts'

// relay.md §7's limits as rules.

test('OTP windows grow 5, 10, 30, 120, 1440 minutes and the last repeats', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map(n => otpWindowMs(n) / 60_000), [5, 10, 30, 120, 1440, 1440, 1440])
})

test('password locks: 2 min after the 3rd failure, 15 after the 5th, 60 after the 7th, 24 h from the 9th on, none in between', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(n => { const lock = passwordLockMs(n); return lock === undefined ? 0 : lock / 60_000 }), [0, 0, 2, 0, 15, 0, 60, 0, 1440, 1440, 1440])
})

test('limit keys are digests that differ by purpose and identifier and hold neither', () => {
  const key = Buffer.alloc(32, 1)
  const keys = [limitKeyOf(key, 'otp', '+237650000001'), limitKeyOf(key, 'password', '+237650000001'), limitKeyOf(key, 'otp', '+237650000002')]
  assert.equal(new Set(keys).size, 3)
  for (const digest of keys) assert.match(digest, /^[0-9a-f]{128}$/)
})
