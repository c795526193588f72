// Tokens are fractions (milliseconds × rate); this much rounding error still counts as whole.
const EPSILON = 1e-9

/**
 * A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up. It starts full. Pure
 * arithmetic over the times it is given, so tests need no clock.
 */
export class TokenBucket {
  readonly #ratePerMs: number
  readonly #burst: number
  #tokens: number
  #updatedAtMs: number | undefined

  constructor (ratePerSecond: number, burst: number) {
    if (!(ratePerSecond > 0)) throw new RangeError(`token rate must be positive, got ${ratePerSecond}`)
    if (!(burst >= 1)) throw new RangeError(`token burst must be at least 1, got ${burst}`)
    this.#ratePerMs = ratePerSecond / 1000
    this.#burst = burst
    this.#tokens = burst
  }

  /**
   * Takes a token at `nowMs` and returns 0, or, when none is left, takes nothing and returns the
   * milliseconds until one will be there (at least 1).
   */
  take (nowMs: number): number {
    if (this.#updatedAtMs !== undefined && nowMs > this.#updatedAtMs) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (nowMs - this.#updatedAtMs) * this.#ratePerMs)
    }
    this.#updatedAtMs = nowMs
    if (this.#tokens >= 1 - EPSILON) {
      this.#tokens = Math.max(0, this.#tokens - 1)
      return 0
    }
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.#ratePerMs - EPSILON))
  }
}
