import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isSmsgwError } from '../../../src/errors.ts'
import { parseAccounts, settingsOf } from '../../../src/smpp/simulator/simulator-options.ts'

test('settingsOf fills in the defaults', () => {
  const settings = settingsOf({})
  assert.deepStrictEqual({ ...settings, rules: undefined, faults: undefined, random: undefined }, {
    host: '127.0.0.1',
    port: 2775,
    accounts: [{ systemId: 'smsgw', password: 'secret' }],
    systemId: 'smsc-sim',
    idFormat: 'decimal',
    receiptIdFormat: 'decimal',
    idWidth: 10,
    firstMessageId: 1,
    receiptDelayMs: 100,
    rules: undefined,
    faults: undefined,
    deliverTimeoutMs: 10_000,
    unbindTimeoutMs: 1000,
    retainSubmitted: 10_000,
    resendAnsweredReceiptsMs: 0,
    random: undefined
  })
  assert.equal(settingsOf({ idFormat: 'hex' }).receiptIdFormat, 'hex')
})

test('settingsOf names the option that is wrong', () => {
  const cases: Array<[object, RegExp]> = [
    [{ port: 70000 }, /option port/],
    [{ idFormat: 'octal' }, /option idFormat must be one of decimal, hex, zero-padded/],
    [{ accounts: [] }, /option accounts must list at least one account/],
    [{ accounts: [{ systemId: 'a-very-long-system-id', password: 'x' }] }, /accounts\[0\]\.systemId/],
    [{ accounts: [{ systemId: 'a', password: 'too-long-password' }] }, /accounts\[0\]\.password/],
    [{ receiptDelayMs: -5 }, /option receiptDelayMs/],
    [{ faults: { throttlePerSecond: -1 } }, /fault throttlePerSecond/]
  ]
  for (const [options, message] of cases) {
    assert.throws(() => settingsOf(options), error => isSmsgwError(error, 'SMSGW_CONFIG') && message.test(error.message))
  }
})

test('parseAccounts reads a JSON array of accounts', () => {
  assert.deepStrictEqual(parseAccounts([{ systemId: 'a', password: 'pa' }, { systemId: 'b', password: 'pb', maxBinds: 2 }]), [
    { systemId: 'a', password: 'pa' }, { systemId: 'b', password: 'pb', maxBinds: 2 }
  ])
  assert.throws(() => parseAccounts({ systemId: 'a' }), /must be a JSON array/)
  assert.throws(() => parseAccounts([{ systemId: 'a', password: 'p', role: 'x' }]), /accounts\[0\]\.role is not an account field/)
  assert.throws(() => parseAccounts([{ systemId: 'a', password: 'p', maxBinds: 0 }]), /accounts\[0\]\.maxBinds/)
})
