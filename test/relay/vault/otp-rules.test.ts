import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateOtpCode, OTP_LIFETIME_MS, otpCodeHashOf, otpKeyOf, precheckOtp } from '../../../src/relay/vault/otp-rules.ts'

// The one-time code rules (relay.md §2, upstream's create_inapp_otp / verify_inapp_otp), pure.

const KEY = Buffer.alloc(32, 9)

test('generateOtpCode gives six digits, leading zeros kept, every digit in every place', () => {
  const codes = Array.from({ length: 2_000 }, generateOtpCode)
  assert.ok(codes.every(code => /^\d{6}$/.test(code)))
  for (let place = 0; place < 6; place++) assert.equal(new Set(codes.map(code => code[place])).size, 10, `place ${place}`)
  assert.ok(new Set(codes).size > 1_990, 'codes do not repeat beyond chance')
})

test('otpKeyOf and otpCodeHashOf are keyed digests: another key, identifier or code gives another', () => {
  const key = otpKeyOf(KEY, '+237650000001')
  assert.match(key, /^[0-9a-f]{128}$/)
  assert.notEqual(otpKeyOf(Buffer.alloc(32, 8), '+237650000001'), key)
  assert.notEqual(otpKeyOf(KEY, '+237650000002'), key)
  const hash = otpCodeHashOf(KEY, key, '123456')
  assert.match(hash, /^[0-9a-f]{128}$/)
  assert.notEqual(otpCodeHashOf(KEY, key, '123457'), hash)
  assert.notEqual(otpCodeHashOf(KEY, otpKeyOf(KEY, 'a@b.cd'), '123456'), hash, 'the same code of another identifier has another digest')
})

test('precheckOtp finds, in upstream\'s order: none, invalidated, another action, expired, open', () => {
  const code = { purpose: 'create', codeHash: 'h', expiresAtMs: OTP_LIFETIME_MS, attempts: 0 }
  assert.deepStrictEqual(precheckOtp(undefined, 'create', 0), { kind: 'missing' })
  assert.deepStrictEqual(precheckOtp({ ...code, codeHash: undefined, purpose: 'reset' }, 'create', 0), { kind: 'invalidated' }, 'an invalidated code of another action is no record, as upstream, which deletes it')
  assert.deepStrictEqual(precheckOtp(code, 'authenticate', OTP_LIFETIME_MS + 1), { kind: 'mismatch' })
  assert.deepStrictEqual(precheckOtp(code, 'create', OTP_LIFETIME_MS + 1), { kind: 'expired', codeHash: 'h' })
  assert.deepStrictEqual(precheckOtp(code, 'create', OTP_LIFETIME_MS), { kind: 'open', codeHash: 'h' })
})
