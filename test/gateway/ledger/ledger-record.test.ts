import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  applyLedgerRecord,
  decodeLedgerRecord,
  encodeLedgerRecord,
  ledgerKey,
  ledgerStates,
  type LedgerEntry,
  type LedgerRecord
} from '../../../src/gateway/ledger/ledger-record.ts'

const claim = (token: string, atMs: number, supersedes?: string): LedgerRecord =>
  supersedes === undefined
    ? { token, state: ledgerStates.claimed, source: `send-sms/0/${atMs}`, atMs }
    : { token, state: ledgerStates.claimed, supersedes, source: `send-sms/0/${atMs}`, atMs }
const done = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.done, source: `send-sms/0/${atMs}`, atMs })
const owned = (token: string, atMs: number, isDone = false): LedgerEntry => ({ token, source: `send-sms/0/${atMs}`, claimedAtMs: atMs, done: isDone })

/** Folds records in log order, as every instance sharing the log does. */
const fold = (records: ReadonlyArray<LedgerRecord | null>): LedgerEntry | undefined =>
  records.reduce<LedgerEntry | undefined>((entry, record) => applyLedgerRecord(entry, record), undefined)

test('applyLedgerRecord lets a claim win when the key is free', () => {
  assert.deepStrictEqual(fold([claim('a', 1)]), owned('a', 1))
})

test('applyLedgerRecord ignores a second claim when the key is held', () => {
  assert.deepStrictEqual(fold([claim('a', 1), claim('b', 2)]), owned('a', 1))
})

test('applyLedgerRecord ignores a second claim when the key is done', () => {
  assert.deepStrictEqual(fold([claim('a', 1), done('a', 2), claim('b', 3)]), owned('a', 1, true))
})

test('applyLedgerRecord ignores a takeover when the key is free', () => {
  assert.equal(fold([claim('b', 2, 'a')]), undefined)
})

test('applyLedgerRecord lets a takeover win when it supersedes the current unfinished claim', () => {
  assert.deepStrictEqual(fold([claim('a', 1), claim('b', 2, 'a')]), owned('b', 2))
})

test('applyLedgerRecord ignores a takeover when it supersedes another token than the current one', () => {
  assert.deepStrictEqual(fold([claim('a', 1), claim('b', 2, 'x')]), owned('a', 1))
})

test('applyLedgerRecord ignores the second of two takeovers of the same claim', () => {
  assert.deepStrictEqual(fold([claim('a', 1), claim('b', 2, 'a'), claim('c', 3, 'a')]), owned('b', 2))
})

test('applyLedgerRecord ignores a takeover when the claim it supersedes is done', () => {
  assert.deepStrictEqual(fold([claim('a', 1), done('a', 2), claim('b', 3, 'a')]), owned('a', 1, true))
})

test('applyLedgerRecord marks the entry done when the owner says so', () => {
  assert.deepStrictEqual(fold([claim('a', 1), done('a', 5)]), owned('a', 1, true))
})

test('applyLedgerRecord ignores done when it comes from another token than the owner', () => {
  assert.deepStrictEqual(fold([claim('a', 1), done('b', 2)]), owned('a', 1))
})

test('applyLedgerRecord ignores done when the key is free', () => {
  assert.equal(fold([done('a', 1)]), undefined)
})

test('applyLedgerRecord ignores a stale done when its token was superseded', () => {
  assert.deepStrictEqual(fold([claim('a', 1), claim('b', 2, 'a'), done('a', 3)]), owned('b', 2))
  assert.deepStrictEqual(fold([claim('a', 1), claim('b', 2, 'a'), done('a', 3), done('b', 4)]), owned('b', 2, true))
})

test('applyLedgerRecord forgets the key when a tombstone comes', () => {
  assert.equal(fold([claim('a', 1), null]), undefined)
  assert.equal(fold([claim('a', 1), done('a', 2), null]), undefined)
  assert.equal(fold([null]), undefined)
})

test('applyLedgerRecord lets a fresh claim win when the key was forgotten', () => {
  assert.deepStrictEqual(fold([claim('a', 1), done('a', 2), null, claim('b', 3)]), owned('b', 3))
})

test('applyLedgerRecord does not modify the entry it is given', () => {
  const entry = Object.freeze(owned('a', 1))
  assert.deepStrictEqual(applyLedgerRecord(entry, done('a', 2)), owned('a', 1, true))
  assert.deepStrictEqual(entry, owned('a', 1))
})

