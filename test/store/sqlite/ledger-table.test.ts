import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ledgerStates, type LedgerRecord } from '../../../src/gateway/ledger/ledger-record.ts'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { tempStoreFiles } from '../temp-files.ts'

const files = await tempStoreFiles('ledger-table')
const claim = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.claimed, source: 'embedded/0/1', atMs })
const done = (token: string): LedgerRecord => ({ token, state: ledgerStates.done, source: 'embedded/0/1', atMs: 99 })

test('LedgerTable apply folds records with applyLedgerRecord and resolves with the entry it leaves', async () => {
  const store = SqliteStore.open(files.next())
  const { ledger } = store
  const owned = { token: 'a', source: 'embedded/0/1', claimedAtMs: 1, done: false }
  assert.deepStrictEqual(await ledger.apply('k', claim('a', 1)), owned)
  // A lost race (a second claim, a done from another token) changes nothing.
  assert.deepStrictEqual(await ledger.apply('k', claim('b', 2)), owned)
  assert.deepStrictEqual(await ledger.apply('k', done('b')), owned)
  assert.deepStrictEqual(await ledger.apply('k', done('a')), { ...owned, done: true })
  assert.deepStrictEqual(await ledger.apply('k', null), undefined)
  assert.deepStrictEqual(await ledger.apply('gone', null), undefined)
  assert.deepStrictEqual([ledger.get('k'), ledger.count()], [undefined, 0])
  store.close()
})

test('LedgerTable all lists every entry by key', async () => {
  const store = SqliteStore.open(files.next())
  await store.ledger.apply('k2', claim('b', 2))
  await store.ledger.apply('k1', claim('a', 1))
  assert.deepStrictEqual(store.ledger.all(), [
    { key: 'k1', entry: { token: 'a', source: 'embedded/0/1', claimedAtMs: 1, done: false } },
    { key: 'k2', entry: { token: 'b', source: 'embedded/0/1', claimedAtMs: 2, done: false } }
  ])
  store.close()
})

test('LedgerTable decides a race between two stores on one file by the order of their commits', async () => {
  const file = files.next()
  const first = SqliteStore.open(file)
  const second = SqliteStore.open(file)
  const [fromFirst, fromSecond] = await Promise.all([first.ledger.apply('k', claim('a', 1)), second.ledger.apply('k', claim('b', 2))])
  assert.deepStrictEqual(fromFirst, fromSecond)
  assert.deepStrictEqual([first.ledger.get('k'), second.ledger.get('k')], [fromFirst, fromFirst])
  first.close()
  second.close()
})
