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

/**
 * No answer at all: a refused or reset connection, a timeout. For a post the platform cannot
 * deduplicate (`repeatable` false: X, Gmail), only a failure that certainly came before the
 * request was sent (`error`'s code says so) is transient; any other may have left the post made,
 * and is `unknown` (lostAnswer).
 */
export function networkFailure (platform: string, error?: unknown, repeatable = true): PlatformFailure {
  if (repeatable || neverSent(error)) return new PlatformFailure('transient', `${platform} could not be reached`)
  return lostAnswer(`${platform} gave no answer after the request was sent (it timed out or the connection broke)`)
}

/** A post's HTTP failure on a platform that cannot deduplicate: a 504 (a gateway gave up on the platform, which may have posted) is `unknown`. */
export function failureOfUnrepeatablePost (platform: string, status: number, retryAfterMs?: number): PlatformFailure {
  return status === 504 ? lostAnswer(`${platform} answered HTTP 504 (a gateway gave up waiting for it)`) : failureOfStatus(platform, status, retryAfterMs)
}

function lostAnswer (what: string): PlatformFailure {
  return new PlatformFailure('unknown', `${what}: the post may have been made, and is not sent again`)
}

/**
 * Node's and undici's codes of a connection never made (refused, no such host, no route, the
 * connect timed out, the server's certificate refused): nothing was sent. A reset or closed
 * socket, a timeout of the whole call or anything unknown may come after the request went out.
 */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
])

/** Whether `error` (or one of its causes: fetch wraps the socket's error) names a connection never made. */
export function neverSent (error: unknown): boolean {
  let current = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, cause } = current as { code?: unknown, cause?: unknown }
    if (typeof code === 'string' && NEVER_SENT_CODES.has(code)) return true
    current = cause
  }
  return false
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
