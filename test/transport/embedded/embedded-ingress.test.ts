import assert from 'node:assert/strict'
import { DatabaseSync } from 'node:sqlite'
import { test } from 'node:test'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { EmbeddedIngress } from '../../../src/transport/embedded/embedded-ingress.ts'
import { EmbeddedRequestSource } from '../../../src/transport/embedded/embedded-request-source.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'

const files = await tempStoreFiles('embedded-ingress')

/** The queued values as another connection (another process) reads them: only what is committed. */
function committedValues (file: string): unknown[] {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    return db.prepare("SELECT value FROM requests WHERE state = 'queued' ORDER BY seq").all().map(row => row.value)
  } finally {
    db.close()
  }
}

test('EmbeddedIngress accept resolves once every value is committed', async () => {
  const store = SqliteStore.open(files.next())
  const ingress = new EmbeddedIngress(store.requests)
  const accepted = ingress.accept(['a', 'b'])
  assert.deepStrictEqual(committedValues(store.file), [])
  await accepted
  assert.deepStrictEqual(committedValues(store.file), ['a', 'b'])
  store.close()
})

test('EmbeddedIngress enqueue resolves with the seqs, the offsets the source yields them at', async () => {
  const store = SqliteStore.open(files.next())
  const ingress = new EmbeddedIngress(store.requests)
  assert.deepStrictEqual([await ingress.enqueue(['a', 'b']), await ingress.enqueue(['c'])], [[1n, 2n], [3n]])
  store.close()
})

test('EmbeddedIngress accept stores a batch all or nothing, and a failing batch does not fail the others of the same commit', async () => {
  const store = SqliteStore.open(files.next())
  const ingress = new EmbeddedIngress(store.requests)
  // Accepted in the same turn, so in the same transaction: the middle batch fails on its second value.
  const results = await Promise.allSettled([
    ingress.accept(['a1', 'a2']),
    ingress.accept(['b1', null as unknown as string, 'b3']),
    ingress.accept(['c1'])
  ])
  assert.deepStrictEqual(results.map(result => result.status), ['fulfilled', 'rejected', 'fulfilled'])
  assert.deepStrictEqual(committedValues(store.file), ['a1', 'a2', 'c1'])
  store.close()
})

test('EmbeddedIngress accept wakes a source waiting on the same queue', async () => {
  const store = SqliteStore.open(files.next())
  const source = new EmbeddedRequestSource(store.requests, { pollIntervalMs: 60_000 })
  const next = source[Symbol.asyncIterator]().next()
  await new EmbeddedIngress(store.requests).accept(['wake up'])
  assert.equal((await next).value?.value.toString(), 'wake up')
  await source.close()
  store.close()
})
