import { SmsgwError, errorCodes } from '../../errors.ts'

/** A client's allowance: `requestsPerSecond` on average, up to `burst` at once. */
export interface RateLimit {
  readonly requestsPerSecond: number
  readonly burst: number
}

/** Buckets held before the full ones are looked for and forgotten. */
const SWEEP_FROM_BUCKETS = 64

interface Bucket {
  tokens: number
  atMs: number
}

/**
 * One token bucket per client. A bucket holds up to `burst` tokens and gains
 * `requestsPerSecond` a second. A request is let in when its client's bucket has a token; a
 * batch then pays for its other messages too, which may leave the bucket in debt, so that the
 * client's average stays within the limit whatever the batch size. Buckets are kept per client
 * that has an API key (client-ids of 64 bytes at most), and only while they are not full: a full
 * bucket is what a client never seen gets, so forgetting it changes nothing, and the buckets held
 * are those of the clients active within the last burst/requestsPerSecond seconds.
 */
export class ClientRateLimiter {
  readonly #ratePerMs: number
  readonly #burst: number
  readonly #now: () => number
  readonly #buckets = new Map<string, Bucket>()
  #sweepAt = SWEEP_FROM_BUCKETS

  /** `now` is a monotonic clock in ms (for tests). Throws SMSGW_CONFIG for a limit that admits nothing. */
  constructor (limit: RateLimit, now: () => number = () => performance.now()) {
    if (!(limit.requestsPerSecond > 0) || !Number.isFinite(limit.requestsPerSecond)) {
      throw new SmsgwError(errorCodes.config, `rate limit requestsPerSecond must be a positive number: ${limit.requestsPerSecond}`)
    }
    if (!(limit.burst >= 1) || !Number.isFinite(limit.burst)) {
      throw new SmsgwError(errorCodes.config, `rate limit burst must be at least 1: ${limit.burst}`)
    }
    this.#ratePerMs = limit.requestsPerSecond / 1000
    this.#burst = limit.burst
    this.#now = now
  }

  /** How many clients' buckets are held. */
  get clients (): number {
    return this.#buckets.size
  }

  /** Takes a token of `clientId`'s; resolves to 0 when there was one, else to the whole seconds until there is (Retry-After). */
  take (clientId: string): number {
    const bucket = this.#refill(clientId)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#ratePerMs / 1000))
  }

  /** Takes `tokens` more of `clientId`'s, going into debt if need be (a batch's further messages). */
  charge (clientId: string, tokens: number): void {
    if (tokens > 0) this.#refill(clientId).tokens -= tokens
  }

  #refill (clientId: string): Bucket {
    const nowMs = this.#now()
    let bucket = this.#buckets.get(clientId)
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#sweepAt) this.#forgetFull(nowMs)
      bucket = { tokens: this.#burst, atMs: nowMs }
      this.#buckets.set(clientId, bucket)
    } else {
      bucket.tokens = Math.min(this.#burst, bucket.tokens + (nowMs - bucket.atMs) * this.#ratePerMs)
      bucket.atMs = nowMs
    }
    return bucket
  }

  /** Forgets the buckets that are full by now; the next sweep waits until twice as many are held (amortised O(1)). */
  #forgetFull (nowMs: number): void {
    for (const [clientId, bucket] of this.#buckets) {
      if (bucket.tokens + (nowMs - bucket.atMs) * this.#ratePerMs >= this.#burst) this.#buckets.delete(clientId)
    }
    this.#sweepAt = Math.max(SWEEP_FROM_BUCKETS, 2 * this.#buckets.size)
  }
}
