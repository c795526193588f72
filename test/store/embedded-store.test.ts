import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MAX_INBOUND_NAME_BYTES, MAX_INBOUND_SEALED_BYTES, type InboundRecord } from '../../src/domain/stored-inbound.ts'
import { ledgerStates, type LedgerRecord } from '../../src/domain/ledger-record.ts'
import type { StatusEvent } from '../../src/domain/status-event.ts'
import type { ConsumerLease, EmbeddedStore } from '../../src/store/embedded-store.ts'
import { DEFAULT_RETENTION_MS, PRUNE_CHUNK_ROWS } from '../../src/store/retention.ts'
import { storeKinds } from './store-kinds.ts'

// The contract of src/store/embedded-store.ts, which every kind of store keeps: the embedded
// transport relies on nothing else.

const kinds = await storeKinds('embedded-store')
const DAY_MS = 24 * 60 * 60 * 1000
// Requests of another source (a Kafka partition): the ledger's own semantics, whatever the queue holds.
const claim = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.claimed, source: { stream: 'send-sms/0', offset: 1n }, atMs })
const done = (token: string): LedgerRecord => ({ token, state: ledgerStates.done, source: { stream: 'send-sms/0', offset: 1n }, atMs: 99 })
const forever = new AbortController().signal
const MINUTE_MS = 60 * 1000
const inbound = (owner: string, sealed: string): InboundRecord => ({ owner, connection: 'smsc-a', receivedAtMs: Date.parse('2026-11-01T00:00:00Z'), parts: 2, incomplete: false, sealed })
const duplicateKey = (n: number): string => n.toString(16).padStart(64, '0')

