import { PlatformFailure } from './platform-adapter.ts'

// How an HTTP platform's answer becomes a PlatformFailure (the kinds the publisher retries on):
// one table for every adapter that speaks HTTP itself (Gmail, Bluesky's PDS, the OAuth2 token
// endpoints). The message names the platform and the status only: a platform's error body may
// echo content or a token, so it never reaches the message.

/** Ours: a platform that does not answer within this is treated as down for this attempt. */
export const PLATFORM_REQUEST_TIMEOUT_MS = 15_000

export function failureOfStatus (platform: string, status: number, retryAfter: string | null, nowMs = Date.now()): PlatformFailure {
  if (status === 401) return new PlatformFailure('token-invalid', `${platform} refused the token (HTTP 401); link the account again`)
  if (status === 429) return new PlatformFailure('rate-limited', `${platform} is rate-limiting (HTTP 429)`, retryAfterMs(retryAfter, nowMs))
  if (status >= 500) return new PlatformFailure('transient', `${platform} failed (HTTP ${status})`)
  return new PlatformFailure('rejected', `${platform} refused the request (HTTP ${status})`)
}

/** A fetch that threw: refused, reset, timed out; the same call may work later. */
export function failureOfNetworkError (platform: string, error: unknown): PlatformFailure {
  if (error instanceof PlatformFailure) return error
  const reason = error instanceof Error && error.name === 'TimeoutError' ? 'did not answer in time' : 'could not be reached'
  return new PlatformFailure('transient', `${platform} ${reason}`)
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; undefined when absent or
 * unreadable (the publisher then backs off on its own).
 */
export function retryAfterMs (header: string | null, nowMs = Date.now()): number | undefined {
  if (header === null) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // An HTTP-date names its day and month; Date.parse alone would take '-5' for a year.
  const at = /[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

/** fetch with the platform timeout; a thrown error becomes a transient PlatformFailure. */
export async function platformFetch (platform: string, url: string | URL, init: RequestInit, timeoutMs = PLATFORM_REQUEST_TIMEOUT_MS): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
  } catch (error) {
    throw failureOfNetworkError(platform, error)
  }
}

/** The response when it is 2xx, else its PlatformFailure (the body is read and dropped). */
export async function okResponse (platform: string, response: Response): Promise<Response> {
  if (response.ok) return response
  await response.body?.cancel()
  throw failureOfStatus(platform, response.status, response.headers.get('retry-after'))
}
