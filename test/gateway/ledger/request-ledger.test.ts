import assert from 'node:assert/strict'
import { afterEach, beforeEach, mock, test } from 'node:test'
import fc from 'fast-check'
import type { LedgerLog } from '../../../src/gateway/ledger/ledger-log.ts'
import { ledgerKey, ledgerStates, type LedgerEntry, type LedgerRecord, type LedgerSource } from '../../../src/domain/ledger-record.ts'
import { MemoryLedgerLog } from '../../../src/gateway/ledger/memory-ledger-log.ts'
import { RequestLedger, type ClaimVerdict, type OwnedClaim } from '../../../src/gateway/ledger/request-ledger.ts'

const TAKEOVER_MS = 30_000
const KEY = ledgerKey('acme', 'C1')

/** Lets every pending promise reaction and I/O callback run (setImmediate is not mocked here). */
const settle = async (): Promise<void> => {
  for (let round = 0; round < 5; round++) await new Promise(resolve => setImmediate(resolve))
}

/** A promise's state without waiting for it. */
function track<T> (promise: Promise<T>): { readonly settled: boolean, readonly value: T | undefined, readonly error: unknown } {
  const state: { settled: boolean, value: T | undefined, error: unknown } = { settled: false, value: undefined, error: undefined }
  promise.then(value => { state.settled = true; state.value = value }, (error: unknown) => { state.settled = true; state.error = error })
  return state
}

/**
 * Lets the claims started just before read their view (`entry` is awaited, one microtask for a
 * view that answers at once) and append, without letting any read its claim back.
 */
async function readsDone (): Promise<void> {
  await Promise.resolve()
}

const ownedBy = (verdict: ClaimVerdict | undefined): string => claimOf(verdict).token

const claimOf = (verdict: ClaimVerdict | undefined): OwnedClaim => {
  assert.equal(verdict?.kind, 'owned')
  return (verdict as { claim: OwnedClaim }).claim
}

/** Claims KEY and marks it `writing`, as the pipeline does once its first bytes may leave. */
async function claimAndMark (ledger: RequestLedger, source: LedgerSource): Promise<string> {
  const claim = claimOf(await ledger.claim(KEY, source))
  await ledger.markWriting(KEY, claim, source)
  return claim.token
}

beforeEach(() => { mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }) })
afterEach(() => { mock.timers.reset() })

test('RequestLedger claim owns a free key and records the claim', async () => {
  const log = new MemoryLedgerLog()
  const ledger = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  const token = ownedBy(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 7n }))
  assert.deepStrictEqual(log.entry(KEY), { token, source: { stream: 'send-sms/0', offset: 7n }, claimedAtMs: 1_000_000, done: false, marksWrites: true })
})

test('RequestLedger claim gives each attempt its own token', async () => {
  const ledger = new RequestLedger(new MemoryLedgerLog(), { takeoverMs: TAKEOVER_MS })
  const first = ownedBy(await ledger.claim(ledgerKey('acme', 'C1'), { stream: 's', offset: 0n }))
  const second = ownedBy(await ledger.claim(ledgerKey('acme', 'C2'), { stream: 's', offset: 1n }))
  assert.notEqual(first, second)
})

test('RequestLedger claim says completed when the request was completed, from any source', async () => {
  const log = new MemoryLedgerLog()
  const ledger = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  const token = ownedBy(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 7n }))
  await ledger.complete(KEY, token, { stream: 'send-sms/0', offset: 7n })
  assert.deepStrictEqual(await ledger.claim(KEY, { stream: 'send-sms/1', offset: 3n }), { kind: 'completed' })
  // Even long after: a completed request is never abandoned.
  mock.timers.tick(10 * TAKEOVER_MS)
  assert.deepStrictEqual(await ledger.claim(KEY, { stream: 'send-sms/1', offset: 3n }), { kind: 'completed' })
  assert.deepStrictEqual(log.entry(KEY), { token, source: { stream: 'send-sms/0', offset: 7n }, claimedAtMs: 1_000_000, done: true, marksWrites: true })
})

