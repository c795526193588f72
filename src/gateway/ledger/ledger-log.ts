import type { Awaitable } from '../../async/awaitable.ts'
import type { LedgerEntry, LedgerRecord } from '../../domain/ledger-record.ts'

/**
 * Where ledger records are kept: a Kafka topic, a table, or memory. All instances sharing a
 * log see its records in one order and fold them with applyLedgerRecord.
 */
export interface LedgerLog {
  /**
   * Appends a record and resolves once it is durable. With `readBack`, resolves only once it
   * has also been applied to this instance's view (what a claim needs to learn who won).
   */
  append: (key: string, record: LedgerRecord | null, options?: { readBack: boolean }) => Promise<void>
  /** This instance's current view of a key (a store shared by instances is read at once). */
  entry: (key: string) => Awaitable<LedgerEntry | undefined>
  /**
   * Every entry of this instance's view, by key: requests in flight (a few, bounded by the
   * hand-over slots) and the unknown outcomes not yet resolved.
   */
  entries: () => Awaitable<Array<{ key: string, entry: LedgerEntry }>>
  /** Calls `listener` after every change to `key`; returns a function that stops it. */
  watch: (key: string, listener: () => void) => () => void
}
