import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { StoreCorrelations } from '../../../src/transport/embedded/store-correlations.ts'
import type { CorrelationRecord } from '../../../src/domain/correlation-record.ts'
import { createReceiptHandler } from '../../../src/gateway/backends/smpp/receipt-handler.ts'
import { createLogger } from '../../../src/log/logger.ts'
import { EmbeddedStatusStore } from '../../../src/transport/embedded/embedded-status-store.ts'
import { receiptPdu } from '../../harness/receipt-pdu.ts'
import { storeKinds, type StoreKind } from '../../store/store-kinds.ts'

const kinds = await storeKinds('store-correlations')
const log = createLogger({ level: 'silent' })
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

    test('sentOut says whether the SENT a record carries is stored, by request and recall-id', async () => {
      const store = await kind.open()
      const correlations = new StoreCorrelations(store.correlations, store.statuses)
      const pending: CorrelationRecord = { ...record('41', 'C1', 'smsc-a'), pendingSent: { recallId: '0041', atMs: Date.parse('2026-11-21T10:00:00Z') } }
      assert.equal(await correlations.sentOut(pending), false)
      await store.statuses.append({ clientId: 'test', correlId: 'C1', timestamp: new Date(), status: 'SENT', recallId: '41' })
      assert.equal(await correlations.sentOut(pending), false)
      await store.statuses.append({ clientId: 'test', correlId: 'C1', timestamp: new Date(), status: 'SENT', recallId: '0041' })
      assert.equal(await correlations.sentOut(pending), true)
      await store.close()
    })

    test('a receipt after a crash finds its request, reports the SENT its submitter did not, then DELIVERED; sent again, it is reported no more', async () => {
      // Issue 9 items 6 and 7, on the store's parts: the submitter wrote the record and died
      // before SENT; the SMSC sends the receipt after the restart, and again after another crash
      // that came between storing DELIVERED and removing the record.
      const location = await kind.newLocation()
      const pending: CorrelationRecord = { ...record('41', 'C1', 'smsc-a'), pendingSent: { recallId: '41', atMs: Date.parse('2026-11-21T10:00:00Z') } }
      const before = await kind.open(location)
      await new StoreCorrelations(before.correlations, before.statuses).put(pending)
      await before.close()
      const store = await kind.open(location)
      const correlations = new StoreCorrelations(store.correlations, store.statuses)
      const statuses = new EmbeddedStatusStore(store.statuses)
      const handle = createReceiptHandler({ correlations, report: async event => await statuses.report(event), log, raceWaitMs: 50, now: () => new Date('2026-11-21T10:00:05Z') })
      const receipt = receiptPdu('41', 'DELIVRD')
      assert.equal(await handle(receipt, 'smsc-a', 'as-is'), 'reported')
      await correlations.put(pending)
      assert.equal(await handle(receipt, 'smsc-a', 'as-is'), 'duplicate')
      assert.equal(await handle(receipt, 'smsc-a', 'as-is'), 'unmatched')
      assert.deepStrictEqual((await statuses.history('test', 'C1')).map(event => [event.status, event.recallId, event.timestamp.toISOString()]), [
        ['SENT', '41', '2026-11-21T10:00:00.000Z'], ['DELIVERED', '41', '2026-11-21T10:00:05.000Z']
      ])
      await store.close()
    })
  })
}
