import { KeyedListeners } from '../../async/keyed-listeners.ts'
import type { LedgerLog } from '../../gateway/ledger/ledger-log.ts'
import type { LedgerEntry, LedgerRecord } from '../../domain/ledger-record.ts'
import type { Awaitable, LedgerStore } from '../../store/embedded-store.ts'

/**
 * The request ledger in the embedded store: MemoryLedgerLog's semantics, durable. `append`
 * applies the record as a compare-and-set in the store and resolves after the commit, so the
 * view (`entry`, read from the store) already holds the outcome of the race: `readBack` needs
 * no waiting here. A claim survives a kill -9 of the process, so after a restart the gateway
 * does not hand the request to a backend a second time.
 *
 * `watch` hears the appends of this instance only. A claim held by another instance that shares
 * the store is still respected; a waiter on it learns of its end when its wait times out
 * (RequestLedger waits at most until the claim is abandoned), not at once.
 */
export class StoreLedgerLog implements LedgerLog {
  readonly #store: LedgerStore
  readonly #listeners = new KeyedListeners<undefined>()

  constructor (store: LedgerStore) {
    this.#store = store
  }

  async append (key: string, record: LedgerRecord | null): Promise<void> {
    await this.#store.apply(key, record)
    this.#listeners.notify(key, undefined)
  }

  entry (key: string): Awaitable<LedgerEntry | undefined> {
    return this.#store.get(key)
  }

  async entries (): Promise<Array<{ key: string, entry: LedgerEntry }>> {
    return await this.#store.all()
  }

  /**
   * Forgets (appends a tombstone for) every entry `isSettled` says no longer needs keeping;
   * resolves with how many. For the start-up: a crash between a request's commit and the
   * gateway's `forget` leaves an entry that would hold its key for ever.
   */
  async forgetSettled (isSettled: (entry: LedgerEntry) => Awaitable<boolean>): Promise<number> {
    const entries = await this.#store.all()
    const settled = await Promise.all(entries.map(async ({ key, entry }) => await isSettled(entry) ? key : undefined))
    const keys = settled.filter(key => key !== undefined)
    await Promise.all(keys.map(async key => { await this.append(key, null) }))
    return keys.length
  }

  /** How many requests the ledger holds: claimed and not yet forgotten. */
  async size (): Promise<number> {
    return await this.#store.count()
  }

  watch (key: string, listener: () => void): () => void {
    return this.#listeners.add(key, listener)
  }
}
