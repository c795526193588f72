import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ledgerKey, ledgerStates, type LedgerEntry, type LedgerRecord } from '../../../src/domain/ledger-record.ts'
import { RequestLedger, type ClaimVerdict, type OwnedClaim } from '../../../src/gateway/ledger/request-ledger.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { StoreLedgerLog } from '../../../src/transport/embedded/store-ledger-log.ts'
import { storeKinds, type StoreKind } from '../../store/store-kinds.ts'
import { ledgerLogContract } from '../../gateway/ledger/ledger-log-contract.ts'

// The ledger log contract (test/gateway/ledger/ledger-log-contract.ts) that MemoryLedgerLog
// keeps too, then what a durable log adds, on every kind of store.

const kinds = await storeKinds('store-ledger')
const KEY = ledgerKey('acme', 'C1')
const claim = (token: string, atMs: number): LedgerRecord => ({ token, state: ledgerStates.claimed, source: { stream: 'send-sms/0', offset: 1n }, atMs })

async function openLog (kind: StoreKind, location?: string): Promise<{ store: EmbeddedStore, log: StoreLedgerLog }> {
  const store = await kind.open(location)
  return { store, log: new StoreLedgerLog(store.ledger) }
}

const claimOf = (verdict: ClaimVerdict | undefined): OwnedClaim => {
  assert.equal(verdict?.kind, 'owned')
  return (verdict as { claim: OwnedClaim }).claim
}
const ownedBy = (verdict: ClaimVerdict | undefined): string => claimOf(verdict).token

for (const kind of kinds) {
  describe(`StoreLedgerLog on a ${kind.name} store`, () => {
    ledgerLogContract(async () => {
      const { store, log } = await openLog(kind)
      return { log, size: async () => await log.size(), close: async () => { await store.close() } }
    })

    test('forgetSettled forgets the entries it is told to, tells their watchers, and keeps the others', async () => {
      const { store, log } = await openLog(kind)
      await log.append('k1', claim('a', 1))
      await log.append('k2', claim('b', 2))
      await log.append('k3', claim('c', 3))
      const calls: string[] = []
      log.watch('k2', () => calls.push('k2 forgotten'))
      assert.equal(await log.forgetSettled(async (entry: LedgerEntry) => entry.token !== 'a'), 2)
      assert.deepStrictEqual([(await log.entry('k1'))?.token, await log.entry('k2'), await log.entry('k3'), calls], ['a', undefined, undefined, ['k2 forgotten']])
      await store.close()
    })

    test('keeps its entries across a reopen', async () => {
      const location = await kind.newLocation()
      const first = await openLog(kind, location)
      await first.log.append('k1', claim('a', 1))
      await first.store.close()
      const second = await openLog(kind, location)
      assert.deepStrictEqual(await second.log.entry('k1'), { token: 'a', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 1, done: false })
      await second.store.close()
    })

    test('under RequestLedger lets exactly one of concurrent claims own a key; the others wait and then say completed', async () => {
      const { store, log } = await openLog(kind)
      const ledger = new RequestLedger(log, { takeoverMs: 60_000 })
      const claims = [ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n }), ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }), ledger.claim(KEY, { stream: 'send-sms/0', offset: 3n })]
      const settled = await Promise.race(claims.map(async (verdict, index) => ({ index, verdict: await verdict })))
      await ledger.complete(KEY, ownedBy(settled.verdict), { stream: 'send-sms/0', offset: BigInt(settled.index + 1) })
      const others = claims.filter((_, index) => index !== settled.index)
      assert.deepStrictEqual(await Promise.all(others), [{ kind: 'completed' }, { kind: 'completed' }])
      await store.close()
    })

    test('under RequestLedger lets one of two instances on one store own a key; the other learns the outcome by its timeout', async () => {
      const location = await kind.newLocation()
      const one = await openLog(kind, location)
      const two = await openLog(kind, location)
      const ledgers = [new RequestLedger(one.log, { takeoverMs: 200 }), new RequestLedger(two.log, { takeoverMs: 200 })]
      const verdicts = ledgers.map(async (ledger, index) => await ledger.claim(KEY, { stream: 'send-sms/0', offset: BigInt(index) }))
      const winner = await Promise.race(verdicts.map(async (verdict, index) => ({ index, verdict: await verdict })))
      await (ledgers[winner.index] as RequestLedger).complete(KEY, ownedBy(winner.verdict), { stream: 'send-sms/0', offset: BigInt(winner.index) })
      const loser = await (verdicts[1 - winner.index] as Promise<ClaimVerdict>)
      assert.deepStrictEqual(loser, { kind: 'completed' })
      await one.store.close()
      await two.store.close()
    })

    test('under RequestLedger says, after a restart, completed for a completed claim, abandoned for one marked writing, and takes over one never marked', async () => {
      const location = await kind.newLocation()
      const before = await openLog(kind, location)
      let nowMs = 1_000_000
      const crashed = new RequestLedger(before.log, { takeoverMs: 30_000, now: () => nowMs })
      const done = ownedBy(await crashed.claim(ledgerKey('acme', 'done'), { stream: 'send-sms/0', offset: 1n }))
      await crashed.complete(ledgerKey('acme', 'done'), done, { stream: 'send-sms/0', offset: 1n })
      const unfinished = claimOf(await crashed.claim(ledgerKey('acme', 'unfinished'), { stream: 'send-sms/0', offset: 2n }))
      await crashed.markWriting(ledgerKey('acme', 'unfinished'), unfinished, { stream: 'send-sms/0', offset: 2n })
      const unwritten = claimOf(await crashed.claim(ledgerKey('acme', 'unwritten'), { stream: 'send-sms/0', offset: 4n }))
      await before.store.close()

      nowMs += 30_000
      const after = await openLog(kind, location)
      const restarted = new RequestLedger(after.log, { takeoverMs: 30_000, now: () => nowMs })
      assert.deepStrictEqual(await restarted.claim(ledgerKey('acme', 'done'), { stream: 'send-sms/0', offset: 1n }), { kind: 'completed' })
      assert.deepStrictEqual(await restarted.claim(ledgerKey('acme', 'unfinished'), { stream: 'send-sms/0', offset: 2n }), { kind: 'abandoned' })
      const taken = await restarted.claim(ledgerKey('acme', 'unwritten'), { stream: 'send-sms/0', offset: 4n })
      assert.equal(taken.kind === 'owned' && taken.tookOver, true)
      // The crashed owner's mark, had it been alive after all, would now lose.
      await assert.rejects(restarted.markWriting(ledgerKey('acme', 'unwritten'), unwritten, { stream: 'send-sms/0', offset: 4n }), { code: 'SMSGW_LEDGER_FENCED' })
      assert.equal((await after.log.entry(ledgerKey('acme', 'unwritten')))?.token, ownedBy(taken))
      await restarted.forget(ledgerKey('acme', 'unfinished'))
      ownedBy(await restarted.claim(ledgerKey('acme', 'unfinished'), { stream: 'send-sms/0', offset: 3n }))
      await after.store.close()
    })
  })
}