test('RequestLedger claim lets exactly one of two concurrent claims own the key; the other waits and then says completed', async () => {
  const ledger = new RequestLedger(new MemoryLedgerLog(), { takeoverMs: TAKEOVER_MS })
  const first = track(ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  const second = track(ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }))
  await settle()
  assert.equal(first.settled, true)
  const token = ownedBy(first.value)
  assert.equal(second.settled, false)
  mock.timers.tick(TAKEOVER_MS - 1)
  await settle()
  assert.equal(second.settled, false)
  await ledger.complete(KEY, token, { stream: 'send-sms/0', offset: 1n })
  await settle()
  assert.deepStrictEqual(second.value, { kind: 'completed' })
})

test('RequestLedger claim says abandoned, and appends nothing, when the claim is older than takeoverMs, marked writing and unfinished', async () => {
  const log = new MemoryLedgerLog()
  const ledger = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  const token = await claimAndMark(ledger, { stream: 'send-sms/0', offset: 1n })
  mock.timers.tick(TAKEOVER_MS)
  const append = mock.method(log, 'append')
  assert.deepStrictEqual(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }), { kind: 'abandoned' })
  // Saying so changes nothing: the old claim stands, and later attempts say the same.
  mock.timers.tick(10 * TAKEOVER_MS)
  assert.deepStrictEqual(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 3n }), { kind: 'abandoned' })
  assert.equal(append.mock.callCount(), 0)
  assert.deepStrictEqual(log.entry(KEY), { token, source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 1_000_000, done: false, marksWrites: true, writingAtMs: 1_000_000 })
})

test('RequestLedger claim says completed once the owner of an abandoned claim completes it late', async () => {
  const ledger = new RequestLedger(new MemoryLedgerLog(), { takeoverMs: TAKEOVER_MS })
  const token = await claimAndMark(ledger, { stream: 'send-sms/0', offset: 1n })
  mock.timers.tick(TAKEOVER_MS)
  assert.deepStrictEqual(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }), { kind: 'abandoned' })
  await ledger.complete(KEY, token, { stream: 'send-sms/0', offset: 1n })
  assert.deepStrictEqual(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }), { kind: 'completed' })
})

test('RequestLedger claim waits for a live claim marked writing and says abandoned when it reaches takeoverMs', async () => {
  const ledger = new RequestLedger(new MemoryLedgerLog(), { takeoverMs: TAKEOVER_MS })
  await claimAndMark(ledger, { stream: 'send-sms/0', offset: 1n })
  mock.timers.tick(1_000)
  const waiting = track(ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }))
  mock.timers.tick(TAKEOVER_MS - 1_000 - 1)
  await settle()
  assert.equal(waiting.settled, false)
  mock.timers.tick(1)
  await settle()
  assert.deepStrictEqual(waiting.value, { kind: 'abandoned' })
})

test('RequestLedger forget frees the key for a new claim', async () => {
  const log = new MemoryLedgerLog()
  const ledger = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  const first = ownedBy(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  await ledger.complete(KEY, first, { stream: 'send-sms/0', offset: 1n })
  await ledger.forget(KEY)
  assert.equal(log.entry(KEY), undefined)
  assert.equal(log.size, 0)
  const second = ownedBy(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }))
  assert.notEqual(second, first)
})

test('RequestLedger forget appends nothing when the key is free', async () => {
  const log = new MemoryLedgerLog()
  const append = mock.method(log, 'append')
  await new RequestLedger(log, { takeoverMs: TAKEOVER_MS }).forget(KEY)
  assert.equal(append.mock.callCount(), 0)
})

test('RequestLedger forget wakes a waiting claim, which then owns the key', async () => {
  const ledger = new RequestLedger(new MemoryLedgerLog(), { takeoverMs: TAKEOVER_MS })
  const first = ownedBy(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  const waiting = track(ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }))
  await settle()
  assert.equal(waiting.settled, false)
  await ledger.forget(KEY)
  await settle()
  assert.notEqual(ownedBy(waiting.value), first)
})

