import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { encodeLedgerSource, ledgerStates, type LedgerRecord, type LedgerSource } from '../../../src/domain/ledger-record.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { openEmbeddedTransport } from '../../../src/transport/embedded/embedded-transport.ts'
import { storeKinds } from '../../store/store-kinds.ts'

const kinds = await storeKinds('embedded-transport')
const claimFrom = (source: LedgerSource): LedgerRecord => ({ token: `t-${encodeLedgerSource(source)}`, state: ledgerStates.claimed, source, atMs: 1, marksWrites: true })

for (const kind of kinds) {
  describe(`openEmbeddedTransport on a ${kind.name} store`, () => {
    test('forgets the ledger entries of requests already done, as the gateway would have after their commit, and keeps the unknown outcomes', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      const lease = await store.requests.leaseConsumer(new AbortController().signal)
      assert.ok(lease !== undefined)
      await store.requests.enqueue(['a', 'b', 'c', 'd'])
      await store.ledger.apply('done-1', claimFrom({ stream: 'embedded/0', offset: 1n }))
      // Written and never answered (or abandoned by a crashed owner): an unknown outcome, committed.
      await store.ledger.apply('unknown-2', claimFrom({ stream: 'embedded/0', offset: 2n }))
      await store.ledger.apply('unknown-2', { ...claimFrom({ stream: 'embedded/0', offset: 2n }), state: ledgerStates.writing })
      await store.ledger.apply('done-3', claimFrom({ stream: 'embedded/0', offset: 3n }))
      await store.ledger.apply('done-3', { ...claimFrom({ stream: 'embedded/0', offset: 3n }), state: ledgerStates.done })
      await store.ledger.apply('queued-4', claimFrom({ stream: 'embedded/0', offset: 4n }))
      // (PostgreSQL refuses a claim of a request its queue does not hold; SQLite keeps this one.)
      await store.ledger.apply('pruned-0', claimFrom({ stream: 'embedded/0', offset: 0n }))
      await store.ledger.apply('foreign', claimFrom({ stream: 'send-sms/0', offset: 1n }))
      // A crash came between the commit of 1 to 3 and the gateway's forget; 4 is still in flight.
      await store.requests.markDone(3, lease)
      assert.deepStrictEqual((await store.ledger.all()).map(({ key }) => key).filter(key => key.startsWith('done')), ['done-1', 'done-3'])
      await store.close()

      const transport = await openEmbeddedTransport(await openStore(location))
      assert.deepStrictEqual((await transport.store.ledger.all()).map(({ key }) => key), ['foreign', 'queued-4', 'unknown-2'])
      await transport.close()
    })

    test('builds every part over one store, and close ends the source and closes the store', async () => {
      const location = await kind.newLocation()
      const transport = await openEmbeddedTransport(await openStore(location), { source: { pollIntervalMs: 60_000 } })
      const iterator = transport.source[Symbol.asyncIterator]()
      await transport.ingress.accept(['a'])
      const first = await iterator.next()
      await first.value?.commit()
      await transport.statuses.report({ clientId: 'test', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:00Z'), status: 'SENT' })
      await transport.correlations.put({ recallId: '1', clientId: 'test', correlId: 'C1', connection: 'smsc' })
      const waiting = iterator.next()
      await transport.close()
      assert.deepStrictEqual(await waiting, { done: true, value: undefined })
      await assert.rejects(transport.ingress.accept(['b']))

      const reopened = await openStore(location)
      assert.deepStrictEqual([await reopened.requests.countQueued(), (await reopened.statuses.history('test', 'C1')).length, (await reopened.correlations.get('smsc:1'))?.correlId], [0, 1, 'C1'])
      await reopened.close()
    })
  })
}