test('applyLedgerRecord makes the first free claim, or the last of the takeovers chained to it, the owner in any log', () => {
  const records = fc.array(fc.oneof(
    fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined })).map(([token, supersedes]) => claim(token, 1, supersedes)),
    fc.constantFrom('a', 'b', 'c').map(token => done(token, 2))
  ), { maxLength: 12 })
  fc.assert(fc.property(records, log => {
    const entry = fold(log)
    const firstClaim = log.find(record => record.state === ledgerStates.claimed && record.supersedes === undefined)
    if (firstClaim === undefined) return assert.equal(entry, undefined)
    assert.ok(entry !== undefined)
    // The owner is the first free claim or a chain of takeovers starting from it.
    const owners = [firstClaim.token]
    for (const record of log.slice(log.indexOf(firstClaim) + 1)) {
      if (record.state === ledgerStates.done && record.token === owners.at(-1)) break
      if (record.state === ledgerStates.claimed && record.supersedes === owners.at(-1)) owners.push(record.token)
    }
    assert.equal(entry.token, owners.at(-1))
  }), { numRuns: 2000 })
})

test('encodeLedgerRecord and decodeLedgerRecord round-trip a claim, a takeover and a done', () => {
  for (const record of [claim('i/1', 1_700_000_000_000), claim('i/2', 1_700_000_000_001, 'i/1'), done('i/2', 1_700_000_000_002)]) {
    assert.deepStrictEqual(decodeLedgerRecord(encodeLedgerRecord(record)), record)
  }
})

test('encodeLedgerRecord writes the record as JSON in field order', () => {
  assert.equal(
    encodeLedgerRecord(claim('i/2', 7, 'i/1')),
    '{"token":"i/2","state":"claimed","supersedes":"i/1","source":"send-sms/0/7","atMs":7}'
  )
})

test('encodeLedgerRecord and decodeLedgerRecord round-trip any record', () => {
  const record = fc.record({
    token: fc.string({ unit: 'binary' }),
    state: fc.constantFrom(ledgerStates.claimed, ledgerStates.done),
    supersedes: fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
    source: fc.string({ unit: 'binary' }),
    atMs: fc.integer({ min: 0, max: 8.64e15 })
  }).map(({ supersedes, ...rest }): LedgerRecord => supersedes === undefined ? rest : { ...rest, supersedes })
  fc.assert(fc.property(record, value => {
    assert.deepStrictEqual(decodeLedgerRecord(encodeLedgerRecord(value)), value)
  }), { numRuns: 2000 })
})

test('decodeLedgerRecord returns null when the value is not a ledger record', () => {
  const junk = [
    '', 'not json', '{', 'null', '42', '"claimed"', '[]', '{}',
    '{"token":"a","state":"claimed","source":"s"}',
    '{"token":"a","state":"taken","source":"s","atMs":1}',
    '{"token":1,"state":"claimed","source":"s","atMs":1}',
    '{"token":"a","state":"claimed","source":null,"atMs":1}',
    '{"token":"a","state":"claimed","source":"s","atMs":"1"}',
    '{"token":"a","state":"claimed","supersedes":null,"source":"s","atMs":1}',
    '{"token":"a","state":"claimed","supersedes":2,"source":"s","atMs":1}',
    // Not a time: JSON reads 1e999 as Infinity, which no clock writes and no encoder gives back.
    '{"token":"a","state":"claimed","source":"s","atMs":1e999}',
    '{"token":"a","state":"claimed","source":"s","atMs":-1e999}'
  ]
  assert.deepStrictEqual(junk.map(decodeLedgerRecord), junk.map(() => null))
})

test('decodeLedgerRecord drops unknown fields', () => {
  assert.deepStrictEqual(
    decodeLedgerRecord('{"token":"a","state":"done","source":"s","atMs":1,"extra":true,"__proto__":{"x":1}}'),
    { token: 'a', state: 'done', source: 's', atMs: 1 }
  )
})

test('decodeLedgerRecord never throws and gives only records that encode back to themselves', () => {
  const field = fc.constantFrom('token', 'state', 'supersedes', 'source', 'atMs', '__proto__')
  const fieldValue = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom('claimed', 'done'), fc.constant('1e999'))
  const texts = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json({ maxDepth: 3 }),
    fc.dictionary(field, fieldValue).map(fields => JSON.stringify(fields)),
    fc.dictionary(field, fieldValue).map(fields => JSON.stringify(fields).replace('"1e999"', '1e999'))
  )
  fc.assert(fc.property(texts, text => {
    const record = decodeLedgerRecord(text)
    if (record !== null) assert.deepStrictEqual(decodeLedgerRecord(encodeLedgerRecord(record)), record)
  }), { numRuns: 5000 })
})

test('ledgerKey joins client-id and correl-id so that no two pairs share a key', () => {
  assert.equal(ledgerKey('test', 'C123'), '["test","C123"]')
  assert.notEqual(ledgerKey('a","b', 'c'), ledgerKey('a', 'b","c'))
  assert.notEqual(ledgerKey('a,b', 'c'), ledgerKey('a', 'b,c'))
  assert.notEqual(ledgerKey('a\\', '"b'), ledgerKey('a\\"', 'b'))
  fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b, c, d) => {
    assert.equal(ledgerKey(a, b) === ledgerKey(c, d), a === c && b === d)
    assert.deepStrictEqual(JSON.parse(ledgerKey(a, b)), [a, b])
  }), { numRuns: 2000 })
})
