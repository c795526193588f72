import { KeyedListeners } from '../../gateway/keyed-listeners.ts'
import type { LedgerLog } from '../../gateway/ledger/ledger-log.ts'
import type { LedgerEntry, LedgerRecord } from '../../gateway/ledger/ledger-record.ts'
import type { LedgerTable } from '../../store/sqlite/ledger-table.ts'

/**
 * The request ledger in the embedded store: MemoryLedgerLog's semantics, durable. `append`
 * applies the record inside a write transaction and resolves after the commit, so the view
 * (`entry`, read from the table) already holds the outcome of the race: `readBack` needs no
 * waiting here. A claim survives a kill -9 of the process, so after a restart the gateway does
 * not hand the request to a backend a second time.
 *
 * `watch` hears the appends of this instance only. A claim held by another process that shares
 * the file is still respected; a waiter on it learns of its end when its wait times out
 * (RequestLedger waits at most until the claim is abandoned), not at once.
 */
export class SqliteLedgerLog implements LedgerLog {
  readonly #table: LedgerTable
  readonly #listeners = new KeyedListeners<undefined>()

  constructor (table: LedgerTable) {
    this.#table = table
  }

  async append (key: string, record: LedgerRecord | null): Promise<void> {
    await this.#table.apply(key, record)
    this.#listeners.notify(key, undefined)
  }

  entry (key: string): LedgerEntry | undefined {
    return this.#table.get(key)
  }

  /**
   * Forgets (appends a tombstone for) every entry `isSettled` says no longer needs keeping;
   * resolves with how many. For the start-up: a crash between a request's commit and the
   * gateway's `forget` leaves an entry that would hold its key for ever.
   */
  async forgetSettled (isSettled: (entry: LedgerEntry) => boolean): Promise<number> {
    const settled = this.#table.all().filter(({ entry }) => isSettled(entry))
    await Promise.all(settled.map(async ({ key }) => { await this.append(key, null) }))
    return settled.length
  }

  /** How many requests the ledger holds: claimed and not yet forgotten. */
  get size (): number {
    return this.#table.count()
  }

  watch (key: string, listener: () => void): () => void {
    return this.#listeners.add(key, listener)
  }
}