test('RequestLedger claim rejects with the abort reason when the signal aborts while it waits', async () => {
  const log = new MemoryLedgerLog()
  const ledger = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  ownedBy(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  let watching = 0
  const watch = log.watch.bind(log)
  mock.method(log, 'watch', (key: string, listener: () => void) => {
    const stop = watch(key, listener)
    watching++
    return () => { watching--; stop() }
  })
  const controller = new AbortController()
  const waiting = track(ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }, { signal: controller.signal }))
  await settle()
  assert.deepStrictEqual({ settled: waiting.settled, watching }, { settled: false, watching: 1 })
  const reason = new Error('shutting down')
  controller.abort(reason)
  await settle()
  assert.deepStrictEqual({ error: waiting.error, watching }, { error: reason, watching: 0 })
})

test('RequestLedger claim rejects at once and appends nothing when the signal is already aborted', async () => {
  const log = new MemoryLedgerLog()
  const append = mock.method(log, 'append')
  const ledger = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  await assert.rejects(ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n }, { signal: AbortSignal.abort() }), { name: 'AbortError' })
  assert.equal(append.mock.callCount(), 0)
})

/**
 * The log several gateway instances share, as the claims topic: every instance has its own view,
 * and every record reaches every view in the one log order, some time after it was appended.
 * `deliver` plays the broker; by default it runs on the next turn of the event loop.
 */
interface Appended { key: string, record: LedgerRecord | null, applied: () => void }

class SharedLog {
  readonly #views: MemoryLedgerLog[] = []
  readonly #pending: Appended[] = []
  readonly #auto: boolean

  constructor (options: { auto: boolean }) {
    this.#auto = options.auto
  }

