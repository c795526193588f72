import { statusKey, type StatusEvent } from '../../domain/status-event.ts'
import type { StatusFeed } from './status-feed.ts'
import type { StatusSink } from './status-sink.ts'

export const DEFAULT_REMEMBERED_REQUESTS = 100_000
/**
 * The histories held take at most about this much heap. A request of two statuses with a
 * UUID for its correl-id takes about 850 bytes (measured), so this keeps some 17,000; a count
 * alone would not do: 100,000 such requests are 85 MB, half the gateway's default heap.
 */
export const DEFAULT_REMEMBERED_BYTES = 16 * 1024 * 1024
// What a history costs beyond its strings, estimated to err high (test/gateway/status/
// recent-statuses.test.ts measures it: a request of a SENT and a DELIVERED takes 850 bytes with
// a UUID correl-id, 1,480 with one of 256 ASCII characters; these give 974 and 2,294). A string
// is counted at 2 bytes a character, as V8 stores any string with a character above U+00FF.
const REQUEST_OVERHEAD_BYTES = 200
const EVENT_OVERHEAD_BYTES = 250
const BYTES_PER_CHARACTER = 2

interface History {
  readonly events: StatusEvent[]
  /** The estimated heap this history takes, its key included. */
  bytes: number
}

/**
 * The status feed of one gateway instance: the statuses this instance reports (it is a
 * StatusSink in the gateway's fan-out), with the history of the most recent requests kept in
 * memory, bounded both in requests and in (estimated) bytes; the least recently reported
 * requests are forgotten first. Statuses reported by other instances are on `sms-status`, where
 * clients follow them; this feed serves the API and the dashboard of this instance.
 */
export class RecentStatuses implements StatusSink, StatusFeed {
  readonly #histories = new Map<string, History>()
  readonly #listeners = new Set<{ clientId: string | undefined, listener: (event: StatusEvent) => void }>()
  readonly #maxRequests: number
  readonly #maxBytes: number
  #bytes = 0

  constructor (maxRequests = DEFAULT_REMEMBERED_REQUESTS, maxBytes = DEFAULT_REMEMBERED_BYTES) {
    this.#maxRequests = maxRequests
    this.#maxBytes = maxBytes
  }

  /** The estimated heap the histories take, in bytes. */
  get bytes (): number {
    return this.#bytes
  }

  async report (event: StatusEvent): Promise<void> {
    const key = statusKey(event.clientId, event.correlId)
    let history = this.#histories.get(key)
    if (history === undefined) {
      history = { events: [], bytes: REQUEST_OVERHEAD_BYTES + BYTES_PER_CHARACTER * key.length }
      this.#bytes += history.bytes
    }
    const eventBytes = estimatedBytes(event)
    history.events.push(event)
    history.bytes += eventBytes
    this.#bytes += eventBytes
    // Re-inserting moves the request to the newest end of the map's order.
    this.#histories.delete(key)
    this.#histories.set(key, history)
    // A request too large for the budget on its own is forgotten at once.
    for (const [oldestKey, oldest] of this.#histories) {
      if (this.#histories.size <= this.#maxRequests && this.#bytes <= this.#maxBytes) break
      this.#histories.delete(oldestKey)
      this.#bytes -= oldest.bytes
    }
    for (const { clientId, listener } of this.#listeners) if (clientId === undefined || clientId === event.clientId) listener(event)
  }

  async history (clientId: string, correlId: string): Promise<StatusEvent[]> {
    return [...(this.#histories.get(statusKey(clientId, correlId))?.events ?? [])]
  }

  subscribe (clientId: string | undefined, listener: (event: StatusEvent) => void): () => void {
    const entry = { clientId, listener }
    this.#listeners.add(entry)
    return () => { this.#listeners.delete(entry) }
  }
}

function estimatedBytes (event: StatusEvent): number {
  const characters = event.clientId.length + event.correlId.length + (event.recallId?.length ?? 0) + (event.errorText?.length ?? 0)
  return EVENT_OVERHEAD_BYTES + BYTES_PER_CHARACTER * characters
}
