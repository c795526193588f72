// What a simulated platform keeps under a caller's key, as the real one does: Mastodon's answer to
// a status's Idempotency-Key (an hour), Bluesky's records by repository and record key. Bounded
// like the posts' ring: past the capacity the oldest entry goes, so memory stays flat.

export class KeptByKey<T> {
  readonly #entries = new Map<string, { readonly value: T, readonly expiresAtMs: number }>()
  readonly #capacity: number

  constructor (capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, not ${capacity}`)
    this.#capacity = capacity
  }

  /** The value kept under `key`, unless it expired by `nowMs`. */
  get (key: string, nowMs: number): T | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAtMs > nowMs) return entry.value
    this.#entries.delete(key)
    return undefined
  }

  /** Keeps `value` under `key` for `ttlMs` (none: until pushed out by newer entries). */
  set (key: string, value: T, nowMs: number, ttlMs = Number.POSITIVE_INFINITY): void {
    this.#entries.delete(key)
    this.#entries.set(key, { value, expiresAtMs: nowMs + ttlMs })
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value as string)
  }
}