/** Takes the consumer lease, as the request source does before it reads (and marks done). */
async function consume (store: EmbeddedStore): Promise<ConsumerLease> {
  const lease = await store.requests.leaseConsumer(forever)
  assert.ok(lease !== undefined)
  return lease
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('enqueue gives each value the next seq, in order, and queuedAfter reads them in pages', async () => {
      const store = await kind.open()
      const { requests } = store
      assert.deepStrictEqual(await requests.enqueue(['a', 'b']), [1, 2])
      assert.deepStrictEqual(await requests.enqueue([]), [])
      assert.deepStrictEqual(await requests.enqueue(['c']), [3])
      assert.deepStrictEqual([await requests.queuedAfter(0, 2), await requests.queuedAfter(2, 2), await requests.queuedAfter(3, 2)], [
        [{ seq: 1, value: 'a' }, { seq: 2, value: 'b' }],
        [{ seq: 3, value: 'c' }],
        []
      ])
      await store.close()
    })

    test('enqueue keeps the batches of concurrent callers whole and in their seq order', async () => {
      const store = await kind.open()
      const batches = Array.from({ length: 20 }, (_, index) => [`${index}a`, `${index}b`, `${index}c`])
      const seqs = await Promise.all(batches.map(async batch => await store.requests.enqueue(batch)))
      for (const [index, batch] of seqs.entries()) assert.deepStrictEqual(batch, [batch[0], (batch[0] as number) + 1, (batch[0] as number) + 2], `batch ${index} is contiguous`)
      const stored = await store.requests.queuedAfter(0, 100)
      assert.deepStrictEqual(stored, seqs.flatMap((batch, index) => batch.map((seq, position) => ({ seq, value: `${index}${'abc'[position] as string}` }))).sort((a, b) => a.seq - b.seq))
      await store.close()
    })

    test('enqueue calls the onEnqueued listeners once the batch is committed', async () => {
      const store = await kind.open()
      const seen: number[] = []
      const stop = store.requests.onEnqueued(() => { seen.push(-1) })
      await store.requests.enqueue(['a', 'b'])
      stop()
      await store.requests.enqueue(['c'])
      assert.deepStrictEqual([seen.length, await store.requests.countQueued()], [1, 3])
      await store.close()
    })

    test('markDone marks the prefix up to a seq done, once; isQueued and countQueued follow', async () => {
      const store = await kind.open()
      const { requests } = store
      const lease = await consume(store)
      await requests.enqueue(['a', 'b', 'c', 'd'])
      assert.deepStrictEqual([await requests.markDone(2, lease), await requests.markDone(2, lease), await requests.markDone(3, lease)], [2, 0, 1])
      assert.deepStrictEqual([await requests.queuedAfter(0, 10), await requests.countQueued()], [[{ seq: 4, value: 'd' }], 1])
      assert.deepStrictEqual(await Promise.all([1, 4, 5].map(async seq => await requests.isQueued(seq))), [false, true, false])
      await store.close()
    })

    test('a reopened store holds what was committed, and never hands out a seq twice, not even after the newest requests were pruned', async () => {
      const nowMs = Date.parse('2026-11-01T00:00:00Z')
      const location = await kind.newLocation()
      const store = await kind.open(location, { now: () => nowMs, retentionMs: 1 })
      const lease = await consume(store)
      await store.requests.enqueue(['a', 'b'])
      await store.requests.markDone(2, lease)
      assert.deepStrictEqual(await store.prune(new Date(nowMs + 10)), { requests: 2, statuses: 0, correlations: 0, inbound: 0 })
      await store.requests.enqueue(['c'])
      await store.close()
      const reopened = await kind.open(location)
      assert.deepStrictEqual([await reopened.requests.enqueue(['d']), await reopened.requests.queuedAfter(0, 10)], [[4], [{ seq: 3, value: 'c' }, { seq: 4, value: 'd' }]])
      await reopened.close()
    })

    test('status append keeps every field, in the contract\'s whole seconds, and history gives them back per request in order', async () => {
      const store = await kind.open()
      const sent: StatusEvent = { clientId: 'test', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:00.750Z'), status: 'SENT', recallId: '4711' }
      const failed: StatusEvent = { clientId: 'test', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:02Z'), status: 'FAILED', recallId: '4711', errorText: 'Failed after successful send' }
      const other: StatusEvent = { clientId: 'test', correlId: 'C2', timestamp: new Date('2026-11-21T10:00:01Z'), status: 'INVALID', errorText: '' }
      assert.deepStrictEqual(await store.statuses.append(sent), { ...sent, timestamp: new Date('2026-11-21T10:00:00Z') })
      await store.statuses.append(other)
      await store.statuses.append(failed)
      assert.deepStrictEqual(await store.statuses.history('test', 'C1'), [{ ...sent, timestamp: new Date('2026-11-21T10:00:00Z') }, failed])
      // An empty error text is left out, as on sms-status.
      assert.deepStrictEqual(await store.statuses.history('test', 'C2'), [{ clientId: 'test', correlId: 'C2', timestamp: other.timestamp, status: 'INVALID' }])
      assert.deepStrictEqual(await store.statuses.history('acme', 'C1'), [])
      await store.close()
    })

    test('status append stores a status with a recall-id once per request, state and recall-id, also when two append it at once, and resolves undefined for the copy', async () => {
      // Issue 9 item 7: a receipt the SMSC re-sends after a crash must not be reported twice.
      const store = await kind.open()
      const delivered: StatusEvent = { clientId: 'acme', correlId: 'C1', timestamp: new Date('2026-11-21T10:00:05Z'), status: 'DELIVERED', recallId: '42' }
      const sent: StatusEvent = { ...delivered, timestamp: new Date('2026-11-21T10:00:00Z'), status: 'SENT' }
      const [first, second] = await Promise.all([store.statuses.append(sent), store.statuses.append({ ...sent, timestamp: new Date('2026-11-21T10:00:01Z') })])
      assert.deepStrictEqual([first === undefined, second === undefined].sort(), [false, true])
      assert.deepStrictEqual(await store.statuses.append(delivered), delivered)
      assert.deepStrictEqual(await store.statuses.append({ ...delivered, timestamp: new Date('2026-11-21T10:09:00Z') }), undefined)
      // Another recall-id, another request, or no recall-id at all (the loop-back): stored.
      assert.deepStrictEqual(await store.statuses.append({ ...delivered, recallId: '43' }), { ...delivered, recallId: '43' })
      assert.deepStrictEqual(await store.statuses.append({ ...delivered, correlId: 'C2' }), { ...delivered, correlId: 'C2' })
      const loopback: StatusEvent = { clientId: 'test', correlId: 'L1', timestamp: sent.timestamp, status: 'SENT' }
      assert.deepStrictEqual([await store.statuses.append(loopback), await store.statuses.append(loopback)], [loopback, loopback])
      assert.deepStrictEqual((await store.statuses.history('acme', 'C1')).map(event => [event.status, event.recallId]), [['SENT', '42'], ['DELIVERED', '42'], ['DELIVERED', '43']])
      await store.close()
    })

    test('status append rejects, storing nothing, a status without a client-id', async () => {
      const store = await kind.open()
      await assert.rejects(store.statuses.append({ clientId: '', correlId: 'C1', timestamp: new Date(), status: 'SENT' }), /not a status the contract can carry/)
      assert.deepStrictEqual(await store.statuses.history('', 'C1'), [])
      await store.close()
    })

    test('ledger apply folds records with applyLedgerRecord and resolves with the entry it leaves; all lists them by key', async () => {
      const store = await kind.open()
      const { ledger } = store
      const owned = { token: 'a', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 1, done: false }
      assert.deepStrictEqual(await ledger.apply('k', claim('a', 1)), owned)
      // A lost race (a second claim, a done from another token) changes nothing.
      assert.deepStrictEqual(await ledger.apply('k', claim('b', 2)), owned)
      assert.deepStrictEqual(await ledger.apply('k', done('b')), owned)
      assert.deepStrictEqual(await ledger.apply('k', done('a')), { ...owned, done: true })
      await ledger.apply('j', claim('c', 3))
      assert.deepStrictEqual([await ledger.all(), await ledger.count()], [[
        { key: 'j', entry: { token: 'c', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 3, done: false } },
        { key: 'k', entry: { ...owned, done: true } }
      ], 2])
      assert.deepStrictEqual(await ledger.apply('k', null), undefined)
      assert.deepStrictEqual(await ledger.apply('gone', null), undefined)
      assert.deepStrictEqual([await ledger.get('k'), await ledger.count()], [undefined, 1])
      await store.close()
    })

    test('ledger apply decides races between two instances on one store: one claim wins each key, for both', async () => {
      const location = await kind.newLocation()
      const [first, second] = [await kind.open(location), await kind.open(location)] as const
      const keys = Array.from({ length: 20 }, (_, index) => `k${index}`)
      const outcomes = await Promise.all(keys.map(async key => await Promise.all([first.ledger.apply(key, claim('a', 1)), second.ledger.apply(key, claim('b', 2))])))
      for (const [index, [fromFirst, fromSecond]] of outcomes.entries()) {
        assert.deepStrictEqual(fromFirst, fromSecond, `both see the same winner of ${keys[index] as string}`)
        assert.deepStrictEqual(await first.ledger.get(keys[index] as string), fromFirst)
      }
      await first.close()
      await second.close()
    })

    test('correlations put stores a record under its key, replacing the one there, and remove deletes it', async () => {
      const store = await kind.open()
      const { correlations } = store
      await correlations.put('smsc:1', { recallId: '1', clientId: 'test', correlId: 'C1', connection: 'smsc' })
      await correlations.put('smsc:1', { recallId: '1', clientId: 'test', correlId: 'C2', connection: 'smsc' })
      await correlations.put('7', { recallId: '7', clientId: 'test', correlId: 'C7' })
      assert.deepStrictEqual([await correlations.get('smsc:1'), await correlations.get('7'), await correlations.get('smsc:7')], [
        { recallId: '1', clientId: 'test', correlId: 'C2', connection: 'smsc' },
        { recallId: '7', clientId: 'test', correlId: 'C7' },
        undefined
      ])
      assert.deepStrictEqual([await correlations.remove('smsc:1'), await correlations.remove('smsc:1'), await correlations.get('smsc:1')], [true, false, undefined])
      await store.close()
    })

    test('prune deletes done requests, statuses and correlations older than the retention, and nothing else', async () => {
      let nowMs = Date.parse('2026-11-01T00:00:00Z')
      const store = await kind.open(undefined, { now: () => nowMs })
      const lease = await consume(store)
      // Old: accepted 8 days before the prune. One done, one still queued.
      await store.requests.enqueue(['old done', 'old queued'])
      await store.requests.markDone(1, lease)
      await store.statuses.append({ clientId: 'test', correlId: 'C1', timestamp: new Date(nowMs), status: 'SENT' })
      await store.correlations.put('smsc:1', { recallId: '1', clientId: 'test', correlId: 'C1', connection: 'smsc' })
      await store.ledger.apply('k', { token: 't', state: ledgerStates.claimed, source: { stream: 'send-sms/0', offset: 1n }, atMs: nowMs })
      await store.inbound.add(inbound('acme', 'old'), duplicateKey(1), MINUTE_MS)
      // Recent: a day before the prune.
      nowMs += 7 * DAY_MS
      await store.requests.enqueue(['new done'])
      await store.statuses.append({ clientId: 'test', correlId: 'C1', timestamp: new Date(nowMs), status: 'DELIVERED' })
      await store.correlations.put('smsc:2', { recallId: '2', clientId: 'test', correlId: 'C2', connection: 'smsc' })
      await store.inbound.add(inbound('acme', 'new'), duplicateKey(2), MINUTE_MS)
      nowMs += DAY_MS

      assert.deepStrictEqual(await store.prune(new Date(nowMs)), { requests: 1, statuses: 1, correlations: 1, inbound: 1 })
      assert.deepStrictEqual(await store.requests.queuedAfter(0, 10), [{ seq: 2, value: 'old queued' }, { seq: 3, value: 'new done' }])
      assert.deepStrictEqual((await store.statuses.history('test', 'C1')).map(event => event.status), ['DELIVERED'])
      assert.deepStrictEqual([await store.correlations.get('smsc:1'), (await store.correlations.get('smsc:2'))?.correlId, await store.ledger.count()], [undefined, 'C2', 1])
      // A second prune at the same time finds nothing more.
      assert.deepStrictEqual((await store.inbound.listAfter('acme', 0, 10)).map(message => message.sealed), ['new'])
      // The old message's duplicate key went with it: the same message again is stored again.
      assert.equal((await store.inbound.add(inbound('acme', 'old'), duplicateKey(1), MINUTE_MS))?.sealed, 'old')
      assert.deepStrictEqual(await store.prune(new Date(nowMs)), { requests: 0, statuses: 0, correlations: 0, inbound: 0 })
      await store.close()
    })

    test('prune deletes more rows than one chunk', async () => {
      const nowMs = Date.parse('2026-11-01T00:00:00Z')
      const store = await kind.open(undefined, { now: () => nowMs })
      const lease = await consume(store)
      const rows = 2 * PRUNE_CHUNK_ROWS + 7
      const seqs = await store.requests.enqueue(Array.from({ length: rows }, (_, index) => `v${index}`))
      await store.requests.markDone(seqs.at(-1) as number, lease)
      assert.deepStrictEqual(await store.prune(new Date(nowMs + DEFAULT_RETENTION_MS + 1)), { requests: rows, statuses: 0, correlations: 0, inbound: 0 })
      await store.close()
    })

    test('inbound add stores a message with the next id, and listAfter pages one owner\'s messages in id order', async () => {
      const store = await kind.open()
      const first = await store.inbound.add(inbound('acme', 's1'), duplicateKey(1), MINUTE_MS)
      await store.inbound.add(inbound('other', 's2'), duplicateKey(2), MINUTE_MS)
      const third = await store.inbound.add({ ...inbound('acme', 's3'), parts: 1, incomplete: true }, duplicateKey(3), MINUTE_MS)
      assert.deepStrictEqual([first, third], [{ id: 1, ...inbound('acme', 's1') }, { id: 3, ...inbound('acme', 's3'), parts: 1, incomplete: true }])
      assert.deepStrictEqual([await store.inbound.listAfter('acme', 0, 1), await store.inbound.listAfter('acme', 1, 10), await store.inbound.listAfter('acme', 3, 10)], [[first], [third], []])
      await store.close()
    })

    test('inbound add stores a message once per duplicate key within the window, and again after it', async () => {
      let nowMs = Date.parse('2026-11-01T00:00:00Z')
      const store = await kind.open(undefined, { now: () => nowMs })
      assert.equal((await store.inbound.add(inbound('acme', 'first'), duplicateKey(7), MINUTE_MS))?.id, 1)
      nowMs += MINUTE_MS - 1
      assert.equal(await store.inbound.add(inbound('acme', 'again'), duplicateKey(7), MINUTE_MS), undefined)
      // Re-deliveries at once, from several callers (two instances on one PostgreSQL): one is stored.
      const racing = await Promise.all(Array.from({ length: 8 }, async () => await store.inbound.add(inbound('acme', 'race'), duplicateKey(8), MINUTE_MS)))
      assert.equal(racing.filter(stored => stored !== undefined).length, 1)
      // A window after the key was first stored, the same key is a new message (a person saying "yes" twice).
      nowMs += MINUTE_MS
      assert.equal((await store.inbound.add(inbound('acme', 'later'), duplicateKey(7), MINUTE_MS))?.sealed, 'later')
      assert.deepStrictEqual((await store.inbound.listAfter('acme', 0, 10)).map(message => message.sealed), ['first', 'race', 'later'])
      await store.close()
    })

    test('inbound add rejects, storing nothing, a field past its bound or a malformed duplicate key', async () => {
      const store = await kind.open()
      const refused: Array<[InboundRecord, string]> = [
        [inbound('a'.repeat(MAX_INBOUND_NAME_BYTES + 1), 's'), duplicateKey(1)],
        [{ ...inbound('acme', 's'), connection: 'é'.repeat(MAX_INBOUND_NAME_BYTES / 2 + 1) }, duplicateKey(1)],
        [inbound('acme', 'x'.repeat(MAX_INBOUND_SEALED_BYTES + 1)), duplicateKey(1)],
        [{ ...inbound('acme', 's'), parts: 256 }, duplicateKey(1)],
        [inbound('acme', 's'), 'not hex']
      ]
      for (const [record, key] of refused) await assert.rejects(async () => await store.inbound.add(record, key, MINUTE_MS), RangeError)
      assert.deepStrictEqual(await store.inbound.listAfter('acme', 0, 10), [])
      await store.close()
    })

    test('a reopened store holds the inbound SMS and duplicate keys committed', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      await store.inbound.add(inbound('acme', 'kept'), duplicateKey(1), MINUTE_MS)
      await store.close()
      const reopened = await kind.open(location)
      assert.equal(await reopened.inbound.add(inbound('acme', 'kept'), duplicateKey(1), MINUTE_MS), undefined)
      assert.deepStrictEqual(await reopened.inbound.listAfter('acme', 0, 10), [{ id: 1, ...inbound('acme', 'kept') }])
      await reopened.close()
    })

    test('reachable is true while open and false once closed', async () => {
      const store = await kind.open()
      assert.equal(await store.reachable(), true)
      await store.close()
      assert.equal(await store.reachable(), false)
    })
  })
}
