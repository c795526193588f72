import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { StoreCorrelations } from '../../../src/transport/embedded/store-correlations.ts'
import type { CorrelationRecord } from '../../../src/gateway/backends/smpp/correlation-record.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'

const files = await tempStoreFiles('store-correlations')
const record = (recallId: string, correlId: string, connection?: string): CorrelationRecord =>
  connection === undefined ? { recallId, clientId: 'test', correlId } : { recallId, clientId: 'test', correlId, connection }

function openCorrelations (file = files.next()): { store: SqliteStore, correlations: StoreCorrelations } {
  const store = SqliteStore.open(file)
  return { store, correlations: new StoreCorrelations(store.correlations) }
}

test('StoreCorrelations get finds a record by message id and connection: ids are unique per SMSC only', async () => {
  const { store, correlations } = openCorrelations()
  await correlations.put(record('1', 'C1', 'smsc-a'))
  await correlations.put(record('1', 'C2', 'smsc-b'))
  assert.deepStrictEqual([correlations.get('1', 'smsc-a'), correlations.get('1', 'smsc-b'), correlations.get('1', 'smsc-c')], [
    record('1', 'C1', 'smsc-a'), record('1', 'C2', 'smsc-b'), undefined
  ])
  store.close()
})

test('StoreCorrelations get falls back to a record the older gateway keyed by the bare message id', async () => {
  const { store, correlations } = openCorrelations()
  await correlations.put(record('4711', 'OLD'))
  assert.deepStrictEqual([correlations.get('4711', 'smsc-a'), correlations.get('4711')], [record('4711', 'OLD'), record('4711', 'OLD')])
  store.close()
})

test('StoreCorrelations remove deletes the connection\'s record, or else the bare one', async () => {
  const { store, correlations } = openCorrelations()
  await correlations.put(record('1', 'C1', 'smsc-a'))
  await correlations.put(record('1', 'OLD'))
  await correlations.remove('1', 'smsc-a')
  assert.deepStrictEqual(correlations.get('1', 'smsc-a'), record('1', 'OLD'))
  await correlations.remove('1', 'smsc-a')
  assert.deepStrictEqual(correlations.get('1', 'smsc-a'), undefined)
  store.close()
})

test('StoreCorrelations waitFor resolves as soon as the record is put: a receipt that overtook its submit response', async () => {
  const { store, correlations } = openCorrelations()
  const startedMs = performance.now()
  const waiting = correlations.waitFor('9', 60_000, 'smsc-a')
  await correlations.put(record('9', 'C9', 'smsc-a'))
  assert.deepStrictEqual(await waiting, record('9', 'C9', 'smsc-a'))
  assert.ok(performance.now() - startedMs < 5_000)
  store.close()
})

test('StoreCorrelations waitFor resolves with a known record at once, and with undefined after the timeout', async () => {
  const { store, correlations } = openCorrelations()
  await correlations.put(record('1', 'C1', 'smsc-a'))
  assert.deepStrictEqual(await correlations.waitFor('1', 60_000, 'smsc-a'), record('1', 'C1', 'smsc-a'))
  assert.equal(await correlations.waitFor('2', 10, 'smsc-a'), undefined)
  store.close()
})

test('StoreCorrelations waitFor finds, at its timeout, a record another process put meanwhile', async () => {
  const file = files.next()
  const here = openCorrelations(file)
  const elsewhere = openCorrelations(file)
  const waiting = here.correlations.waitFor('5', 50, 'smsc-a')
  await elsewhere.correlations.put(record('5', 'C5', 'smsc-a'))
  assert.deepStrictEqual(await waiting, record('5', 'C5', 'smsc-a'))
  here.store.close()
  elsewhere.store.close()
})
