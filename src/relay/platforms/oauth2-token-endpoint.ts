import { storedToken } from './oauth2-token.ts'
import { PlatformFailure, type PlatformToken } from './platform-adapter.ts'
import { failureOfStatus, failureOfTokenEndpoint } from './platform-http-failure.ts'
import { okResponse, platformFetch } from './platform-fetch.ts'

// An OAuth 2.0 token endpoint and revocation endpoint called over fetch, for the adapters whose
// platform has no client library doing it (Gmail, Bluesky): the authorization code grant with the
// PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5), the refresh grant (§6) and revocation (RFC
// 7009). The client authenticates in the body (client_secret_post), which Google takes; a public
// client (atproto's) sends its id alone.

export interface TokenEndpointClient {
  /** The platform's display name, for failure texts. */
  readonly platform: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  readonly clientId: string
  readonly clientSecret?: string | undefined
  readonly timeoutMs?: number | undefined
  readonly now: () => number
}

export async function exchangeCodeForToken (client: TokenEndpointClient, request: { readonly code: string, readonly codeVerifier: string, readonly redirectUrl: string }): Promise<PlatformToken> {
  return await tokenRequest(client, { grant_type: 'authorization_code', code: request.code, code_verifier: request.codeVerifier, redirect_uri: request.redirectUrl },
    // A refused code (RFC 6749 §5.2: 400 invalid_grant) is the user's to retry with a new one, not a dead token.
    (platform, status, retryAfterMs) => status === 400 || status === 401
      ? new PlatformFailure('rejected', `${platform} refused the authorization code (HTTP ${status}): authorize again`)
      : failureOfStatus(platform, status, retryAfterMs))
}

/** The refresh grant; RFC 6749 §6 lets the server keep the refresh token and not send it again. */
export async function refreshAccessToken (client: TokenEndpointClient, token: PlatformToken, refreshToken: string): Promise<PlatformToken> {
  const refreshed = await tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken }, failureOfTokenEndpoint)
  return { ...token, ...refreshed, refresh_token: refreshed.refresh_token ?? refreshToken }
}

/** Revokes the refresh token (which ends the grant), else the access token. */
export async function revokeToken (client: TokenEndpointClient, token: PlatformToken): Promise<void> {
  const [value, hint] = typeof token.refresh_token === 'string' && token.refresh_token !== ''
    ? [token.refresh_token, 'refresh_token']
    : [typeof token.access_token === 'string' ? token.access_token : '', 'access_token']
  if (value === '') return
  await okResponse(client.platform, await platformFetch(client.platform, client.revokeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: value, token_type_hint: hint, ...credentialsOf(client) })
  }, client.timeoutMs))
}

async function tokenRequest (client: TokenEndpointClient, grant: Record<string, string>, ofStatus: (platform: string, status: number, retryAfterMs?: number) => PlatformFailure): Promise<PlatformToken> {
  const response = await okResponse(client.platform, await platformFetch(client.platform, client.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ ...grant, ...credentialsOf(client) })
  }, client.timeoutMs), ofStatus)
  const answer: unknown = await response.json().catch(() => undefined)
  const fields = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>
  if (typeof fields.access_token !== 'string' || fields.access_token === '') throw new PlatformFailure('transient', `${client.platform} answered the token request without an access token`)
  return storedToken({
    access_token: fields.access_token,
    refresh_token: typeof fields.refresh_token === 'string' ? fields.refresh_token : undefined,
    expires_in: typeof fields.expires_in === 'number' ? fields.expires_in : undefined,
    scope: typeof fields.scope === 'string' ? fields.scope : undefined,
    token_type: typeof fields.token_type === 'string' ? fields.token_type : undefined
  }, client.now())
}

function credentialsOf (client: TokenEndpointClient): Record<string, string> {
  return client.clientSecret === undefined ? { client_id: client.clientId } : { client_id: client.clientId, client_secret: client.clientSecret }
}
