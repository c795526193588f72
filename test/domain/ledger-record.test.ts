import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  applyLedgerRecord,
  decodeLedgerRecord,
  decodeLedgerSource,
  encodeLedgerRecord,
  encodeLedgerSource,
  isOutcomeOpen,
  isUnwrittenClaim,
  ledgerKey,
  ledgerStates,
  requestOfLedgerKey,
  type LedgerEntry,
  type LedgerRecord
} from '../../src/domain/ledger-record.ts'

const claim = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.claimed, source: { stream: 'send-sms/0', offset: BigInt(atMs) }, atMs })
const done = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.done, source: { stream: 'send-sms/0', offset: BigInt(atMs) }, atMs })
const owned = (token: string, atMs: number, isDone = false): LedgerEntry => ({ token, source: { stream: 'send-sms/0', offset: BigInt(atMs) }, claimedAtMs: atMs, done: isDone })

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

test('applyLedgerRecord ignores a second claim however much later it comes, when the first never finished', () => {
  assert.deepStrictEqual(fold([claim('a', 1), claim('b', 1_000_000_000)]), owned('a', 1))
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

test('applyLedgerRecord ignores done from a claim that lost the race', () => {
  assert.deepStrictEqual(fold([claim('a', 1), claim('b', 2), done('b', 3)]), owned('a', 1))
  assert.deepStrictEqual(fold([claim('a', 1), claim('b', 2), done('b', 3), done('a', 4)]), owned('a', 1, true))
})

test('applyLedgerRecord ignores done from the owner of a forgotten claim', () => {
  assert.deepStrictEqual(fold([claim('a', 1), null, claim('b', 2), done('a', 3)]), owned('b', 2))
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

test('applyLedgerRecord makes the first claim since the last tombstone the owner, done once it says so, in any log', () => {
  const records = fc.array(fc.oneof(
    fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat(9)).map(([token, atMs]) => claim(token, atMs)),
    fc.constantFrom('a', 'b', 'c').map(token => done(token, 10)),
    fc.constant(null)
  ), { maxLength: 12 })
  fc.assert(fc.property(records, log => {
    const sinceTombstone = log.slice(log.lastIndexOf(null) + 1).filter(record => record !== null)
    const first = sinceTombstone.findIndex(record => record.state === ledgerStates.claimed)
    const owner = sinceTombstone[first]
    const expected = owner === undefined
      ? undefined
      : owned(owner.token, owner.atMs, sinceTombstone.slice(first).some(record => record.state === ledgerStates.done && record.token === owner.token))
    assert.deepStrictEqual(fold(log), expected)
  }), { numRuns: 2000 })
})

test('encodeLedgerRecord and decodeLedgerRecord round-trip a claim and a done', () => {
  for (const record of [claim('i/1', 1_700_000_000_000), done('i/1', 1_700_000_000_002)]) {
    assert.deepStrictEqual(decodeLedgerRecord(encodeLedgerRecord(record)), record)
  }
})

test('encodeLedgerSource writes <stream>/<offset>, and decodeLedgerSource reads it back, splitting at the last slash', () => {
  const sources = [{ stream: 'send-sms/2', offset: 1234n }, { stream: 'embedded/0', offset: 0n }, { stream: 'a/7', offset: 2n ** 63n - 1n }]
  assert.deepStrictEqual(sources.map(encodeLedgerSource), ['send-sms/2/1234', 'embedded/0/0', 'a/7/9223372036854775807'])
  assert.deepStrictEqual(sources.map(encodeLedgerSource).map(decodeLedgerSource), sources)
})

test('decodeLedgerSource returns undefined for text encodeLedgerSource does not write', () => {
  const junk = ['', 's', '/1', 'send-sms/0/', 'send-sms/0/-1', 'send-sms/0/1.5', 'send-sms/0/1 ', 'send-sms/0/0x1']
  assert.deepStrictEqual(junk.map(decodeLedgerSource), junk.map(() => undefined))
})

test('encodeLedgerRecord writes the record as JSON in field order', () => {
  assert.equal(encodeLedgerRecord(claim('i/2', 7)), '{"token":"i/2","state":"claimed","source":"send-sms/0/7","atMs":7}')
})

test('encodeLedgerRecord and decodeLedgerRecord round-trip any record', () => {
  const record = fc.record({
    token: fc.string({ unit: 'binary' }),
    state: fc.constantFrom(ledgerStates.claimed, ledgerStates.done),
    source: fc.record({ stream: fc.string({ unit: 'binary', minLength: 1 }), offset: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }) }, { noNullPrototype: true }),
    atMs: fc.integer({ min: 0, max: 8.64e15 })
  }, { noNullPrototype: true })
  fc.assert(fc.property(record, value => {
    assert.deepStrictEqual(decodeLedgerRecord(encodeLedgerRecord(value)), value)
  }), { numRuns: 2000 })
})

test('decodeLedgerRecord returns null when the value is not a ledger record', () => {
  const junk = [
    '', 'not json', '{', 'null', '42', '"claimed"', '[]', '{}',
    '{"token":"a","state":"claimed","source":"send-sms/0/1"}',
    '{"token":"a","state":"taken","source":"send-sms/0/1","atMs":1}',
    '{"token":1,"state":"claimed","source":"send-sms/0/1","atMs":1}',
    '{"token":"a","state":"claimed","source":null,"atMs":1}',
    // A source encodeLedgerSource does not write: no offset, or one that is not a whole number.
    '{"token":"a","state":"claimed","source":"s","atMs":1}',
    '{"token":"a","state":"claimed","source":"send-sms/0/-1","atMs":1}',
    '{"token":"a","state":"claimed","source":"send-sms/0/1","atMs":"1"}',
    // Not a time: JSON reads 1e999 as Infinity, which no clock writes and no encoder gives back.
    '{"token":"a","state":"claimed","source":"send-sms/0/1","atMs":1e999}',
    '{"token":"a","state":"claimed","source":"send-sms/0/1","atMs":-1e999}'
  ]
  assert.deepStrictEqual(junk.map(decodeLedgerRecord), junk.map(() => null))
})

test('decodeLedgerRecord drops unknown fields', () => {
  assert.deepStrictEqual(
    decodeLedgerRecord('{"token":"a","state":"done","source":"send-sms/0/1","atMs":1,"extra":true,"__proto__":{"x":1}}'),
    { token: 'a', state: 'done', source: { stream: 'send-sms/0', offset: 1n }, atMs: 1 }
  )
})

test('decodeLedgerRecord reads a takeover claim written by an earlier version as a plain claim', () => {
  // Such records may still be on the claims topic after an upgrade, with any `supersedes` value.
  for (const supersedes of ['"i/1"', 'null', '2']) {
    assert.deepStrictEqual(
      decodeLedgerRecord(`{"token":"i/2","state":"claimed","supersedes":${supersedes},"source":"send-sms/0/7","atMs":7}`),
      claim('i/2', 7)
    )
  }
})

test('applyLedgerRecord lets an old takeover claim neither replace the unfinished claim it names nor leave its key free', () => {
  const takeover = decodeLedgerRecord('{"token":"b","state":"claimed","supersedes":"a","source":"send-sms/0/2","atMs":2}')
  assert.ok(takeover !== null)
  // Its owner's done does not count either: the old claim stays unfinished, so a redelivery is abandoned.
  assert.deepStrictEqual(fold([claim('a', 1), takeover, done('b', 3)]), owned('a', 1))
  // Compaction may leave it alone on its key: it then holds the key like any claim.
  assert.deepStrictEqual(fold([takeover]), owned('b', 2))
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

// The `writing` mark and the takeover of an unwritten claim (issue 9, item 9: requests claimed
// by a crashed instance and never written got no status at all).
const markingClaim = (token: string, atMs: number): LedgerRecord => ({ ...claim(token, atMs), marksWrites: true })
const writing = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.writing, source: { stream: 'send-sms/0', offset: BigInt(atMs) }, atMs })
const takeOver = (token: string, supersedes: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.takenOver, source: { stream: 'send-sms/0', offset: BigInt(atMs) }, atMs, supersedes })
const marking = (token: string, atMs: number, writingAtMs?: number): LedgerEntry => ({ ...owned(token, atMs), marksWrites: true, ...(writingAtMs === undefined ? {} : { writingAtMs }) })

