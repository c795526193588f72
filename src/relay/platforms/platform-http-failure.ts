import { PlatformFailure } from './platform-adapter.ts'

// A platform's HTTP answer as the publisher needs it (platform-adapter.ts): what it may retry and
// when. One table for every adapter over an HTTP API; the texts name the platform and the status,
// never a token or content.

/** Ours: one call to a platform waits at most this long before it counts as transient. */
export const DEFAULT_PLATFORM_TIMEOUT_MS = 15_000

/** A failed HTTP answer of `platform` (its display name) as a PlatformFailure. */
export function failureOfStatus (platform: string, status: number, retryAfterMs?: number): PlatformFailure {
  if (status === 401) return new PlatformFailure('token-invalid', `${platform} refused the token (HTTP 401): link the account again`)
  if (status === 429) return new PlatformFailure('rate-limited', `${platform} is rate-limiting (HTTP 429)`, retryAfterMs)
  if (status === 408 || status >= 500) return new PlatformFailure('transient', `${platform} failed (HTTP ${status})`)
  return new PlatformFailure('rejected', `${platform} refused the request (HTTP ${status})`)
}

/** A failure of an OAuth token endpoint: an invalid grant (400) or client (401) means the token is no good any more. */
export function failureOfTokenEndpoint (platform: string, status: number, retryAfterMs?: number): PlatformFailure {
  if (status === 400 || status === 401) return new PlatformFailure('token-invalid', `${platform} refused to refresh the token (HTTP ${status}): link the account again`)
  return failureOfStatus(platform, status, retryAfterMs)
}

/** No answer at all: a refused or reset connection, a timeout. */
export function networkFailure (platform: string): PlatformFailure {
  return new PlatformFailure('transient', `${platform} could not be reached`)
}

/** Ours: a Retry-After beyond a day is taken as a day. */
const MAX_RETRY_AFTER_MS = 86_400_000

/** A Retry-After header (RFC 9110 §10.2.3: seconds or an HTTP date) in milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMsOf (header: string | null | undefined, nowMs: number): number | undefined {
  if (header === undefined || header === null || header.trim() === '') return undefined
  const text = header.trim()
  // An HTTP date names its day and month; a bare signed number is neither form.
  const milliseconds = /^[0-9]+$/.test(text) ? Number(text) * 1000 : /[A-Za-z]/.test(text) ? Date.parse(text) - nowMs : Number.NaN
  if (!Number.isFinite(milliseconds)) return undefined
  return Math.min(Math.max(0, milliseconds), MAX_RETRY_AFTER_MS)
}
