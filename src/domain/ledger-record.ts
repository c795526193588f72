// The records of the request ledger: a compare-and-set log that makes "hand a request to a
// backend at most once" hold across crashes, restarts, rebalances and instances. Every
// instance applies the same records in the same (log) order, so every instance reaches the
// same verdict on who owns a request. docs/delivery-guarantees.md explains the protocol.

/**
 * - `claimed`: an attempt owns the request; nothing of it has left the gateway.
 * - `taken-over`: an attempt replaces an abandoned claim that never got to `writing`.
 * - `writing`: the owner is about to write the request's first bytes to the SMSC connection
 *   (durable before they are written), so from here on the request may have left.
 * - `done`: every status of the request is out.
 */
export const ledgerStates = { claimed: 'claimed', takenOver: 'taken-over', writing: 'writing', done: 'done' } as const
export type LedgerState = typeof ledgerStates[keyof typeof ledgerStates]
const allowedLedgerStates: readonly string[] = Object.values(ledgerStates)

/**
 * Where a request came from: a stream of its source, whose records are committed in order
 * (`send-sms/2`: a topic's partition; `embedded/0`: the store's queue), and its offset there.
 */
export interface LedgerSource {
  readonly stream: string
  readonly offset: bigint
}

/** One ledger record. A `null` record (a tombstone) forgets the request. */
export interface LedgerRecord {
  /** Names one attempt to own the request: unique per instance and attempt. */
  readonly token: string
  readonly state: LedgerState
  /** Where the request came from: for logs and diagnosis. */
  readonly source: LedgerSource
  /** When the record was written, ms since the epoch (the writer's clock). */
  readonly atMs: number
  /**
   * On a claim: the claimant marks `writing` before any byte leaves. Claims of versions that
   * did not mark lack it, and are never taken over (their requests may have left unmarked).
   */
  readonly marksWrites?: boolean
  /** On `taken-over`: the token of the abandoned claim it replaces. */
  readonly supersedes?: string
}

/** What the ledger knows of one request: the owning claim and how far it got. */
export interface LedgerEntry {
  readonly token: string
  readonly source: LedgerSource
  readonly claimedAtMs: number
  readonly done: boolean
  /** Whether the owner marks `writing` before writing (see LedgerRecord.marksWrites). */
  readonly marksWrites?: boolean
  /** When the owner marked the request `writing`; undefined while nothing may have left. */
  readonly writingAtMs?: number
}

/**
 * Applies one record to the entry of its key and returns the new entry (undefined = none).
 * A claim wins only if the key is free; `taken-over` only if the claim it names still owns the
 * key, marks its writes and has not marked one; `writing` and `done` count only from the
 * current owner. Everything else is a lost race and changes nothing (the same entry object).
 */
export function applyLedgerRecord (entry: LedgerEntry | undefined, record: LedgerRecord | null): LedgerEntry | undefined {
  if (record === null) return undefined
  switch (record.state) {
    case ledgerStates.claimed:
      if (entry !== undefined) return entry
      return { token: record.token, source: record.source, claimedAtMs: record.atMs, done: false, ...(record.marksWrites === true ? { marksWrites: true } : {}) }
    case ledgerStates.takenOver:
      return entry !== undefined && isUnwrittenClaim(entry) && entry.token === record.supersedes
        ? { token: record.token, source: record.source, claimedAtMs: record.atMs, done: false, marksWrites: true }
        : entry
    case ledgerStates.writing:
      return entry !== undefined && entry.token === record.token && !entry.done && entry.writingAtMs === undefined ? { ...entry, writingAtMs: record.atMs } : entry
    case ledgerStates.done:
      return entry !== undefined && entry.token === record.token ? { ...entry, done: true } : entry
  }
}

/**
 * True when the entry's owner has provably written nothing: it marks its writes and has not
 * marked one. Only such a claim may be taken over once abandoned.
 */
export function isUnwrittenClaim (entry: LedgerEntry): boolean {
  return !entry.done && entry.marksWrites === true && entry.writingAtMs === undefined
}

/** True when the request may have reached the SMSC and its owner did not finish it. */
export function isOutcomeOpen (entry: LedgerEntry): boolean {
  return !entry.done && !isUnwrittenClaim(entry)
}

/**
 * A source as logs, the API and stored records (the claims topic, the stores' `source` column)
 * write it: `<stream>/<offset>`, e.g. `send-sms/2/1234` or `embedded/0/17`.
 */
export function encodeLedgerSource (source: LedgerSource): string {
  return `${source.stream}/${source.offset}`
}

/** The source encodeLedgerSource wrote as `text`; undefined for text it does not write. */
export function decodeLedgerSource (text: string): LedgerSource | undefined {
  // A stream may hold slashes (`send-sms/2`); the offset, after the last one, does not.
  const match = /^(.+)\/(\d+)$/s.exec(text)
  return match === null ? undefined : { stream: match[1] as string, offset: BigInt(match[2] as string) }
}

export function encodeLedgerRecord (record: LedgerRecord): string {
  return JSON.stringify({ ...record, source: encodeLedgerSource(record.source) })
}

/**
 * Parses a ledger record; null for anything that is not one (a foreign or corrupt value).
 * Unknown fields are dropped. `supersedes` counts on `taken-over` only: earlier versions wrote
 * it on a claim that took over an abandoned one, and such a claim reads as a plain claim,
 * which wins only a free key, so an old record can keep a key claimed but never hand it to a
 * new owner.
 */
export function decodeLedgerRecord (text: string): LedgerRecord | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { token, state, source: sourceText, atMs, marksWrites, supersedes } = value as Record<string, unknown>
  // JSON reads 1e999 as Infinity: not a time, and a claim dated then would never be abandoned.
  if (typeof token !== 'string' || typeof sourceText !== 'string' || typeof atMs !== 'number' || !Number.isFinite(atMs)) return null
  if (typeof state !== 'string' || !allowedLedgerStates.includes(state)) return null
  const source = decodeLedgerSource(sourceText)
  if (source === undefined) return null
  const record: LedgerRecord = { token, state: state as LedgerState, source, atMs }
  if (state === ledgerStates.claimed) return marksWrites === true ? { ...record, marksWrites: true } : record
  if (state === ledgerStates.takenOver) return typeof supersedes === 'string' ? { ...record, supersedes } : null
  return record
}

/** The ledger key of a request: client-id and correl-id, unambiguously joined. */
export function ledgerKey (clientId: string, correlId: string): string {
  return JSON.stringify([clientId, correlId])
}

/** The client-id and correl-id of a ledger key; undefined for a key ledgerKey did not make. */
export function requestOfLedgerKey (key: string): { clientId: string, correlId: string } | undefined {
  let value: unknown
  try {
    value = JSON.parse(key)
  } catch {
    return undefined
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') return undefined
  return { clientId: value[0], correlId: value[1] }
}
