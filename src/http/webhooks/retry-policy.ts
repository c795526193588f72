/** How a failed webhook delivery is tried again: exponential back-off with jitter, a bounded number of times. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number
  /** The wait after the first failure; it doubles after each further one. */
  readonly firstDelayMs: number
  /** No wait is longer than this (before jitter). */
  readonly maxDelayMs: number
  /** Each wait is scaled by a random factor in [1 - jitter, 1 + jitter], so that many clients do not retry in step. */
  readonly jitter: number
}

/**
 * 8 attempts: waits of 5, 10, 20, 40, 80, 160 and 320 s (±20 %) between them, so a status is
 * given up about 10.5 minutes after its first attempt.
 */
export const DEFAULT_WEBHOOK_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 8,
  firstDelayMs: 5_000,
  maxDelayMs: 320_000,
  jitter: 0.2
})

/** The wait in ms after the `failedAttempts`-th failed attempt (1 for the first). */
export function retryDelayMs (policy: RetryPolicy, failedAttempts: number, random: () => number = Math.random): number {
  const base = Math.min(policy.firstDelayMs * 2 ** (failedAttempts - 1), policy.maxDelayMs)
  return Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random()))
}
