import { randomUUID } from 'node:crypto'
import type { LedgerLog } from './ledger-log.ts'
import { ledgerStates, type LedgerEntry } from './ledger-record.ts'

/**
 * What the ledger says about handing a request to a backend:
 * - `owned`: this attempt owns it; hand it over, then call `complete`.
 * - `completed`: an earlier attempt produced all its statuses; do nothing again.
 * - `abandoned`: an earlier attempt claimed it and has not finished within `takeoverMs`, so it
 *   may have reached the backend: report no status (spec §7: unknown outcome). The claim is
 *   never taken over; it stays until the request is forgotten (or its owner completes it late).
 */
export type ClaimVerdict =
  | { kind: 'owned', token: string }
  | { kind: 'completed' }
  | { kind: 'abandoned' }

export interface RequestLedgerOptions {
  /**
   * A claim older than this with no `done` is taken to be abandoned by a dead instance
   * (config `pipeline.claimTakeoverMs`). Until then, a second claim waits for it.
   */
  takeoverMs: number
  now?: () => number
}

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
  async claim (key: string, source: string, options: { signal?: AbortSignal, beforeClaim?: () => Promise<void>, beforeWait?: () => void } = {}): Promise<ClaimVerdict> {
    for (;;) {
      options.signal?.throwIfAborted()
      const entry = await this.#log.entry(key)
      if (entry === undefined) {
        await options.beforeClaim?.()
        const token = `${this.#instance}/${++this.#attempts}`
        await this.#log.append(key, { token, state: ledgerStates.claimed, source, atMs: this.#now() }, { readBack: true })
        const after = await this.#log.entry(key)
        if (after?.token === token) return { kind: 'owned', token }
        // No entry after our claim: a tombstone came after it, or the log refused it, and either
        // means the request was finished and committed meanwhile by another attempt (a stale
        // one must not claim the freed key and hand the request over a second time).
        if (after === undefined) return { kind: 'completed' }
        continue
      }
      if (entry.done) return { kind: 'completed' }
      if (this.#isAbandoned(entry)) return { kind: 'abandoned' }
      options.beforeWait?.()
      await this.#changeOrTimeout(key, entry, options.signal)
    }
  }

  /** Marks an owned request as finished: all its statuses are out. */
  async complete (key: string, token: string, source: string): Promise<void> {
    await this.#log.append(key, { token, state: ledgerStates.done, source, atMs: this.#now() })
  }

  /** Forgets a request once its offset is committed: it can no longer be redelivered. */
  async forget (key: string): Promise<void> {
    if (await this.#log.entry(key) !== undefined) await this.#log.append(key, null)
  }

  #isAbandoned (entry: LedgerEntry): boolean {
    return this.#now() - entry.claimedAtMs >= this.#takeoverMs
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
