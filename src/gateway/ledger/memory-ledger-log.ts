import { KeyedListeners } from '../../async/keyed-listeners.ts'
import type { LedgerLog } from './ledger-log.ts'
import { applyLedgerRecord, type LedgerEntry, type LedgerRecord } from '../../domain/ledger-record.ts'

/**
 * A ledger log in this process's memory: for one instance without Kafka, and for tests. It
 * guards against duplicates within the process only; it forgets everything on restart.
 */
export class MemoryLedgerLog implements LedgerLog {
  readonly #entries = new Map<string, LedgerEntry>()
  readonly #listeners = new KeyedListeners<undefined>()

  async append (key: string, record: LedgerRecord | null): Promise<void> {
    this.apply(key, record)
  }

  /** Folds one record into the view and tells the key's watchers. */
  apply (key: string, record: LedgerRecord | null): void {
    const next = applyLedgerRecord(this.#entries.get(key), record)
    if (next === undefined) this.#entries.delete(key)
    else this.#entries.set(key, next)
    this.#listeners.notify(key, undefined)
  }

  entry (key: string): LedgerEntry | undefined {
    return this.#entries.get(key)
  }

  entries (): Array<{ key: string, entry: LedgerEntry }> {
    return [...this.#entries].map(([key, entry]) => ({ key, entry }))
  }

  get size (): number {
    return this.#entries.size
  }

  watch (key: string, listener: () => void): () => void {
    return this.#listeners.add(key, listener)
  }
}