test('applyLedgerRecord marks the owner\'s entry writing once, at its first mark', () => {
  assert.deepStrictEqual(fold([markingClaim('a', 1), writing('a', 5)]), marking('a', 1, 5))
  assert.deepStrictEqual(fold([markingClaim('a', 1), writing('a', 5), writing('a', 9)]), marking('a', 1, 5))
})

test('applyLedgerRecord ignores writing from a token that does not own the key, on a free key and on a done entry', () => {
  assert.deepStrictEqual(fold([markingClaim('a', 1), writing('b', 5)]), marking('a', 1))
  assert.equal(fold([writing('a', 1)]), undefined)
  assert.deepStrictEqual(fold([markingClaim('a', 1), done('a', 2), writing('a', 3)]), { ...marking('a', 1), done: true })
})

test('applyLedgerRecord lets a takeover replace the unwritten claim it names, with a fresh claim time', () => {
  assert.deepStrictEqual(fold([markingClaim('a', 1), takeOver('b', 'a', 50)]), marking('b', 50))
  // The new owner's marks and done count; the old owner's no longer do.
  assert.deepStrictEqual(fold([markingClaim('a', 1), takeOver('b', 'a', 50), writing('a', 51), writing('b', 52), done('a', 53)]), marking('b', 50, 52))
})

