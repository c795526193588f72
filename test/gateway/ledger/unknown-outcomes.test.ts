import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ledgerKey, ledgerStates, type LedgerRecord } from '../../../src/domain/ledger-record.ts'
import { MemoryLedgerLog } from '../../../src/gateway/ledger/memory-ledger-log.ts'
import { UnknownOutcomes } from '../../../src/gateway/ledger/unknown-outcomes.ts'

const TAKEOVER_MS = 1_000
const record = (token: string, state: LedgerRecord['state'], atMs: number, extra: Partial<LedgerRecord> = {}): LedgerRecord => ({ token, state, source: { stream: 'embedded/0', offset: BigInt(atMs) }, atMs, ...extra })

/** A ledger holding one request in each state, claimed at 0 unless said otherwise. */
async function ledgerOfEveryState (): Promise<MemoryLedgerLog> {
  const log = new MemoryLedgerLog()
  const claim = async (correlId: string, atMs = 0, marksWrites = true): Promise<string> => {
    const key = ledgerKey('acme', correlId)
    await log.append(key, record(correlId, ledgerStates.claimed, atMs, marksWrites ? { marksWrites: true } : {}))
    return key
  }
  await claim('unwritten')
  await log.append(await claim('written'), record('written', ledgerStates.writing, 5))
  const done = await claim('done')
  await log.append(done, record('done', ledgerStates.writing, 5))
  await log.append(done, record('done', ledgerStates.done, 6))
  await claim('old-version', 0, false)
  await log.append(await claim('young', 600), record('young', ledgerStates.writing, 601))
  await log.append('not a request key', record('x', ledgerStates.claimed, 0))
  return log
}

test('UnknownOutcomes lists the requests marked writing (or claimed by an earlier version) and unfinished after takeoverMs, oldest first', async () => {
  const outcomes = new UnknownOutcomes(await ledgerOfEveryState(), { takeoverMs: TAKEOVER_MS, now: () => 1_500 })
  assert.deepStrictEqual(await outcomes.list(), [
    { clientId: 'acme', correlId: 'written', source: { stream: 'embedded/0', offset: 0n }, claimedAtMs: 0, writingAtMs: 5 },
    { clientId: 'acme', correlId: 'old-version', source: { stream: 'embedded/0', offset: 0n }, claimedAtMs: 0 }
  ])
  assert.equal(await outcomes.count(), 2)
  // Once the young one is as old as takeoverMs, it is listed too.
  assert.equal(await new UnknownOutcomes(await ledgerOfEveryState(), { takeoverMs: TAKEOVER_MS, now: () => 1_600 }).count(), 3)
})

test('UnknownOutcomes resolve forgets an unknown outcome, and nothing else', async () => {
  const log = await ledgerOfEveryState()
  const outcomes = new UnknownOutcomes(log, { takeoverMs: TAKEOVER_MS, now: () => 1_500 })
  assert.deepStrictEqual(await Promise.all(['unwritten', 'done', 'young', 'absent'].map(async id => await outcomes.resolve('acme', id))), [false, false, false, false])
  assert.equal(await outcomes.resolve('acme', 'written'), true)
  assert.equal(await outcomes.resolve('acme', 'written'), false)
  assert.deepStrictEqual((await outcomes.list()).map(outcome => outcome.correlId), ['old-version'])
  assert.deepStrictEqual(log.entries().map(({ key }) => key).sort(), [ledgerKey('acme', 'done'), ledgerKey('acme', 'old-version'), ledgerKey('acme', 'unwritten'), ledgerKey('acme', 'young'), 'not a request key'].sort())
})

test('UnknownOutcomes leaves out a request that has a status after all: its receipt found the record of a write its owner did not finish', async () => {
  const reported = new Set(['written'])
  const outcomes = new UnknownOutcomes(await ledgerOfEveryState(), { takeoverMs: TAKEOVER_MS, now: () => 1_500, reported: async (clientId, correlId) => clientId === 'acme' && reported.has(correlId) })
  assert.deepStrictEqual((await outcomes.list()).map(outcome => outcome.correlId), ['old-version'])
  assert.equal(await outcomes.count(), 1)
})
