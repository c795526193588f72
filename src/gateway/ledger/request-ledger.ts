import { randomUUID } from 'node:crypto'
import { errorCodes, SmsgwError } from '../../errors.ts'
import { isPastTakeover, type ClaimTakeoverOptions } from './claim-takeover.ts'
import type { LedgerLog } from './ledger-log.ts'
import { isUnwrittenClaim, ledgerStates, type LedgerEntry, type LedgerSource } from '../../domain/ledger-record.ts'

/**
 * What the ledger says about handing a request to a backend:
 * - `owned`: this attempt owns it; hand it over (calling `markWriting` just before its first
 *   bytes may leave), then call `complete`. `tookOver` when it replaced an abandoned claim
 *   whose owner never marked a write: that request never left, and is sent now.
 * - `completed`: an earlier attempt produced all its statuses; do nothing again.
 * - `abandoned`: an earlier attempt claimed it, marked it `writing` (or, of an earlier version,
 *   did not mark its writes) and has not finished within `takeoverMs`: it may have reached the
 *   backend, so report no status (spec §7: unknown outcome). The entry stays, listed as an
 *   unknown outcome, until an operator resolves it (or its owner completes it late).
 */
export type ClaimVerdict =
  | { kind: 'owned', claim: OwnedClaim, tookOver: boolean }
  | { kind: 'completed' }
  | { kind: 'abandoned' }

/** The claim an attempt owns: its token and when it was written (the writer's clock). */
export interface OwnedClaim {
  readonly token: string
  readonly atMs: number
}

/** A claim older than `takeoverMs` with no `done` is abandoned; until then, a second claim waits for it. */
export type RequestLedgerOptions = ClaimTakeoverOptions

/** The claim protocol over a LedgerLog: compare-and-set by log order. */
export class RequestLedger {
  readonly #log: LedgerLog
  readonly #takeoverMs: number
  readonly #now: () => number
  readonly #instance = randomUUID()
  #attempts = 0

  constructor (log: LedgerLog, options: RequestLedgerOptions) {
    this.#log = log
    this.#takeoverMs = options.takeoverMs
    this.#now = options.now ?? Date.now
  }

  /**
   * Claims a request. Owns it only if the key is free and this attempt's claim comes first in
   * the log. Waits while another live attempt holds it (a duplicate in flight, or the previous
   * owner of a rebalanced partition), until it completes, is forgotten or is abandoned.
   * Rejects with the signal's reason when `signal` aborts while it waits. `beforeClaim` runs
   * each time the key looks free, before the claim is appended, and `beforeWait` each time it
   * starts waiting for another attempt: the pipeline takes a hand-over slot in the first and
   * gives it back in the second, so that a request waiting for another attempt holds none.
   */
  async claim (key: string, source: LedgerSource, options: { signal?: AbortSignal, beforeClaim?: () => Promise<void>, beforeWait?: () => void } = {}): Promise<ClaimVerdict> {
    for (;;) {
      options.signal?.throwIfAborted()
      const entry = await this.#log.entry(key)
      if (entry !== undefined && entry.done) return { kind: 'completed' }
      const abandoned = entry !== undefined && this.#isAbandoned(entry)
      if (abandoned && !isUnwrittenClaim(entry)) return { kind: 'abandoned' }
      if (entry === undefined || abandoned) {
        await options.beforeClaim?.()
        const claim = { token: `${this.#instance}/${++this.#attempts}`, atMs: this.#now() }
        // An abandoned claim that never marked a write is replaced, not joined: `taken-over`
        // wins only while that claim still owns the key unmarked, so if its owner is alive after
        // all, exactly one of its `writing` and our `taken-over` counts (the log's order).
        const record = entry === undefined
          ? { token: claim.token, state: ledgerStates.claimed, source, atMs: claim.atMs, marksWrites: true }
          : { token: claim.token, state: ledgerStates.takenOver, source, atMs: claim.atMs, supersedes: entry.token }
        await this.#log.append(key, record, { readBack: true })
        const after = await this.#log.entry(key)
        if (after?.token === claim.token) return { kind: 'owned', claim, tookOver: entry !== undefined }
        // No entry after our claim: a tombstone came after it, or the log refused it, and either
        // means the request was finished and committed meanwhile by another attempt (a stale
        // one must not claim the freed key and hand the request over a second time).
        if (after === undefined) return { kind: 'completed' }
        continue
      }
      options.beforeWait?.()
      await this.#changeOrTimeout(key, entry, options.signal)
    }
  }

  /**
   * Marks an owned request `writing`: called just before its first bytes may be written to the
   * backend's connection, and resolves once that is durable and still ours. From then on a
   * successor treats the request as possibly sent (unknown outcome) instead of sending it.
   *
   * The fence against a successor taking the claim over meanwhile is the log's order, read
   * back. The read-back (a second round trip on Kafka) is skipped while the claim is younger
   * than half of `takeoverMs` when the mark is durable: no successor takes over a claim before
   * it is `takeoverMs` old, so with clocks that agree within half of it, a takeover comes after
   * our mark in the log, and loses.
   * @throws SmsgwError SMSGW_LEDGER_FENCED when another attempt took the request over: write
   * nothing. Rejects with the log's error when the mark cannot be made durable.
   */
  async markWriting (key: string, claim: OwnedClaim, source: LedgerSource): Promise<void> {
    const record = { token: claim.token, state: ledgerStates.writing, source, atMs: this.#now() }
    if (this.#now() - claim.atMs < this.#takeoverMs / 4) {
      await this.#log.append(key, record)
      if (this.#now() - claim.atMs < this.#takeoverMs / 2) return
    }
    // Late (the request waited long for its window slot): read the mark back. Appending it
    // again is harmless: a second `writing` from the owner changes nothing.
    await this.#log.append(key, record, { readBack: true })
    const after = await this.#log.entry(key)
    if (after?.token !== claim.token || after.writingAtMs === undefined) {
      throw new SmsgwError(errorCodes.ledgerFenced, 'another attempt took the request over before it was written')
    }
  }

  /** Marks an owned request as finished: all its statuses are out. */
  async complete (key: string, token: string, source: LedgerSource): Promise<void> {
    await this.#log.append(key, { token, state: ledgerStates.done, source, atMs: this.#now() })
  }

  /**
   * Forgets a request once its offset is committed: it can no longer be redelivered. Also how
   * an operator resolves an unknown outcome after reconciling it with the SMSC.
   */
  async forget (key: string): Promise<void> {
    if (await this.#log.entry(key) !== undefined) await this.#log.append(key, null)
  }

  #isAbandoned (entry: LedgerEntry): boolean {
    return isPastTakeover(entry, this.#now(), this.#takeoverMs)
  }

  async #changeOrTimeout (key: string, entry: LedgerEntry, signal: AbortSignal | undefined): Promise<void> {
    const waitMs = Math.max(1, entry.claimedAtMs + this.#takeoverMs - this.#now())
    await new Promise<void>(resolve => {
      const timer = setTimeout(finish, waitMs)
      const stopWatching = this.#log.watch(key, finish)
      signal?.addEventListener('abort', finish, { once: true })
      function finish (): void {
        clearTimeout(timer)
        stopWatching()
        signal?.removeEventListener('abort', finish)
        resolve()
      }
    })
  }
}