test('applyLedgerRecord ignores a takeover of a claim that marked writing, finished, was forgotten, or is not the one named', () => {
  assert.deepStrictEqual(fold([markingClaim('a', 1), writing('a', 2), takeOver('b', 'a', 50)]), marking('a', 1, 2))
  assert.deepStrictEqual(fold([markingClaim('a', 1), done('a', 2), takeOver('b', 'a', 50)]), { ...marking('a', 1), done: true })
  assert.equal(fold([markingClaim('a', 1), null, takeOver('b', 'a', 50)]), undefined)
  assert.deepStrictEqual(fold([markingClaim('a', 1), takeOver('c', 'x', 50)]), marking('a', 1))
})

test('applyLedgerRecord never lets a takeover replace a claim that does not mark its writes (an earlier version\'s)', () => {
  assert.deepStrictEqual(fold([claim('a', 1), takeOver('b', 'a', 50)]), owned('a', 1))
})

test('applyLedgerRecord lets exactly one of an owner\'s mark and a takeover count, whichever the log puts first', () => {
  assert.deepStrictEqual(fold([markingClaim('a', 1), writing('a', 40), takeOver('b', 'a', 50)]), marking('a', 1, 40))
  assert.deepStrictEqual(fold([markingClaim('a', 1), takeOver('b', 'a', 50), writing('a', 40)]), marking('b', 50))
})

test('isUnwrittenClaim and isOutcomeOpen tell a claim that never wrote from one that may have', () => {
  const cases = [marking('a', 1), marking('a', 1, 2), { ...marking('a', 1, 2), done: true }, owned('a', 1)]
  assert.deepStrictEqual(cases.map(entry => [isUnwrittenClaim(entry), isOutcomeOpen(entry)]), [[true, false], [false, true], [false, false], [false, true]])
})

test('encodeLedgerRecord and decodeLedgerRecord round-trip a marking claim, a writing mark and a takeover', () => {
  for (const record of [markingClaim('i/1', 1), writing('i/1', 2), takeOver('i/2', 'i/1', 3)]) {
    assert.deepStrictEqual(decodeLedgerRecord(encodeLedgerRecord(record)), record)
  }
})

test('decodeLedgerRecord refuses a takeover that names no claim, and drops marksWrites and supersedes where they do not belong', () => {
  const source = { stream: 'send-sms/0', offset: 1n }
  assert.equal(decodeLedgerRecord('{"token":"b","state":"taken-over","source":"send-sms/0/1","atMs":1}'), null)
  assert.deepStrictEqual(decodeLedgerRecord('{"token":"a","state":"writing","source":"send-sms/0/1","atMs":1,"marksWrites":true,"supersedes":"x"}'), { token: 'a', state: 'writing', source, atMs: 1 })
  assert.deepStrictEqual(decodeLedgerRecord('{"token":"a","state":"claimed","source":"send-sms/0/1","atMs":1,"marksWrites":"yes"}'), { token: 'a', state: 'claimed', source, atMs: 1 })
})

test('requestOfLedgerKey gives back the client-id and correl-id of a ledger key, and undefined for anything else', () => {
  assert.deepStrictEqual(requestOfLedgerKey(ledgerKey('acme', 'C "1"')), { clientId: 'acme', correlId: 'C "1"' })
  assert.deepStrictEqual(['k1', '["a"]', '["a",1]', '{}', ''].map(requestOfLedgerKey), [undefined, undefined, undefined, undefined, undefined])
})
