import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isSmsgwError } from '../../../src/errors.ts'
import { chooseReceipt, compileReceiptRules, parseReceiptRules } from '../../../src/smpp/simulator/receipt-rules.ts'

const never = (): number => assert.fail('no percent draw expected')

test('chooseReceipt gives DELIVRD after the default delay when no rule matches', () => {
  assert.deepStrictEqual(chooseReceipt(compileReceiptRules([]), '31612345678', 100, never), { outcome: 'DELIVRD', delayMs: 100, err: '000' })
  const table = compileReceiptRules([{ destination: '44', outcome: 'UNDELIV' }])
  assert.deepStrictEqual(chooseReceipt(table, '31612345678', 100, never), { outcome: 'DELIVRD', delayMs: 100, err: '000' })
})

test('chooseReceipt takes the first matching rule, prefixes ignoring a leading +', () => {
  const table = compileReceiptRules([
    { destination: '+3161', outcome: 'EXPIRED', delayMs: 5000 },
    { destination: '31', outcome: 'UNDELIV', delayMs: 10, err: '001' },
    { outcome: 'REJECTD', delayMs: 0 }
  ])
  assert.deepStrictEqual(chooseReceipt(table, '31612345678', 100, never), { outcome: 'EXPIRED', delayMs: 5000, err: '000' })
  assert.deepStrictEqual(chooseReceipt(table, '+31201234567', 100, never), { outcome: 'UNDELIV', delayMs: 10, err: '001' })
  assert.deepStrictEqual(chooseReceipt(table, '4412', 100, never), { outcome: 'REJECTD', delayMs: 0, err: '000' })
})

test('chooseReceipt tests RegExp destinations without keeping state from a g flag', () => {
  const pattern = /^44(7|8)/g
  const table = compileReceiptRules([{ destination: pattern, outcome: 'ACCEPTD' }])
  for (let run = 0; run < 3; run++) assert.equal(chooseReceipt(table, '447911', 50, never).outcome, 'ACCEPTD')
  assert.equal(chooseReceipt(table, '449911', 50, never).outcome, 'DELIVRD')
  assert.equal(pattern.lastIndex, 0)
})

test('chooseReceipt draws for each rule with a percent below 100', () => {
  const table = compileReceiptRules([{ percent: 10, outcome: 'UNDELIV' }, { percent: 50, outcome: 'EXPIRED' }])
  const draws = (...values: number[]) => () => values.shift() ?? assert.fail('too many draws')
  assert.equal(chooseReceipt(table, '1', 0, draws(0.0999)).outcome, 'UNDELIV')
  assert.equal(chooseReceipt(table, '1', 0, draws(0.1, 0.49)).outcome, 'EXPIRED')
  assert.equal(chooseReceipt(table, '1', 0, draws(0.1, 0.5)).outcome, 'DELIVRD')
})

test('compileReceiptRules names the rule and field that is wrong', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ outcome: 'LOST' }, /rules\[0\]\.outcome must be one of ENROUTE, DELIVRD/],
    [{ outcome: 'DELIVRD', percent: 101 }, /rules\[0\]\.percent/],
    [{ outcome: 'DELIVRD', delayMs: -1 }, /rules\[0\]\.delayMs/],
    [{ outcome: 'DELIVRD', delayMs: 1.5 }, /rules\[0\]\.delayMs/],
    [{ outcome: 'DELIVRD', err: 'a b' }, /rules\[0\]\.err/],
    [{ outcome: 'DELIVRD', destination: 31 }, /rules\[0\]\.destination/]
  ]
  for (const [rule, message] of cases) {
    assert.throws(() => compileReceiptRules([rule as never]), error => isSmsgwError(error, 'SMSGW_CONFIG') && message.test(error.message))
  }
})

test('parseReceiptRules reads prefixes, /pattern/flags destinations and the other fields', () => {
  const rules = parseReceiptRules([
    { destination: '4479', outcome: 'UNDELIV', delayMs: 500, err: '012' },
    { destination: '/^31(6|7)/i', percent: 10, outcome: 'EXPIRED' },
    { outcome: 'DELIVRD' }
  ])
  assert.deepStrictEqual(rules, [
    { destination: '4479', outcome: 'UNDELIV', delayMs: 500, err: '012' },
    { destination: /^31(6|7)/i, percent: 10, outcome: 'EXPIRED' },
    { outcome: 'DELIVRD' }
  ])
})

test('parseReceiptRules refuses what is not a list of rules', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ rules: [] }, /must be a JSON array/],
    [[null], /rules\[0\] must be an object/],
    [[{ outcome: 'DELIVRD', delay: 5 }], /rules\[0\]\.delay is not a rule field/],
    [[{ outcome: 'DELIVRD', destination: '/(/' }], /rules\[0\]\.destination is not a valid regular expression/],
    [[{ outcome: 'DELIVRD' }, { outcome: 'DELIVRD', percent: '5' }], /rules\[1\]\.percent/],
    [[{ outcome: 2 }], /rules\[0\]\.outcome/]
  ]
  for (const [json, message] of cases) {
    assert.throws(() => parseReceiptRules(json), error => isSmsgwError(error, 'SMSGW_CONFIG') && message.test(error.message))
  }
})
