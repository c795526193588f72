import { requestValuePrefix } from '../../gateway/request-ingress.ts'

/** Requests remembered at most; the oldest are forgotten first. */
export const DEFAULT_ACCEPTED_REQUESTS = 10_000
/** Bytes of remembered keys at most (each key is a client-id and a correl-id, a few hundred bytes at most). */
export const DEFAULT_ACCEPTED_REQUEST_BYTES = 4 * 1024 * 1024

/**
 * The requests this instance's HTTP API put on `send-sms` lately, for the API's `queued` state
 * on Kafka deployments, where no queue can be asked: bounded in count and in bytes, oldest
 * forgotten first. Whether one has a status yet is the status feed's business.
 */
export class AcceptedRequests {
  readonly #keys = new Map<string, number>()
  readonly #maxRequests: number
  readonly #maxBytes: number
  #bytes = 0

  constructor (maxRequests = DEFAULT_ACCEPTED_REQUESTS, maxBytes = DEFAULT_ACCEPTED_REQUEST_BYTES) {
    this.#maxRequests = maxRequests
    this.#maxBytes = maxBytes
  }

  get size (): number {
    return this.#keys.size
  }

  /** Remembers the request whose value (as the API builds it) is `value`. */
  add (value: string): void {
    const { 'client-id': clientId, 'correl-id': correlId } = JSON.parse(value) as { 'client-id': string, 'correl-id': string }
    const key = requestValuePrefix(clientId, correlId)
    const bytes = Buffer.byteLength(key, 'utf8')
    this.#forget(key)
    this.#keys.set(key, bytes)
    this.#bytes += bytes
    for (const [oldest] of this.#keys) {
      if (this.#keys.size <= this.#maxRequests && this.#bytes <= this.#maxBytes) break
      this.#forget(oldest)
    }
  }

  has (clientId: string, correlId: string): boolean {
    return this.#keys.has(requestValuePrefix(clientId, correlId))
  }

  #forget (key: string): void {
    const bytes = this.#keys.get(key)
    if (bytes === undefined) return
    this.#keys.delete(key)
    this.#bytes -= bytes
  }
}
