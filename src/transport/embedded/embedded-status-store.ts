import type { StatusEvent } from '../../gateway/status/status-event.ts'
import { KeyedListeners } from '../../gateway/keyed-listeners.ts'
import type { StatusFeed } from '../../gateway/status/status-feed.ts'
import type { StatusSink } from '../../gateway/status/status-sink.ts'
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
 * order stored. History and live events are what a follower of `sms-status` would read: the
 * contract's JSON, timestamps in whole seconds.
 */
export class EmbeddedStatusStore implements StatusSink, StatusFeed {
  readonly #statuses: StatusHistoryStore
  readonly #onListenerError: (error: unknown, event: StatusEvent) => void
  readonly #listeners = new KeyedListeners<StatusEvent, string | typeof ALL_CLIENTS>()

  constructor (statuses: StatusHistoryStore, options: EmbeddedStatusStoreOptions = {}) {
    this.#statuses = statuses
    this.#onListenerError = options.onListenerError ?? (error => { process.emitWarning(error instanceof Error ? error : new Error(String(error))) })
  }

  /** Resolves once the status is stored; subscribers have been called by then. */
  async report (event: StatusEvent): Promise<void> {
    const stored = await this.#statuses.append(event)
    for (const key of [event.clientId, ALL_CLIENTS] as const) this.#listeners.notify(key, stored, error => this.#onListenerError(error, stored))
  }

  async history (clientId: string, correlId: string): Promise<StatusEvent[]> {
    return await this.#statuses.history(clientId, correlId)
  }

  subscribe (clientId: string | undefined, listener: (event: StatusEvent) => void): () => void {
    return this.#listeners.add(clientId ?? ALL_CLIENTS, listener)
  }
}
