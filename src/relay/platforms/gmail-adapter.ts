import { authorizationUrlOf } from './authorization-url.ts'
import { encodeEmailMessage } from './email-message.ts'
import { exchangeCodeForToken, refreshAccessToken, revokeToken, type TokenEndpointClient } from './oauth2-token-endpoint.ts'
import { accessTokenOf, grantsScopes } from './oauth2-token.ts'
import { PlatformFailure, type OAuth2Adapter, type PlatformToken } from './platform-adapter.ts'
import { okResponse, platformFetch } from './platform-fetch.ts'
import { failureOfUnrepeatablePost } from './platform-http-failure.ts'
import { publishThread } from './thread-publishing.ts'

// Gmail over its REST API with fetch (no googleapis package). The facts are upstream
// gmail-oauth2-adapter's (adapter.py, config.py): Google's authorization parameters
// access_type=offline and prompt=consent (a refresh token every time), its four scopes, a token
// refused without a refresh token or without every scope, the account identifier from the OpenID
// userinfo endpoint (gmail.send alone may not read users.getProfile), and users.messages.send
// with the whole RFC 5322 message in `raw`.

export const GMAIL_SCOPES: readonly string[] = Object.freeze([
  'openid',
  'https://www.googleapis.com/auth/gmail.send',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/userinfo.email'
])

export interface GmailAdapterOptions {
  /** Serves /oauth2/v3/userinfo and /gmail/v1/users/me/messages/send: https://www.googleapis.com (relay.platforms.gmail.baseUrl). */
  readonly baseUrl: string
  readonly authorizationUrl: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUrl: string
  readonly timeoutMs?: number
  readonly now?: () => number
}

const PLATFORM = 'Gmail'

export function gmailAdapter (options: GmailAdapterOptions): OAuth2Adapter {
  const now = options.now ?? Date.now
  const endpoints: TokenEndpointClient = { ...options, platform: PLATFORM, now }
  const api = (path: string): URL => new URL(path, options.baseUrl)

  async function accountEmailOf (token: PlatformToken): Promise<string> {
    const response = await okResponse(PLATFORM, await platformFetch(PLATFORM, api('/oauth2/v3/userinfo'), {
      headers: { authorization: `Bearer ${accessTokenOf(token, PLATFORM)}`, accept: 'application/json' }
    }, options.timeoutMs))
    const { email } = await response.json() as { email?: unknown }
    if (typeof email !== 'string' || email === '') throw new PlatformFailure('rejected', `${PLATFORM} did not tell the account's e-mail address`)
    return email
  }

  return {
    protocol: 'oauth2',

    authorizationUrl: request => {
      const authorization = authorizationUrlOf({
        endpoint: options.authorizationUrl,
        clientId: options.clientId,
        redirectUrl: request.redirectUrl ?? options.redirectUrl,
        scopes: GMAIL_SCOPES,
        state: request.state,
        codeVerifier: request.codeVerifier
      })
      const url = new URL(authorization.url)
      url.searchParams.set('access_type', 'offline')
      url.searchParams.set('prompt', 'consent')
      return { ...authorization, url: url.toString() }
    },

    async exchangeCode (request) {
      const token = await exchangeCodeForToken(endpoints, { code: request.code, codeVerifier: request.codeVerifier, redirectUrl: request.redirectUrl ?? options.redirectUrl })
      // Upstream's two checks: sending later needs the refresh token and every scope.
      if (token.refresh_token === undefined) throw new PlatformFailure('rejected', `${PLATFORM} gave no refresh token: authorize again`)
      if (!grantsScopes(token.scope as string | undefined, GMAIL_SCOPES)) throw new PlatformFailure('rejected', `${PLATFORM} did not grant the permissions needed (${GMAIL_SCOPES.join(', ')})`)
      return { token, accountIdentifier: await accountEmailOf(token) }
    },

    async publish (token, content) {
      if (content.serviceType !== 'email') throw new PlatformFailure('rejected', `${PLATFORM} takes email content, not ${content.serviceType}`)
      // The message is checked (and a header injection refused) before any call.
      const raw = encodeEmailMessage(content).toString('base64url')
      // One message is a thread of one: the same refresh rules as every OAuth 2.0 platform.
      return await publishThread({
        platform: PLATFORM,
        now,
        refresh: async refreshToken => await refreshAccessToken(endpoints, token, refreshToken),
        // Gmail takes no key to tell a repeated send from a new one: an answer lost after the
        // request went out (a timeout, a broken connection, a 504) is `unknown`, never sent again.
        post: async accessToken => {
          const response = await okResponse(PLATFORM, await platformFetch(PLATFORM, api('/gmail/v1/users/me/messages/send'), {
            method: 'POST',
            headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ raw })
          }, options.timeoutMs, false), failureOfUnrepeatablePost)
          // A 2xx says the message was sent, even when its body is then cut off; its id is not needed (no thread).
          const { id } = await response.json().catch(() => ({})) as { id?: unknown }
          return String(id ?? '')
        }
      }, token, [raw])
    },

    async revoke (token) {
      // Upstream refreshes, then revokes the refresh token; revoking the refresh token ends the
      // grant by itself (Google's rule and RFC 7009's), without a refresh that fails on a dead grant.
      await revokeToken(endpoints, token)
    }
  }
}
