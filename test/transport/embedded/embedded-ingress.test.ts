import assert from 'node:assert/strict'
import { DatabaseSync } from 'node:sqlite'
import { describe, test } from 'node:test'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { EmbeddedIngress } from '../../../src/transport/embedded/embedded-ingress.ts'
import { EmbeddedRequestSource } from '../../../src/transport/embedded/embedded-request-source.ts'
import { storeKinds, type StoreKind } from '../../store/store-kinds.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'

const kinds = await storeKinds('embedded-ingress')
const files = await tempStoreFiles('embedded-ingress-sqlite')

/** The queued values as another instance on the same store reads them: only what is committed. */
async function committedValues (kind: StoreKind, location: string): Promise<string[]> {
  const other = await kind.open(location)
  try {
    return (await other.requests.queuedAfter(0, 100)).map(request => request.value)
  } finally {
    await other.close()
  }
}

/** The queued values as another connection (another process) reads the SQLite file: only what is committed. */
function committedInFile (file: string): unknown[] {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    return db.prepare("SELECT value FROM requests WHERE state = 'queued' ORDER BY seq").all().map(row => row.value)
  } finally {
    db.close()
  }
}

// SQLite reads are synchronous, so this can look at the file while the commit is on its way.
// The PostgreSQL store's counterpart holds the commit back with a lock (test/store/postgres).
test('EmbeddedIngress on a sqlite store: accept resolves only once every value is committed to the file', async () => {
  const store = SqliteStore.open(files.next())
  const ingress = new EmbeddedIngress(store.requests)
  const accepted = ingress.accept(['a', 'b'])
  assert.deepStrictEqual(committedInFile(store.file), [])
  await accepted
  assert.deepStrictEqual(committedInFile(store.file), ['a', 'b'])
  store.close()
})

for (const kind of kinds) {
  describe(`EmbeddedIngress on a ${kind.name} store`, () => {
    test('accept resolves once every value is committed: another instance on the store reads them then', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      const ingress = new EmbeddedIngress(store.requests)
      await ingress.accept(['a', 'b'])
      assert.deepStrictEqual(await committedValues(kind, location), ['a', 'b'])
      await store.close()
    })

    test('enqueue resolves with the seqs, the offsets the source yields them at', async () => {
      const store = await kind.open()
      const ingress = new EmbeddedIngress(store.requests)
      assert.deepStrictEqual([await ingress.enqueue(['a', 'b']), await ingress.enqueue(['c'])], [[1n, 2n], [3n]])
      const source = new EmbeddedRequestSource(store.requests, { pollIntervalMs: 60_000 })
      const iterator = source[Symbol.asyncIterator]()
      const offsets: bigint[] = []
      for (let index = 0; index < 3; index++) offsets.push((await iterator.next()).value?.offset ?? -1n)
      assert.deepStrictEqual(offsets, [1n, 2n, 3n])
      await source.close()
      await store.close()
    })

    test('accept stores a batch all or nothing, and a failing batch does not fail the others of the same commit', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      const ingress = new EmbeddedIngress(store.requests)
      // Accepted in the same turn, so in the same transaction: the middle batch fails on its second value.
      const results = await Promise.allSettled([
        ingress.accept(['a1', 'a2']),
        ingress.accept(['b1', null as unknown as string, 'b3']),
        ingress.accept(['c1'])
      ])
      assert.deepStrictEqual(results.map(result => result.status), ['fulfilled', 'rejected', 'fulfilled'])
      assert.deepStrictEqual(await committedValues(kind, location), ['a1', 'a2', 'c1'])
      await store.close()
    })

    test('accept wakes a source waiting on the same queue', async () => {
      const store = await kind.open()
      const source = new EmbeddedRequestSource(store.requests, { pollIntervalMs: 60_000 })
      const next = source[Symbol.asyncIterator]().next()
      await new EmbeddedIngress(store.requests).accept(['wake up'])
      assert.equal((await next).value?.value.toString(), 'wake up')
      await source.close()
      await store.close()
    })
  })
}
