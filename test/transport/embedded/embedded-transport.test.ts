import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { test } from 'node:test'
import { ledgerStates, type LedgerRecord } from '../../../src/gateway/ledger/ledger-record.ts'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { openEmbeddedTransport } from '../../../src/transport/embedded/embedded-transport.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'

const files = await tempStoreFiles('embedded-transport')
const claimFrom = (source: string): LedgerRecord => ({ token: `t-${source}`, state: ledgerStates.claimed, source, atMs: 1 })

test('openEmbeddedTransport forgets the ledger entries of requests already done, as the gateway would have after their commit', async () => {
  const file = files.next()
  const store = SqliteStore.open(file)
  await store.requests.enqueue(['a', 'b', 'c'])
  await store.requests.markDone(2)
  // A crash came between the commit of 1 and 2 and the gateway's forget; 3 is still in flight.
  await store.ledger.apply('done-1', claimFrom('embedded/0/1'))
  await store.ledger.apply('done-2', claimFrom('embedded/0/2'))
  await store.ledger.apply('done-2', { ...claimFrom('embedded/0/2'), state: ledgerStates.done })
  await store.ledger.apply('queued-3', claimFrom('embedded/0/3'))
  await store.ledger.apply('pruned-0', claimFrom('embedded/0/0'))
  await store.ledger.apply('foreign', claimFrom('send-sms/0/1'))
  store.close()

  const transport = await openEmbeddedTransport(file)
  assert.deepStrictEqual(transport.store.ledger.all().map(({ key }) => key), ['foreign', 'queued-3'])
  await transport.close()
})

test('openEmbeddedTransport builds every part over one file, and close ends the source and closes the file', async () => {
  const transport = await openEmbeddedTransport(files.next(), { source: { pollIntervalMs: 60_000 } })
  const iterator = transport.source[Symbol.asyncIterator]()
  await transport.ingress.accept(['a'])
  const first = await iterator.next()
  await first.value?.commit()
  await transport.statuses.report({ clientId: 'test', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:00Z'), status: 'SENT' })
  await transport.correlations.put({ recallId: '1', clientId: 'test', correlId: 'C1', connection: 'smsc' })
  const waiting = iterator.next()
  await transport.close()
  assert.deepStrictEqual(await waiting, { done: true, value: undefined })
  await assert.rejects(transport.ingress.accept(['b']), /the store is closed/)

  const reopened = SqliteStore.open(transport.store.file)
  assert.deepStrictEqual([reopened.requests.countQueued(), reopened.statuses.history('test', 'C1').length, reopened.correlations.get('smsc:1')?.correlId], [0, 1, 'C1'])
  reopened.close()
})

test('openEmbeddedTransport rejects a file that is not a store', async () => {
  const file = files.next()
  await writeFile(file, 'not a database, but long enough to have a header of sorts: '.repeat(10))
  await assert.rejects(openEmbeddedTransport(file), /file is not a database/)
})
