import { isPastTakeover, type ClaimTakeoverOptions } from './claim-takeover.ts'
import type { LedgerLog } from './ledger-log.ts'
import { encodeLedgerSource, isOutcomeOpen, ledgerKey, requestOfLedgerKey, type LedgerEntry, type LedgerSource } from '../../domain/ledger-record.ts'

/**
 * A request that may have reached the SMSC and got no status (spec §7: unknown outcome): its
 * owner marked it `writing` (or, of an earlier version, claimed it without marking) and did not
 * finish it within `claimTakeoverMs`. Ids and times only: never a recipient or a body.
 */
export interface UnknownOutcome {
  readonly clientId: string
  readonly correlId: string
  /** Where the request came from (the store's queue, `embedded/0`, or a partition of `send-sms`). */
  readonly source: LedgerSource
  readonly claimedAtMs: number
  /** When its owner marked it `writing`; absent for a claim of an earlier version, which did not mark. */
  readonly writingAtMs?: number
}

/** An unknown outcome as the API and the CLI write it: kebab-case ids, ISO-8601 UTC times. */
export interface UnknownOutcomeJson {
  readonly 'client-id': string
  readonly 'correl-id': string
  /** encodeLedgerSource's `<stream>/<offset>`: `embedded/0/<seq>`, `send-sms/<partition>/<offset>`. */
  readonly source: string
  readonly 'claimed-at': string
  readonly 'writing-at'?: string
}

export function unknownOutcomeJsonOf (outcome: UnknownOutcome): UnknownOutcomeJson {
  return {
    'client-id': outcome.clientId,
    'correl-id': outcome.correlId,
    source: encodeLedgerSource(outcome.source),
    'claimed-at': new Date(outcome.claimedAtMs).toISOString(),
    ...(outcome.writingAtMs === undefined ? {} : { 'writing-at': new Date(outcome.writingAtMs).toISOString() })
  }
}

export interface UnknownOutcomesOptions extends ClaimTakeoverOptions {
  /**
   * Whether a request has a status after all: one written and then left by a crash still gets
   * SENT and its receipt's status once the SMSC's receipt finds its correlation record
   * (docs/delivery-guarantees.md, "Receipts across crashes"), so its outcome is known and it
   * is not listed. Where statuses cannot be looked up (Kafka), every open entry is listed.
   */
  reported?: (clientId: string, correlId: string) => Promise<boolean>
}

/**
 * The unknown outcomes the request ledger holds, for operators to reconcile with the SMSC (its
 * own records of submit_sm received) and then resolve. Read from the ledger each time: the
 * ledger is the one source of this fact.
 */
export class UnknownOutcomes {
  readonly #log: LedgerLog
  readonly #takeoverMs: number
  readonly #now: () => number
  readonly #reported: (clientId: string, correlId: string) => Promise<boolean>

  constructor (log: LedgerLog, options: UnknownOutcomesOptions) {
    this.#log = log
    this.#takeoverMs = options.takeoverMs
    this.#now = options.now ?? Date.now
    this.#reported = options.reported ?? (async () => false)
  }

  /** Every unknown outcome, oldest claim first. */
  async list (): Promise<UnknownOutcome[]> {
    const nowMs = this.#now()
    const outcomes: UnknownOutcome[] = []
    for (const { key, entry } of await this.#log.entries()) {
      const request = requestOfLedgerKey(key)
      if (request === undefined || !this.#isUnknown(entry, nowMs) || await this.#reported(request.clientId, request.correlId)) continue
      outcomes.push({ ...request, source: entry.source, claimedAtMs: entry.claimedAtMs, ...(entry.writingAtMs === undefined ? {} : { writingAtMs: entry.writingAtMs }) })
    }
    return outcomes.sort((a, b) => a.claimedAtMs - b.claimedAtMs)
  }

  async count (): Promise<number> {
    return (await this.list()).length
  }

  /**
   * Forgets the unknown outcome of one request, once an operator has reconciled it with the
   * SMSC. Resolves false when the request has none (never had one, or resolved already, or
   * finished late); a request still in flight is never forgotten.
   */
  async resolve (clientId: string, correlId: string): Promise<boolean> {
    const key = ledgerKey(clientId, correlId)
    const entry = await this.#log.entry(key)
    if (entry === undefined || !this.#isUnknown(entry, this.#now())) return false
    await this.#log.append(key, null)
    return true
  }

  #isUnknown (entry: LedgerEntry, nowMs: number): boolean {
    return isOutcomeOpen(entry) && isPastTakeover(entry, nowMs, this.#takeoverMs)
  }
}
