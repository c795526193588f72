import { createOAuthAPIClient, createRestAPIClient, MastoHttpError, type mastodon } from 'masto'
import { grantsScopes, storedToken } from './oauth2-token.ts'
import { authorizationUrlOf } from './authorization-url.ts'
import { PlatformFailure, type LinkedAccount, type OAuth2Adapter, type PlatformToken } from './platform-adapter.ts'
import { DEFAULT_PLATFORM_TIMEOUT_MS, failureOfStatus, failureOfTokenEndpoint, networkFailure, retryAfterMsOf } from './platform-http-failure.ts'
import { MASTODON_POST_CHARACTERS, splitIntoPosts } from './post-thread.ts'
import { idempotencyKeyOf } from './publish-idempotency.ts'
import { publishThread, textBodyOf } from './thread-publishing.ts'

// Mastodon over `masto` (v8), the instance at a configurable base URL: OAuth 2.0 with PKCE on
// the instance's /oauth/authorize and /oauth/token (masto's OAuth client), the account from
// verify_credentials, statuses of at most 500 characters as a reply thread, each with an
// Idempotency-Key of the publication's, revoke.

/** Upstream's adapter's scopes (mastodon-oauth2-adapter, config.py). */
export const MASTODON_SCOPES: readonly string[] = ['profile', 'write:statuses', 'write:media']
const PLATFORM = 'Mastodon'

export interface MastodonAdapterOptions {
  /** The instance, e.g. https://mastodon.social (relay.platforms.mastodon.baseUrl). */
  readonly baseUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUrl: string
  readonly timeoutMs?: number
  readonly now?: () => number
}

export function mastodonAdapter (options: MastodonAdapterOptions): OAuth2Adapter {
  const timeout = options.timeoutMs ?? DEFAULT_PLATFORM_TIMEOUT_MS
  const now = options.now ?? Date.now
  const oauth = createOAuthAPIClient({ url: options.baseUrl, timeout })
  // One client for every account: each call carries its account's token in its own headers, so
  // no client object (and no token) outlives the call.
  const rest = createRestAPIClient({ url: options.baseUrl, timeout })
  const as = (accessToken: string, headers: Record<string, string> = {}): { requestInit: { headers: Record<string, string> } } => ({ requestInit: { headers: { ...headers, authorization: `Bearer ${accessToken}` } } })

  // masto's token parameters name only the grants of Mastodon's docs, but it sends every field it
  // is given (snake_cased): the PKCE verifier and the refresh grant go through it all the same.
  const createToken = async (params: Record<string, string>): Promise<PlatformToken> => {
    const answer = await oauth.token.create({ clientId: options.clientId, clientSecret: options.clientSecret, ...params } as unknown as mastodon.oauth.CreateTokenParams) as unknown as Record<string, unknown>
    return storedToken({
      access_token: String(answer.accessToken),
      refresh_token: typeof answer.refreshToken === 'string' ? answer.refreshToken : undefined,
      expires_in: typeof answer.expiresIn === 'number' ? answer.expiresIn : undefined,
      scope: typeof answer.scope === 'string' ? answer.scope : undefined,
      token_type: typeof answer.tokenType === 'string' ? answer.tokenType : undefined
    }, now())
  }

  return {
    protocol: 'oauth2',

    authorizationUrl: request => authorizationUrlOf({
      endpoint: new URL('/oauth/authorize', options.baseUrl).toString(),
      clientId: options.clientId,
      redirectUrl: request.redirectUrl ?? options.redirectUrl,
      scopes: MASTODON_SCOPES,
      state: request.state,
      codeVerifier: request.codeVerifier
    }),

    async exchangeCode (request): Promise<LinkedAccount> {
      // A code or verifier refused (400) is the request's fault, not a token's: rejected.
      const token = await createToken({ grantType: 'authorization_code', code: request.code, codeVerifier: request.codeVerifier, redirectUri: request.redirectUrl ?? options.redirectUrl })
        .catch(error => { throw failureOf(error, failureOfStatus) })
      if (!grantsScopes(token.scope as string | undefined, MASTODON_SCOPES)) throw new PlatformFailure('rejected', `${PLATFORM} did not grant the permissions needed (${MASTODON_SCOPES.join(', ')})`)
      const account = await rest.v1.accounts.verifyCredentials(undefined, as(token.access_token as string)).catch(error => { throw failureOf(error, failureOfStatus) })
      return { token, accountIdentifier: account.acct }
    },

    publish: async (token, content, posted, idempotency) => await publishThread({
      platform: PLATFORM,
      now,
      refresh: async refreshToken => await createToken({ grantType: 'refresh_token', refreshToken }).catch(error => { throw failureOf(error, failureOfTokenEndpoint) }),
      // Mastodon keeps a status's Idempotency-Key an hour (per account) and answers a repeat with
      // the status it made first (PostStatusService): a retry after a lost answer posts nothing new.
      post: async (accessToken, text, inReplyTo, _root, index) => {
        const headers: Record<string, string> = idempotency === undefined ? {} : { 'idempotency-key': idempotencyKeyOf(idempotency, index) }
        const status = await rest.v1.statuses.create({ status: text, inReplyToId: inReplyTo ?? null }, as(accessToken, headers)).catch(error => { throw failureOf(error, failureOfStatus) })
        return status.id
      }
    }, token, splitIntoPosts(textBodyOf(content, PLATFORM), MASTODON_POST_CHARACTERS), posted),

    async revoke (token): Promise<void> {
      const revoked = typeof token.access_token === 'string' ? token.access_token : undefined
      if (revoked === undefined) return
      await oauth.revoke({ clientId: options.clientId, clientSecret: options.clientSecret, token: revoked }).catch(error => { throw failureOf(error, failureOfStatus) })
    }
  }
}

/** masto's error as a PlatformFailure: an HTTP error by its status (Retry-After from the response it keeps), anything else a failure to reach the instance. */
function failureOf (error: unknown, ofStatus: (platform: string, status: number, retryAfterMs?: number) => PlatformFailure): PlatformFailure {
  if (error instanceof PlatformFailure) return error
  if (error instanceof MastoHttpError) {
    const response = error.cause instanceof Response ? error.cause : undefined
    return ofStatus(PLATFORM, error.statusCode, retryAfterMsOf(response?.headers.get('retry-after'), Date.now()))
  }
  return networkFailure(PLATFORM)
}