  /** A new instance's LedgerLog onto this shared log. */
  instance (): LedgerLog {
    const view = new MemoryLedgerLog()
    this.#views.push(view)
    return {
      // Durable once in the shared log; with readBack, once this instance's view applied it.
      append: async (key, record, options) => {
        await new Promise<void>(resolve => {
          this.#pending.push({ key, record, applied: options?.readBack === true ? resolve : () => {} })
          if (options?.readBack !== true) resolve()
          if (this.#auto) setImmediate(() => this.deliver())
        })
      },
      entry: (key: string): LedgerEntry | undefined => view.entry(key),
      entries: () => view.entries(),
      watch: (key, listener) => view.watch(key, listener)
    }
  }

  get pending (): number {
    return this.#pending.length
  }

  /** Puts the pending records in the log in the order given (default: as appended) and applies them everywhere. */
  deliver (order: readonly number[] = this.#pending.map((_, index) => index)): void {
    const batch = order.map(index => this.#pending[index] as Appended)
    this.#pending.splice(0)
    for (const { key, record } of batch) for (const view of this.#views) view.apply(key, record)
    for (const { applied } of batch) applied()
  }
}

test('RequestLedger lets one of two instances sharing a log own a key when both claim it at once', async () => {
  const shared = new SharedLog({ auto: true })
  const a = new RequestLedger(shared.instance(), { takeoverMs: TAKEOVER_MS })
  const b = new RequestLedger(shared.instance(), { takeoverMs: TAKEOVER_MS })
  const claimA = track(a.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  const claimB = track(b.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  await readsDone()
  // Both saw a free key and appended a claim before either was read back.
  assert.equal(shared.pending, 2)
  await settle()
  const token = ownedBy(claimA.value)
  assert.equal(claimB.settled, false)
  await a.complete(KEY, token, { stream: 'send-sms/0', offset: 1n })
  await settle()
  assert.deepStrictEqual(claimB.value, { kind: 'completed' })
})

test('RequestLedger lets the instance whose claim the log puts first own the key, whoever appended first', async () => {
  const shared = new SharedLog({ auto: false })
  const a = new RequestLedger(shared.instance(), { takeoverMs: TAKEOVER_MS })
  const b = new RequestLedger(shared.instance(), { takeoverMs: TAKEOVER_MS })
  const claimA = track(a.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  const claimB = track(b.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  await readsDone()
  shared.deliver([1, 0])
  await settle()
  const token = ownedBy(claimB.value)
  assert.equal(claimA.settled, false)
  const completing = b.complete(KEY, token, { stream: 'send-sms/0', offset: 1n })
  shared.deliver()
  await completing
  await settle()
  assert.deepStrictEqual(claimA.value, { kind: 'completed' })
})

test('RequestLedger lets every instance sharing a log say abandoned for the claim a crashed instance marked writing, and none take it', async () => {
  const shared = new SharedLog({ auto: true })
  const crashed = new RequestLedger(shared.instance(), { takeoverMs: TAKEOVER_MS })
  const a = new RequestLedger(shared.instance(), { takeoverMs: TAKEOVER_MS })
  const b = new RequestLedger(shared.instance(), { takeoverMs: TAKEOVER_MS })
  const old = await claimAndMark(crashed, { stream: 'send-sms/0', offset: 1n })
  const claimA = track(a.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  const claimB = track(b.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  await settle()
  assert.deepStrictEqual([claimA.settled, claimB.settled], [false, false])
  mock.timers.tick(TAKEOVER_MS)
  await settle()
  assert.deepStrictEqual([claimA.value, claimB.value, shared.pending], [{ kind: 'abandoned' }, { kind: 'abandoned' }, 0])
  // The crashed instance comes back and finishes late: its done still counts, everywhere.
  await crashed.complete(KEY, old, { stream: 'send-sms/0', offset: 1n })
  await settle()
  assert.deepStrictEqual([await a.claim(KEY, { stream: 'send-sms/0', offset: 1n }), await b.claim(KEY, { stream: 'send-sms/0', offset: 1n })], [{ kind: 'completed' }, { kind: 'completed' }])
})

test('RequestLedger lets exactly one of many instances own a key, in any log order', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 2, max: 6 }).chain(count => fc.tuple(fc.constant(count), fc.shuffledSubarray([...Array(count).keys()], { minLength: count }))), async ([count, order]) => {
    const shared = new SharedLog({ auto: false })
    const ledgers = Array.from({ length: count }, () => new RequestLedger(shared.instance(), { takeoverMs: 3_600_000 }))
    const claims = ledgers.map(ledger => track(ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n })))
    await readsDone()
    shared.deliver(order)
    await settle()
    const winner = order[0] as number
    assert.deepStrictEqual(claims.map(claim => claim.settled), ledgers.map((_, index) => index === winner))
    const completing = (ledgers[winner] as RequestLedger).complete(KEY, ownedBy(claims[winner]?.value), { stream: 'send-sms/0', offset: 1n })
    shared.deliver()
    await completing
    await settle()
    assert.deepStrictEqual(claims.map(claim => claim.value?.kind), ledgers.map((_, index) => index === winner ? 'owned' : 'completed'))
  }), { numRuns: 50 })
})

test('RequestLedger claim keeps waiting when a done comes from a token that does not own the key', async () => {
  const log = new MemoryLedgerLog()
  const ledger = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  const token = ownedBy(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  await log.append(KEY, { token: 'stranger/1', state: ledgerStates.done, source: { stream: 'x', offset: 0n }, atMs: 0 })
  const waiting = track(ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }))
  await settle()
  assert.equal(waiting.settled, false)
  await ledger.complete(KEY, token, { stream: 'send-sms/0', offset: 1n })
  await settle()
  assert.deepStrictEqual(waiting.value, { kind: 'completed' })
})

// Recovery by the `writing` mark (issue 9, item 9): a claim whose owner never marked a write
// never reached the SMSC, so a successor sends it; only marked ones are unknown outcomes.

test('RequestLedger claim takes over a claim older than takeoverMs that never marked a write, and owns it from now', async () => {
  const log = new MemoryLedgerLog()
  const crashed = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  const successor = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  ownedBy(await crashed.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  mock.timers.tick(TAKEOVER_MS)
  const verdict = await successor.claim(KEY, { stream: 'send-sms/0', offset: 9n })
  assert.equal(verdict.kind === 'owned' && verdict.tookOver, true)
  assert.deepStrictEqual(log.entry(KEY), { token: ownedBy(verdict), source: { stream: 'send-sms/0', offset: 9n }, claimedAtMs: 1_000_000 + TAKEOVER_MS, done: false, marksWrites: true })
})

test('RequestLedger claim waits for a live unmarked claim, then takes it over when it reaches takeoverMs', async () => {
  const ledger = new RequestLedger(new MemoryLedgerLog(), { takeoverMs: TAKEOVER_MS })
  const first = ownedBy(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  const waiting = track(ledger.claim(KEY, { stream: 'send-sms/0', offset: 2n }))
  mock.timers.tick(TAKEOVER_MS - 1)
  await settle()
  assert.equal(waiting.settled, false)
  mock.timers.tick(1)
  await settle()
  assert.notEqual(ownedBy(waiting.value), first)
})

test('RequestLedger markWriting rejects with SMSGW_LEDGER_FENCED, and marks nothing, once a successor took the claim over', async () => {
  const log = new MemoryLedgerLog()
  const slow = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  const successor = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  const claim = claimOf(await slow.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  mock.timers.tick(TAKEOVER_MS)
  const taken = claimOf(await successor.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  await assert.rejects(slow.markWriting(KEY, claim, { stream: 'send-sms/0', offset: 1n }), { code: 'SMSGW_LEDGER_FENCED' })
  await successor.markWriting(KEY, taken, { stream: 'send-sms/0', offset: 1n })
  assert.deepStrictEqual(log.entry(KEY), { token: taken.token, source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: taken.atMs, done: false, marksWrites: true, writingAtMs: taken.atMs })
})

test('RequestLedger claim says abandoned for an unfinished claim of an earlier version, which did not mark its writes', async () => {
  const log = new MemoryLedgerLog()
  await log.append(KEY, { token: 'old/1', state: ledgerStates.claimed, source: { stream: 'send-sms/0', offset: 1n }, atMs: 1_000_000 })
  mock.timers.tick(TAKEOVER_MS)
  assert.deepStrictEqual(await new RequestLedger(log, { takeoverMs: TAKEOVER_MS }).claim(KEY, { stream: 'send-sms/0', offset: 1n }), { kind: 'abandoned' })
})

test('RequestLedger markWriting appends one record without reading it back while the claim is young, and reads it back when late', async () => {
  const log = new MemoryLedgerLog()
  const ledger = new RequestLedger(log, { takeoverMs: TAKEOVER_MS })
  const append = mock.method(log, 'append')
  const young = claimOf(await ledger.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
  append.mock.resetCalls()
  await ledger.markWriting(KEY, young, { stream: 'send-sms/0', offset: 1n })
  assert.deepStrictEqual(append.mock.calls.map(call => [call.arguments[1]?.state, (call.arguments as unknown[])[2]]), [['writing', undefined]])

  const lateKey = ledgerKey('acme', 'C2')
  const late = claimOf(await ledger.claim(lateKey, { stream: 'send-sms/0', offset: 2n }))
  mock.timers.tick(TAKEOVER_MS / 2)
  append.mock.resetCalls()
  await ledger.markWriting(lateKey, late, { stream: 'send-sms/0', offset: 2n })
  assert.deepStrictEqual(append.mock.calls.map(call => [call.arguments[1]?.state, (call.arguments as unknown[])[2]]), [['writing', { readBack: true }]])
  assert.equal(log.entry(lateKey)?.writingAtMs, 1_000_000 + TAKEOVER_MS / 2)
})

test('RequestLedger lets exactly one of a stuck owner\'s late mark and a successor\'s takeover win, in either log order', async () => {
  for (const order of [[0, 1], [1, 0]]) {
    const shared = new SharedLog({ auto: false })
    const stuck = new RequestLedger(shared.instance(), { takeoverMs: TAKEOVER_MS })
    const successor = new RequestLedger(shared.instance(), { takeoverMs: TAKEOVER_MS })
    const claiming = stuck.claim(KEY, { stream: 'send-sms/0', offset: 1n })
    await readsDone()
    shared.deliver()
    const claim = claimOf(await claiming)
    mock.timers.tick(TAKEOVER_MS)
    const marking = track(stuck.markWriting(KEY, claim, { stream: 'send-sms/0', offset: 1n }))
    const taking = track(successor.claim(KEY, { stream: 'send-sms/0', offset: 1n }))
    await readsDone()
    assert.equal(shared.pending, 2)
    shared.deliver(order)
    await settle()
    const markWon = order[0] === 0
    assert.deepStrictEqual(
      { marked: marking.settled && marking.error === undefined, fenced: (marking.error as { code?: string } | undefined)?.code, successor: taking.value?.kind },
      markWon ? { marked: true, fenced: undefined, successor: 'abandoned' } : { marked: false, fenced: 'SMSGW_LEDGER_FENCED', successor: 'owned' }
    )
  }
})
