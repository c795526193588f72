import type { PlatformFailure } from './platform-adapter.ts'
import { DEFAULT_PLATFORM_TIMEOUT_MS, failureOfStatus, networkFailure, retryAfterMsOf } from './platform-http-failure.ts'

// fetch for the adapters that speak a platform's HTTP API themselves (Gmail's REST API, the OAuth
// token endpoints they call, Bluesky's PDS under @atproto/api): bounded in time, and every
// failure a PlatformFailure of platform-http-failure.ts's table. A platform's error body may echo
// content or a token, so it is read and dropped, never put in a message.

/**
 * The response, whatever its status; no answer at all (refused, reset, timed out) is a transient
 * PlatformFailure, or for a post the platform cannot deduplicate (`repeatable` false) an `unknown`
 * one unless the connection was never made (networkFailure).
 */
export async function platformFetch (platform: string, url: string | URL, init: RequestInit, timeoutMs = DEFAULT_PLATFORM_TIMEOUT_MS, repeatable = true): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
  } catch (error) {
    throw networkFailure(platform, error, repeatable)
  }
}

/** The response when it is 2xx; else its body is dropped and the status's PlatformFailure thrown. */
export async function okResponse (platform: string, response: Response, ofStatus: (platform: string, status: number, retryAfterMs?: number) => PlatformFailure = failureOfStatus): Promise<Response> {
  if (response.ok) return response
  await response.body?.cancel()
  throw ofStatus(platform, response.status, retryAfterMsOf(response.headers.get('retry-after'), Date.now()))
}
