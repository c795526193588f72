// The records of the request ledger: a compare-and-set log that makes "hand a request to a
// backend at most once" hold across crashes, restarts, rebalances and instances. Every
// instance applies the same records in the same (log) order, so every instance reaches the
// same verdict on who owns a request. docs/delivery-guarantees.md explains the protocol.

export const ledgerStates = { claimed: 'claimed', done: 'done' } as const
export type LedgerState = typeof ledgerStates[keyof typeof ledgerStates]

/** One ledger record. A `null` record (a tombstone) forgets the request. */
export interface LedgerRecord {
  /** Names one attempt to own the request: unique per instance and attempt. */
  readonly token: string
  readonly state: LedgerState
  /** Where the request came from, e.g. `send-sms/2/1234`: for logs and diagnosis. */
  readonly source: string
  /** When the record was written, ms since the epoch (the writer's clock). */
  readonly atMs: number
}

/** What the ledger knows of one request: the owning claim and whether it finished. */
export interface LedgerEntry {
  readonly token: string
  readonly source: string
  readonly claimedAtMs: number
  readonly done: boolean
}

/**
 * Applies one record to the entry of its key and returns the new entry (undefined = none).
 * A claim wins only if the key is free; `done` counts only from the current owner. Everything
 * else is a lost race and changes nothing: once claimed, a key stays with its owner until a
 * tombstone forgets it.
 */
export function applyLedgerRecord (entry: LedgerEntry | undefined, record: LedgerRecord | null): LedgerEntry | undefined {
  if (record === null) return undefined
  if (record.state === ledgerStates.claimed) {
    return entry === undefined ? { token: record.token, source: record.source, claimedAtMs: record.atMs, done: false } : entry
  }
  return entry !== undefined && entry.token === record.token ? { ...entry, done: true } : entry
}

export function encodeLedgerRecord (record: LedgerRecord): string {
  return JSON.stringify(record)
}

/**
 * Parses a ledger record; null for anything that is not one (a foreign or corrupt value).
 * Unknown fields are dropped. Among them is `supersedes`, which earlier versions wrote on a
 * claim that took over an abandoned one: such a claim now reads as a plain claim, which wins
 * only a free key, so an old record can keep a key claimed but never hand it to a new owner.
 */
export function decodeLedgerRecord (text: string): LedgerRecord | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { token, state, source, atMs } = value as Record<string, unknown>
  // JSON reads 1e999 as Infinity: not a time, and a claim dated then would never be abandoned.
  if (typeof token !== 'string' || typeof source !== 'string' || typeof atMs !== 'number' || !Number.isFinite(atMs)) return null
  if (state !== ledgerStates.claimed && state !== ledgerStates.done) return null
  return { token, state, source, atMs }
}

/** The ledger key of a request: client-id and correl-id, unambiguously joined. */
export function ledgerKey (clientId: string, correlId: string): string {
  return JSON.stringify([clientId, correlId])
}
