import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { StoreCorrelations } from '../../../src/transport/embedded/store-correlations.ts'
import type { CorrelationRecord } from '../../../src/gateway/backends/smpp/correlation-record.ts'
import { storeKinds, type StoreKind } from '../../store/store-kinds.ts'

const kinds = await storeKinds('store-correlations')
const record = (recallId: string, correlId: string, connection?: string): CorrelationRecord =>
  connection === undefined ? { recallId, clientId: 'test', correlId } : { recallId, clientId: 'test', correlId, connection }

async function openCorrelations (kind: StoreKind, location?: string): Promise<{ store: EmbeddedStore, correlations: StoreCorrelations }> {
  const store = await kind.open(location)
  return { store, correlations: new StoreCorrelations(store.correlations) }
}

for (const kind of kinds) {
  describe(`StoreCorrelations on a ${kind.name} store`, () => {
    test('get finds a record by message id and connection: ids are unique per SMSC only', async () => {
      const { store, correlations } = await openCorrelations(kind)
      await correlations.put(record('1', 'C1', 'smsc-a'))
      await correlations.put(record('1', 'C2', 'smsc-b'))
      assert.deepStrictEqual([await correlations.get('1', 'smsc-a'), await correlations.get('1', 'smsc-b'), await correlations.get('1', 'smsc-c')], [
        record('1', 'C1', 'smsc-a'), record('1', 'C2', 'smsc-b'), undefined
      ])
      await store.close()
    })

    test('get falls back to a record the older gateway keyed by the bare message id', async () => {
      const { store, correlations } = await openCorrelations(kind)
      await correlations.put(record('4711', 'OLD'))
      assert.deepStrictEqual([await correlations.get('4711', 'smsc-a'), await correlations.get('4711')], [record('4711', 'OLD'), record('4711', 'OLD')])
      await store.close()
    })

    test('remove deletes the connection\'s record, or else the bare one', async () => {
      const { store, correlations } = await openCorrelations(kind)
      await correlations.put(record('1', 'C1', 'smsc-a'))
      await correlations.put(record('1', 'OLD'))
      await correlations.remove('1', 'smsc-a')
      assert.deepStrictEqual(await correlations.get('1', 'smsc-a'), record('1', 'OLD'))
      await correlations.remove('1', 'smsc-a')
      assert.deepStrictEqual(await correlations.get('1', 'smsc-a'), undefined)
      await store.close()
    })

    test('waitFor resolves as soon as the record is put: a receipt that overtook its submit response', async () => {
      const { store, correlations } = await openCorrelations(kind)
      const startedMs = performance.now()
      const waiting = correlations.waitFor('9', 60_000, 'smsc-a')
      await correlations.put(record('9', 'C9', 'smsc-a'))
      assert.deepStrictEqual(await waiting, record('9', 'C9', 'smsc-a'))
      assert.ok(performance.now() - startedMs < 5_000)
      await store.close()
    })

    test('waitFor resolves with a known record at once, and with undefined after the timeout', async () => {
      const { store, correlations } = await openCorrelations(kind)
      await correlations.put(record('1', 'C1', 'smsc-a'))
      assert.deepStrictEqual(await correlations.waitFor('1', 60_000, 'smsc-a'), record('1', 'C1', 'smsc-a'))
      assert.equal(await correlations.waitFor('2', 10, 'smsc-a'), undefined)
      await store.close()
    })

    test('waitFor finds, at its timeout, a record another process put meanwhile', async () => {
      const location = await kind.newLocation()
      const here = await openCorrelations(kind, location)
      const elsewhere = await openCorrelations(kind, location)
      // Long enough for a put over the network to land before the timeout, even on a busy machine.
      const waiting = here.correlations.waitFor('5', 250, 'smsc-a')
      await elsewhere.correlations.put(record('5', 'C5', 'smsc-a'))
      assert.deepStrictEqual(await waiting, record('5', 'C5', 'smsc-a'))
      await here.store.close()
      await elsewhere.store.close()
    })
  })
}
