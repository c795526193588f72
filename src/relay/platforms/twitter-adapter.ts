import { ApiRequestError, ApiResponseError, TwitterApi, type IParsedOAuth2TokenResult } from 'twitter-api-v2'
import { authorizationUrlOf } from './authorization-url.ts'
import { grantsScopes, storedToken } from './oauth2-token.ts'
import { PlatformFailure, type LinkedAccount, type OAuth2Adapter, type PlatformToken } from './platform-adapter.ts'
import { DEFAULT_PLATFORM_TIMEOUT_MS, failureOfStatus, failureOfTokenEndpoint, failureOfUnrepeatablePost, networkFailure, retryAfterMsOf } from './platform-http-failure.ts'
import { splitIntoPosts, X_POST_CHARACTERS } from './post-thread.ts'
import { publishThread, textBodyOf } from './thread-publishing.ts'
import { twitterClientSettings } from './twitter-base-url.ts'

// X over `twitter-api-v2`, at a configurable API base URL (twitter-base-url.ts): OAuth 2.0 with
// PKCE (the authorize page is its own URL), the account from /2/users/me, posts of at most 280
// characters as a reply thread, refresh (X rotates refresh tokens), revoke.

/** Upstream's adapter's scopes (twitter-oauth2-adapter, adapter.py); offline.access brings the refresh token. */
export const X_SCOPES: readonly string[] = ['tweet.write', 'users.read', 'tweet.read', 'offline.access']
const PLATFORM = 'X'

export interface TwitterAdapterOptions {
  /** X's API, https://api.x.com (relay.platforms.twitter.baseUrl); its token and revoke endpoints are under it. */
  readonly baseUrl: string
  /** The authorize page, https://x.com/i/oauth2/authorize. */
  readonly authorizationUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUrl: string
  readonly timeoutMs?: number
  readonly now?: () => number
}

export function twitterAdapter (options: TwitterAdapterOptions): OAuth2Adapter {
  const now = options.now ?? Date.now
  const settings = twitterClientSettings(options.baseUrl, options.timeoutMs ?? DEFAULT_PLATFORM_TIMEOUT_MS)
  const app = new TwitterApi({ clientId: options.clientId, clientSecret: options.clientSecret }, settings)
  const tokenOf = (result: IParsedOAuth2TokenResult): PlatformToken => storedToken({
    access_token: result.accessToken,
    refresh_token: result.refreshToken,
    expires_in: result.expiresIn,
    scope: result.scope.join(' '),
    token_type: 'bearer'
  }, now())

  return {
    protocol: 'oauth2',

    authorizationUrl: request => authorizationUrlOf({
      endpoint: options.authorizationUrl,
      clientId: options.clientId,
      redirectUrl: request.redirectUrl ?? options.redirectUrl,
      scopes: X_SCOPES,
      state: request.state,
      codeVerifier: request.codeVerifier
    }),

    async exchangeCode (request): Promise<LinkedAccount> {
      // A code or verifier refused (400) is the request's fault, not a token's: rejected.
      const result = await app.loginWithOAuth2({ code: request.code, codeVerifier: request.codeVerifier, redirectUri: request.redirectUrl ?? options.redirectUrl })
        .catch(error => { throw failureOf(error, failureOfStatus) })
      const token = tokenOf(result)
      if (!grantsScopes(token.scope as string, X_SCOPES)) throw new PlatformFailure('rejected', `${PLATFORM} did not grant the permissions needed (${X_SCOPES.join(', ')})`)
      const me = await result.client.v2.me().catch(error => { throw failureOf(error, failureOfStatus) })
      return { token, accountIdentifier: me.data.username }
    },

    publish: async (token, content, posted) => await publishThread({
      platform: PLATFORM,
      now,
      refresh: async refreshToken => tokenOf(await app.refreshOAuth2Token(refreshToken).catch(error => { throw failureOf(error, failureOfTokenEndpoint) })),
      post: async (accessToken, text, inReplyTo) => {
        const client = new TwitterApi(accessToken, settings)
        // X takes no key to tell a repeated post from a new one: an answer lost after the request
        // went out (a timeout, a broken connection, a 504) is `unknown`, never posted again.
        const posted = await client.v2.tweet(text, inReplyTo === undefined ? {} : { reply: { in_reply_to_tweet_id: inReplyTo } })
          .catch(error => { throw failureOf(error, failureOfUnrepeatablePost, false) })
        return posted.data.id
      }
    }, token, splitIntoPosts(textBodyOf(content, PLATFORM), X_POST_CHARACTERS), posted),

    async revoke (token): Promise<void> {
      // Revoking the refresh token ends the grant; a token without one is revoked by its access token.
      const refresh = typeof token.refresh_token === 'string' ? token.refresh_token : undefined
      const access = typeof token.access_token === 'string' ? token.access_token : undefined
      if (refresh === undefined && access === undefined) return
      await (refresh === undefined ? app.revokeOAuth2Token(access as string, 'access_token') : app.revokeOAuth2Token(refresh, 'refresh_token'))
        .catch(error => { throw failureOf(error, failureOfStatus) })
    }
  }
}

/**
 * twitter-api-v2's error as a PlatformFailure: an HTTP error by its status (the 429's wait from
 * Retry-After, else x-rate-limit-reset), anything else a failure to reach X (the library keeps the
 * socket's error in `requestError`; `repeatable` as networkFailure's).
 */
function failureOf (error: unknown, ofStatus: (platform: string, status: number, retryAfterMs?: number) => PlatformFailure, repeatable = true): PlatformFailure {
  if (error instanceof PlatformFailure) return error
  if (error instanceof ApiResponseError) {
    const nowMs = Date.now()
    const retryAfter = error.headers['retry-after']
    const resetMs = error.rateLimit?.reset === undefined ? undefined : Math.max(0, error.rateLimit.reset * 1000 - nowMs)
    return ofStatus(PLATFORM, error.code, retryAfterMsOf(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, nowMs) ?? resetMs)
  }
  return networkFailure(PLATFORM, error instanceof ApiRequestError ? socketErrorOf(error) : error, repeatable)
}

/**
 * The socket's error of a request that got no answer. twitter-api-v2 (1.29) builds its
 * ApiRequestError with `{ error }` where its `requestError` getter reads `requestError`, so the
 * getter is undefined; the error is in the options it keeps.
 */
function socketErrorOf (error: ApiRequestError): unknown {
  return error.requestError ?? (error as unknown as { _options?: { error?: unknown } })._options?.error
}
