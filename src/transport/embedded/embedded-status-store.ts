import type { StatusEvent } from '../../domain/status-event.ts'
import { KeyedListeners } from '../../async/keyed-listeners.ts'
import type { StatusFeed } from '../../gateway/status/status-feed.ts'
import { DUPLICATE_STATUS, type StatusSink } from '../../gateway/status/status-sink.ts'
import type { StatusHistoryStore } from '../../store/embedded-store.ts'

export interface EmbeddedStatusStoreOptions {
  /**
   * Called when a subscriber throws. The status is stored by then, so the error must not fail
   * the report (the pipeline would store it again); default: a process warning.
   */
  onListenerError?: (error: unknown, event: StatusEvent) => void
}

/** Subscribers to every client's statuses. */
const ALL_CLIENTS = Symbol('all clients')

/**
 * The embedded deployment's status sink and feed: every status is stored (durably, before
 * `report` resolves), then handed to the subscribers of its client and of all clients, in the
 * order stored. Statuses other instances sharing the store report (PostgreSQL) reach the
 * subscribers too, except those that asked for the ones reported here. History and live events are what a follower of `sms-status` would read: the
 * contract's JSON, timestamps in whole seconds.
 */
export class EmbeddedStatusStore implements StatusSink, StatusFeed {
  readonly #statuses: StatusHistoryStore
  readonly #onListenerError: (error: unknown, event: StatusEvent) => void
  readonly #listeners = new KeyedListeners<StatusEvent, string | typeof ALL_CLIENTS>()
  /** Subscribers to the statuses this instance reported only. */
  readonly #hereListeners = new KeyedListeners<StatusEvent, string | typeof ALL_CLIENTS>()

  constructor (statuses: StatusHistoryStore, options: EmbeddedStatusStoreOptions = {}) {
    this.#statuses = statuses
    this.#onListenerError = options.onListenerError ?? (error => { process.emitWarning(error instanceof Error ? error : new Error(String(error))) })
    // Statuses another instance sharing the store reports (a standby's stream shows the consumer's).
    statuses.onAppendedElsewhere?.(event => { this.#tell(event, false) })
  }

  /**
   * Resolves once the status is stored; subscribers have been called by then. A status the
   * store held already (same once-key: a re-sent receipt) is not stored again and reaches no
   * subscriber (no second webhook): resolves with DUPLICATE_STATUS.
   */
  async report (event: StatusEvent): Promise<void | typeof DUPLICATE_STATUS> {
    const stored = await this.#statuses.append(event)
    if (stored === undefined) return DUPLICATE_STATUS
    this.#tell(stored, true)
  }

  async history (clientId: string, correlId: string): Promise<StatusEvent[]> {
    return await this.#statuses.history(clientId, correlId)
  }

  subscribe (clientId: string | undefined, listener: (event: StatusEvent) => void, options: { reportedHere?: boolean } = {}): () => void {
    return (options.reportedHere === true ? this.#hereListeners : this.#listeners).add(clientId ?? ALL_CLIENTS, listener)
  }

  #tell (stored: StatusEvent, reportedHere: boolean): void {
    for (const listeners of reportedHere ? [this.#listeners, this.#hereListeners] : [this.#listeners]) {
      for (const key of [stored.clientId, ALL_CLIENTS] as const) listeners.notify(key, stored, error => this.#onListenerError(error, stored))
    }
  }
}
