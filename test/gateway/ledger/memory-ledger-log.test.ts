import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ledgerStates, type LedgerRecord } from '../../../src/gateway/ledger/ledger-record.ts'
import { MemoryLedgerLog } from '../../../src/gateway/ledger/memory-ledger-log.ts'

const claim = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.claimed, source: 'send-sms/0/1', atMs })

test('MemoryLedgerLog append folds records into its view per key', async () => {
  const log = new MemoryLedgerLog()
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
})

test('MemoryLedgerLog forgets a key when a tombstone is appended', async () => {
  const log = new MemoryLedgerLog()
  await log.append('k1', claim('a', 1))
  await log.append('k1', null)
  assert.deepStrictEqual([log.entry('k1'), log.size], [undefined, 0])
})

test('MemoryLedgerLog watch calls the key\'s listeners after each record, until stopped', async () => {
  const log = new MemoryLedgerLog()
  const calls: string[] = []
  const stopFirst = log.watch('k1', () => calls.push(`first sees ${log.entry('k1')?.token}`))
  log.watch('k1', () => calls.push('second'))
  log.watch('k2', () => calls.push('other key'))
  await log.append('k1', claim('a', 1))
  stopFirst()
  await log.append('k1', null)
  assert.deepStrictEqual(calls, ['first sees a', 'second', 'second'])
})

test('MemoryLedgerLog watch lets a listener stop itself while it is called', async () => {
  const log = new MemoryLedgerLog()
  const calls: string[] = []
  const stop = log.watch('k1', () => { calls.push('once'); stop() })
  log.watch('k1', () => calls.push('always'))
  await log.append('k1', claim('a', 1))
  await log.append('k1', claim('b', 2))
  assert.deepStrictEqual(calls, ['once', 'always', 'always'])
})
