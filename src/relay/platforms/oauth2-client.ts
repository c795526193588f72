import { createHash } from 'node:crypto'
import { okResponse, platformFetch } from './http-failure.ts'
import { PlatformFailure, type PlatformToken } from './platform-adapter.ts'

// The OAuth2 side of an adapter that speaks HTTP itself (RFC 6749 authorization code grant with
// PKCE S256, RFC 7636; refresh, §6; revocation, RFC 7009): the authorization URL, the token
// endpoint's three grants and the revocation endpoint. The token is kept as the endpoint returned
// it, plus `expires_at` (Unix seconds) as upstream's authlib sessions store it.

export interface OAuth2ClientOptions {
  /** The platform's name in failure messages. */
  readonly platform: string
  readonly authorizationUrl: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  readonly clientId: string
  /** Absent for a public client; sent in the body (client_secret_post) otherwise. */
  readonly clientSecret?: string | undefined
  readonly redirectUrl: string
  readonly scopes: readonly string[]
}

/** Ours: a token this close to its expiry is refreshed before use rather than sent to fail. */
const EXPIRY_MARGIN_SECONDS = 60

export function codeChallengeOf (codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url')
}

export function authorizationUrlOf (options: OAuth2ClientOptions, request: { readonly state: string, readonly codeVerifier: string, readonly redirectUrl?: string | undefined }, extraParameters: Readonly<Record<string, string>> = {}): string {
  const url = new URL(options.authorizationUrl)
  const parameters = {
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: request.redirectUrl ?? options.redirectUrl,
    scope: options.scopes.join(' '),
    state: request.state,
    code_challenge: codeChallengeOf(request.codeVerifier),
    code_challenge_method: 'S256',
    ...extraParameters
  }
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value)
  return url.href
}

export async function exchangeCode (options: OAuth2ClientOptions, request: { readonly code: string, readonly codeVerifier: string, readonly redirectUrl?: string | undefined }): Promise<PlatformToken> {
  return await tokenRequest(options, {
    grant_type: 'authorization_code',
    code: request.code,
    code_verifier: request.codeVerifier,
    redirect_uri: request.redirectUrl ?? options.redirectUrl
  }, 'the authorization code is invalid or expired')
}

/** A new token for `token`'s refresh token; a refused refresh token is `token-invalid`. */
export async function refreshToken (options: OAuth2ClientOptions, token: PlatformToken): Promise<PlatformToken> {
  const refresh = token.refresh_token
  if (typeof refresh !== 'string' || refresh === '') throw new PlatformFailure('token-invalid', `the ${options.platform} token has expired and has no refresh token; link the account again`)
  const refreshed = await tokenRequest(options, { grant_type: 'refresh_token', refresh_token: refresh }, 'the refresh token was refused; link the account again', 'token-invalid')
  // RFC 6749 §6: the server may keep the refresh token and not send it again.
  return { ...token, ...refreshed, refresh_token: refreshed.refresh_token ?? refresh }
}

/** RFC 7009: revokes the refresh token (which ends the grant), else the access token. */
export async function revokeToken (options: OAuth2ClientOptions, token: PlatformToken): Promise<void> {
  const refresh = token.refresh_token
  const [value, hint] = typeof refresh === 'string' && refresh !== '' ? [refresh, 'refresh_token'] : [String(token.access_token ?? ''), 'access_token']
  await okResponse(options.platform, await platformFetch(options.platform, options.revokeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: value, token_type_hint: hint, ...clientParameters(options) })
  }))
}

export function isExpired (token: PlatformToken, nowMs = Date.now()): boolean {
  return typeof token.expires_at === 'number' && token.expires_at - EXPIRY_MARGIN_SECONDS <= nowMs / 1000
}

export function accessTokenOf (platform: string, token: PlatformToken): string {
  const access = token.access_token
  if (typeof access !== 'string' || access === '') throw new PlatformFailure('token-invalid', `the stored ${platform} token has no access token; link the account again`)
  return access
}

async function tokenRequest (options: OAuth2ClientOptions, grant: Record<string, string>, refusedMessage: string, refusedKind: 'rejected' | 'token-invalid' = 'rejected'): Promise<PlatformToken> {
  const response = await platformFetch(options.platform, options.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ ...grant, ...clientParameters(options) })
  })
  // RFC 6749 §5.2: a refused grant is 400 invalid_grant (some servers answer 401).
  if (response.status === 400 || response.status === 401) {
    await response.body?.cancel()
    throw new PlatformFailure(refusedKind, `${options.platform}: ${refusedMessage}`)
  }
  const body: unknown = await (await okResponse(options.platform, response)).json().catch(() => undefined)
  if (typeof body !== 'object' || body === null || typeof (body as PlatformToken).access_token !== 'string') {
    throw new PlatformFailure('transient', `${options.platform} answered the token request without an access token`)
  }
  const token = body as PlatformToken
  const expiresIn = token.expires_in
  return typeof expiresIn === 'number' ? { ...token, expires_at: Math.floor(Date.now() / 1000) + expiresIn } : token
}

function clientParameters (options: OAuth2ClientOptions): Record<string, string> {
  return options.clientSecret === undefined ? { client_id: options.clientId } : { client_id: options.clientId, client_secret: options.clientSecret }
}
