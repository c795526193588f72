import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ledgerKey, ledgerStates, type LedgerRecord } from '../../../src/gateway/ledger/ledger-record.ts'
import { RequestLedger, type ClaimVerdict } from '../../../src/gateway/ledger/request-ledger.ts'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { SqliteLedgerLog } from '../../../src/transport/embedded/sqlite-ledger-log.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'

// The first four tests are MemoryLedgerLog's (test/gateway/ledger/memory-ledger-log.test.ts):
// the same semantics, durable.

const files = await tempStoreFiles('sqlite-ledger')
const KEY = ledgerKey('acme', 'C1')
const claim = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.claimed, source: 'send-sms/0/1', atMs })

function openLog (file = files.next()): { store: SqliteStore, log: SqliteLedgerLog } {
  const store = SqliteStore.open(file)
  return { store, log: new SqliteLedgerLog(store.ledger) }
}

const ownedBy = (verdict: ClaimVerdict | undefined): string => {
  assert.equal(verdict?.kind, 'owned')
  return (verdict as { token: string }).token
}

test('SqliteLedgerLog append folds records into its view per key', async () => {
  const { store, log } = openLog()
  await log.append('k1', claim('a', 1))
  await log.append('k1', claim('b', 2))
  await log.append('k2', claim('c', 3))
  await log.append('k1', { token: 'a', state: ledgerStates.done, source: 'send-sms/0/1', atMs: 4 })
  assert.deepStrictEqual([log.entry('k1'), log.entry('k2'), log.entry('k3'), log.size], [
    { token: 'a', source: 'send-sms/0/1', claimedAtMs: 1, done: true },
    { token: 'c', source: 'send-sms/0/1', claimedAtMs: 3, done: false },
    undefined,
    2
  ])
  store.close()
})

test('SqliteLedgerLog forgets a key when a tombstone is appended', async () => {
  const { store, log } = openLog()
  await log.append('k1', claim('a', 1))
  await log.append('k1', null)
  assert.deepStrictEqual([log.entry('k1'), log.size], [undefined, 0])
  store.close()
})

test('SqliteLedgerLog watch calls the key\'s listeners after each record, until stopped', async () => {
  const { store, log } = openLog()
  const calls: string[] = []
  const stopFirst = log.watch('k1', () => calls.push(`first sees ${log.entry('k1')?.token}`))
  log.watch('k1', () => calls.push('second'))
  log.watch('k2', () => calls.push('other key'))
  await log.append('k1', claim('a', 1))
  stopFirst()
  await log.append('k1', null)
  assert.deepStrictEqual(calls, ['first sees a', 'second', 'second'])
  store.close()
})

test('SqliteLedgerLog watch lets a listener stop itself while it is called', async () => {
  const { store, log } = openLog()
  const calls: string[] = []
  const stop = log.watch('k1', () => { calls.push('once'); stop() })
  log.watch('k1', () => calls.push('always'))
  await log.append('k1', claim('a', 1))
  await log.append('k1', claim('b', 2))
  assert.deepStrictEqual(calls, ['once', 'always', 'always'])
  store.close()
})

test('SqliteLedgerLog forgetSettled forgets the entries it is told to, tells their watchers, and keeps the others', async () => {
  const { store, log } = openLog()
  await log.append('k1', claim('a', 1))
  await log.append('k2', claim('b', 2))
  await log.append('k3', claim('c', 3))
  const calls: string[] = []
  log.watch('k2', () => calls.push(`k2 now ${String(log.entry('k2'))}`))
  assert.equal(await log.forgetSettled(entry => entry.token !== 'a'), 2)
  assert.deepStrictEqual([log.entry('k1')?.token, log.entry('k2'), log.entry('k3'), calls], ['a', undefined, undefined, ['k2 now undefined']])
  store.close()
})

test('SqliteLedgerLog keeps its entries across a reopen', async () => {
  const file = files.next()
  const first = openLog(file)
  await first.log.append('k1', claim('a', 1))
  first.store.close()
  const second = openLog(file)
  assert.deepStrictEqual(second.log.entry('k1'), { token: 'a', source: 'send-sms/0/1', claimedAtMs: 1, done: false })
  second.store.close()
})

test('SqliteLedgerLog under RequestLedger lets exactly one of concurrent claims own a key; the others wait and then say completed', async () => {
  const { store, log } = openLog()
  const ledger = new RequestLedger(log, { takeoverMs: 60_000 })
  const claims = [ledger.claim(KEY, 'embedded/0/1'), ledger.claim(KEY, 'embedded/0/2'), ledger.claim(KEY, 'embedded/0/3')]
  const first = await claims[0]
  const token = ownedBy(first)
  await ledger.complete(KEY, token, 'embedded/0/1')
  assert.deepStrictEqual(await Promise.all(claims.slice(1)), [{ kind: 'completed' }, { kind: 'completed' }])
  store.close()
})

test('SqliteLedgerLog under RequestLedger lets one of two processes on one file own a key; the other learns the outcome by its timeout', async () => {
  const file = files.next()
  const one = openLog(file)
  const two = openLog(file)
  const ledgers = [new RequestLedger(one.log, { takeoverMs: 200 }), new RequestLedger(two.log, { takeoverMs: 200 })]
  const verdicts = ledgers.map(async (ledger, index) => await ledger.claim(KEY, `embedded/0/${index}`))
  const winner = await Promise.race(verdicts.map(async (verdict, index) => ({ index, verdict: await verdict })))
  await (ledgers[winner.index] as RequestLedger).complete(KEY, ownedBy(winner.verdict), 'embedded/0')
  const loser = await (verdicts[1 - winner.index] as Promise<ClaimVerdict>)
  assert.deepStrictEqual(loser, { kind: 'completed' })
  one.store.close()
  two.store.close()
})

test('SqliteLedgerLog under RequestLedger says, after a restart, completed for a completed claim and abandoned for an unfinished one', async () => {
  const file = files.next()
  const before = openLog(file)
  let nowMs = 1_000_000
  const crashed = new RequestLedger(before.log, { takeoverMs: 30_000, now: () => nowMs })
  const done = ownedBy(await crashed.claim(ledgerKey('acme', 'done'), 'embedded/0/1'))
  await crashed.complete(ledgerKey('acme', 'done'), done, 'embedded/0/1')
  ownedBy(await crashed.claim(ledgerKey('acme', 'unfinished'), 'embedded/0/2'))
  before.store.close()

  nowMs += 30_000
  const after = openLog(file)
  const restarted = new RequestLedger(after.log, { takeoverMs: 30_000, now: () => nowMs })
  assert.deepStrictEqual(await restarted.claim(ledgerKey('acme', 'done'), 'embedded/0/1'), { kind: 'completed' })
  assert.deepStrictEqual(await restarted.claim(ledgerKey('acme', 'unfinished'), 'embedded/0/2'), { kind: 'abandoned' })
  await restarted.forget(ledgerKey('acme', 'unfinished'))
  ownedBy(await restarted.claim(ledgerKey('acme', 'unfinished'), 'embedded/0/3'))
  after.store.close()
})
