import type { StatusEvent } from './status-event.ts'
import type { StatusFeed } from './status-feed.ts'
import type { StatusSink } from './status-sink.ts'

export const DEFAULT_REMEMBERED_REQUESTS = 100_000

/**
 * The status feed of one gateway instance: the statuses this instance reports (it is a
 * StatusSink in the gateway's fan-out), with the history of the most recent requests kept in
 * memory (bounded; the oldest requests are forgotten first). Statuses reported by other
 * instances are on `sms-status`, where clients follow them; this feed serves the API and the
 * dashboard of this instance.
 */
export class RecentStatuses implements StatusSink, StatusFeed {
  readonly #histories = new Map<string, StatusEvent[]>()
  readonly #listeners = new Set<{ clientId: string | undefined, listener: (event: StatusEvent) => void }>()
  readonly #maxRequests: number

  constructor (maxRequests = DEFAULT_REMEMBERED_REQUESTS) {
    this.#maxRequests = maxRequests
  }

  async report (event: StatusEvent): Promise<void> {
    const key = JSON.stringify([event.clientId, event.correlId])
    const history = this.#histories.get(key) ?? []
    // Re-inserting moves the request to the newest end of the map's order.
    this.#histories.delete(key)
    this.#histories.set(key, [...history, event])
    if (this.#histories.size > this.#maxRequests) this.#histories.delete(this.#histories.keys().next().value as string)
    for (const { clientId, listener } of this.#listeners) if (clientId === undefined || clientId === event.clientId) listener(event)
  }

  async history (clientId: string, correlId: string): Promise<StatusEvent[]> {
    return [...(this.#histories.get(JSON.stringify([clientId, correlId])) ?? [])]
  }

  subscribe (clientId: string | undefined, listener: (event: StatusEvent) => void): () => void {
    const entry = { clientId, listener }
    this.#listeners.add(entry)
    return () => { this.#listeners.delete(entry) }
  }
}
