import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Awaitable } from '../../../src/async/awaitable.ts'
import type { LedgerLog } from '../../../src/gateway/ledger/ledger-log.ts'
import { ledgerStates, type LedgerRecord } from '../../../src/domain/ledger-record.ts'

/** A ledger log opened for one test: the log, how many entries it holds, and how to let it go. */
export interface LedgerLogUnderTest {
  readonly log: LedgerLog
  size: () => Awaitable<number>
  close: () => Awaitable<void>
}

const claim = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.claimed, source: { stream: 'send-sms/0', offset: 1n }, atMs })
const markingClaim = (token: string, atMs: number): LedgerRecord => ({ ...claim(token, atMs), marksWrites: true })
const writing = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.writing, source: { stream: 'send-sms/0', offset: 1n }, atMs })
const takeOver = (token: string, supersedes: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.takenOver, source: { stream: 'send-sms/0', offset: 1n }, atMs, supersedes })

/**
 * The semantics every LedgerLog keeps, in memory, in a store, on Kafka: registers its tests
 * (call it inside a describe per implementation), each on a fresh log from `open`.
 */
export function ledgerLogContract (open: () => Promise<LedgerLogUnderTest>): void {
  test('append folds records into its view per key', async () => {
    const { log, size, close } = await open()
    await log.append('k1', claim('a', 1))
    await log.append('k1', claim('b', 2))
    await log.append('k2', claim('c', 3))
    await log.append('k1', { token: 'a', state: ledgerStates.done, source: { stream: 'send-sms/0', offset: 1n }, atMs: 4 })
    assert.deepStrictEqual([await log.entry('k1'), await log.entry('k2'), await log.entry('k3'), await size()], [
      { token: 'a', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 1, done: true },
      { token: 'c', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 3, done: false },
      undefined,
      2
    ])
    await close()
  })

  test('append keeps the writing mark, and lets a takeover replace only an unwritten claim, as applyLedgerRecord does', async () => {
    const { log, close } = await open()
    await log.append('written', markingClaim('a', 1))
    await log.append('written', writing('a', 2))
    await log.append('written', writing('a', 3), { readBack: true })
    await log.append('written', takeOver('b', 'a', 4), { readBack: true })
    await log.append('unwritten', markingClaim('c', 1))
    await log.append('unwritten', takeOver('d', 'c', 5), { readBack: true })
    await log.append('unwritten', writing('c', 6), { readBack: true })
    await log.append('old', claim('e', 1))
    await log.append('old', takeOver('f', 'e', 7), { readBack: true })
    assert.deepStrictEqual([await log.entry('written'), await log.entry('unwritten'), await log.entry('old')], [
      { token: 'a', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 1, done: false, marksWrites: true, writingAtMs: 2 },
      { token: 'd', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 5, done: false, marksWrites: true },
      { token: 'e', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 1, done: false }
    ])
    await close()
  })

  test('entries lists every entry of the view with its key', async () => {
    const { log, close } = await open()
    await log.append('k1', markingClaim('a', 1))
    await log.append('k1', writing('a', 2))
    await log.append('k2', claim('b', 3))
    await log.append('k3', claim('c', 4))
    await log.append('k3', null)
    const entries = [...await log.entries()].sort((x, y) => x.key.localeCompare(y.key))
    assert.deepStrictEqual(entries, [
      { key: 'k1', entry: { token: 'a', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 1, done: false, marksWrites: true, writingAtMs: 2 } },
      { key: 'k2', entry: { token: 'b', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 3, done: false } }
    ])
    await close()
  })

  test('forgets a key when a tombstone is appended', async () => {
    const { log, size, close } = await open()
    await log.append('k1', claim('a', 1))
    await log.append('k1', null)
    assert.deepStrictEqual([await log.entry('k1'), await size()], [undefined, 0])
    await close()
  })

  test('watch calls the key\'s listeners after each record, once it is applied, until stopped', async () => {
    const { log, close } = await open()
    const calls: Array<Promise<string>> = []
    const stopFirst = log.watch('k1', () => calls.push(Promise.resolve(log.entry('k1')).then(entry => `first sees ${entry?.token}`)))
    log.watch('k1', () => calls.push(Promise.resolve('second')))
    log.watch('k2', () => calls.push(Promise.resolve('other key')))
    await log.append('k1', claim('a', 1))
    stopFirst()
    await log.append('k1', null)
    assert.deepStrictEqual(await Promise.all(calls), ['first sees a', 'second', 'second'])
    await close()
  })

  test('watch lets a listener stop itself while it is called', async () => {
    const { log, close } = await open()
    const calls: string[] = []
    const stop = log.watch('k1', () => { calls.push('once'); stop() })
    log.watch('k1', () => calls.push('always'))
    await log.append('k1', claim('a', 1))
    await log.append('k1', claim('b', 2))
    assert.deepStrictEqual(calls, ['once', 'always', 'always'])
    await close()
  })
}
