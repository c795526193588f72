import { PlatformFailure } from '../platforms/platform-adapter.ts'

// Retries of one publish (issue 12: transient failures retried with back-off and a bound, inside
// the one attempt the publication record covers): a `transient` or `rate-limited` failure is tried
// again after the platform's Retry-After when it gave one, else after a doubling delay, up to
// `maxAttempts` calls in all; a wait longer than `maxDelayMs` is not waited for (the failure is the
// answer). `token-invalid` and `rejected` are answered at once: the user must link again, or the
// platform refused the content.

export interface RetryPolicy {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export async function publishWithRetries<T> (call: () => Promise<T>, policy: RetryPolicy, sleep: (ms: number) => Promise<void>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      const delayMs = retryDelayMs(error, attempt, policy)
      if (delayMs === undefined) throw error
      await sleep(delayMs)
    }
  }
}

/** How long to wait before call `attempt + 1`; undefined when there is none. */
export function retryDelayMs (error: unknown, attempt: number, policy: RetryPolicy): number | undefined {
  if (!(error instanceof PlatformFailure) || (error.kind !== 'transient' && error.kind !== 'rate-limited')) return undefined
  if (attempt >= policy.maxAttempts) return undefined
  const delayMs = error.retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1)
  return delayMs <= policy.maxDelayMs ? delayMs : undefined
}
