import type { EmailContent, MessageContent, TextContent } from '../payload/content.ts'
import { encodeEmailMessage } from './email-message.ts'
import { okResponse, platformFetch } from './http-failure.ts'
import { accessTokenOf, authorizationUrlOf, exchangeCode, revokeToken, type OAuth2ClientOptions } from './oauth2-client.ts'
import { PlatformFailure, type OAuth2Adapter, type PlatformToken } from './platform-adapter.ts'
import { withFreshToken } from './with-fresh-token.ts'

// Gmail over its REST API with fetch (no googleapis package): the facts are upstream
// gmail-oauth2-adapter's (adapter.py, config.py): Google's authorization parameters
// access_type=offline and prompt=consent (so a refresh token comes back every time), its four
// scopes, the account identifier from the userinfo endpoint (gmail.send alone may not read
// users.getProfile), and users.messages.send with the whole message in `raw`.

export const GMAIL_SCOPES: readonly string[] = Object.freeze([
  'openid',
  'https://www.googleapis.com/auth/gmail.send',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/userinfo.email'
])

/** Google's endpoints, the defaults of upstream's config.py; a deployment on the simulator points all four at it. */
export const GMAIL_DEFAULT_URLS = Object.freeze({
  apiBaseUrl: 'https://www.googleapis.com',
  authorizationUrl: 'https://accounts.google.com/o/oauth2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke'
})

export interface GmailAdapterOptions {
  /** Serves /oauth2/v3/userinfo and /gmail/v1/users/me/messages/send. */
  readonly apiBaseUrl: string
  readonly authorizationUrl: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUrl: string
}

const PLATFORM = 'Gmail'

export function gmailAdapter (options: GmailAdapterOptions): OAuth2Adapter {
  const oauth2: OAuth2ClientOptions = { ...options, platform: PLATFORM, scopes: GMAIL_SCOPES }
  const api = options.apiBaseUrl.replace(/\/+$/, '')

  async function accountEmailOf (token: PlatformToken): Promise<string> {
    const response = await okResponse(PLATFORM, await platformFetch(PLATFORM, `${api}/oauth2/v3/userinfo`, {
      headers: { authorization: `Bearer ${accessTokenOf(PLATFORM, token)}`, accept: 'application/json' }
    }))
    const { email } = await response.json() as { email?: unknown }
    if (typeof email !== 'string' || email === '') throw new PlatformFailure('rejected', 'Google did not tell the account\'s e-mail address (the userinfo.email scope is needed)')
    return email
  }

  return {
    protocol: 'oauth2',
    authorizationUrl: request => ({
      url: authorizationUrlOf(oauth2, request, { access_type: 'offline', prompt: 'consent' }),
      // Upstream answers with the scopes joined by commas (its get_authorization_url).
      scope: GMAIL_SCOPES.join(','),
      clientId: options.clientId,
      redirectUrl: request.redirectUrl ?? options.redirectUrl
    }),

    async exchangeCode (request) {
      const token = await exchangeCode(oauth2, request)
      // Upstream's two checks: publishing later needs the refresh token and every scope granted.
      if (typeof token.refresh_token !== 'string' || token.refresh_token === '') throw new PlatformFailure('rejected', 'No refresh token found in the response.')
      const granted = new Set(String(token.scope ?? '').split(' '))
      if (!GMAIL_SCOPES.every(scope => granted.has(scope))) throw new PlatformFailure('rejected', 'Invalid token: Scopes do not match.')
      return { token, accountIdentifier: await accountEmailOf(token) }
    },

    async publish (token, content: EmailContent | TextContent | MessageContent) {
      if (content.serviceType !== 'email') throw new PlatformFailure('rejected', 'Gmail publishes e-mail content only')
      const raw = encodeEmailMessage(content).toString('base64url')
      return await withFreshToken(oauth2, token, async current => {
        await okResponse(PLATFORM, await platformFetch(PLATFORM, `${api}/gmail/v1/users/me/messages/send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${accessTokenOf(PLATFORM, current)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ raw })
        }))
      })
    },

    async revoke (token) {
      // Upstream refreshes first, then revokes the refresh token; revoking the refresh token alone
      // ends the grant (Google's and RFC 7009's rule), without the refresh that fails on a dead grant.
      await revokeToken(oauth2, token)
    }
  }
}
