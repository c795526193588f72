import { isExpired, refreshToken, type OAuth2ClientOptions } from './oauth2-client.ts'
import { PlatformFailure, type PlatformToken, type Published } from './platform-adapter.ts'

/**
 * Runs `call` with a usable token: refreshed first when its `expires_at` has passed, and refreshed
 * once more when the platform answers 401 anyway (revoked or expired early: clocks differ). A
 * second 401, or a refused refresh, is `token-invalid`. Resolves with the refreshed token to be
 * stored back, if there was a refresh; a failure after a refresh carries it (`refreshedToken`).
 */
export async function withFreshToken (options: OAuth2ClientOptions, token: PlatformToken, call: (token: PlatformToken) => Promise<void>): Promise<Published> {
  let current = isExpired(token) ? await refreshToken(options, token) : token
  try {
    try {
      await call(current)
    } catch (error) {
      if (!(error instanceof PlatformFailure) || error.kind !== 'token-invalid' || current !== token) throw error
      current = await refreshToken(options, token)
      await call(current)
    }
  } catch (error) {
    // A refresh that happened must reach the store even when the call then failed.
    if (current === token || !(error instanceof PlatformFailure)) throw error
    throw new PlatformFailure(error.kind, error.message, error.retryAfterMs, current)
  }
  return current === token ? {} : { refreshedToken: current }
}
