import { consentPage, DEFAULT_SIM_ACCOUNT, type AuthorizationRequest } from './consent-page.ts'
import type { OAuthAuthority, OAuthError, SimClient } from './oauth-authority.ts'
import { basicCredentials, escapeHtml, formFields, html, json, redirect, type PlainRoute, type SimRequest, type SimResponse } from './sim-http.ts'

// The authorization server's HTTP side: the consent page and its form (RFC 6749 §4.1.1-2), the
// token endpoint (§4.1.3, §6) and revocation (RFC 7009). Clients authenticate with HTTP Basic or
// with client_id and client_secret in the body, as masto and twitter-api-v2 each do.

export interface OAuthPaths {
  readonly authorize: readonly string[]
  readonly token: readonly string[]
  readonly revoke: readonly string[]
}

const ACCOUNT = /^[A-Za-z0-9_-]{1,30}$/
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/
const MAX_FIELD_CHARS = 2048

/** The OAuth routes at every path given; `autoApprove` answers GET /oauth/authorize with the redirect at once (no browser). */
export function oauthRoutes (authority: OAuthAuthority, paths: OAuthPaths, options: { autoApprove: boolean }): PlainRoute[] {
  return [
    ...paths.authorize.map(path => ({ method: 'GET' as const, path, handle: (request: SimRequest) => showConsent(authority, request, options.autoApprove) })),
    ...paths.authorize.map(path => ({ method: 'POST' as const, path, handle: async (request: SimRequest) => decideConsent(authority, await formFields(request)) })),
    ...paths.token.map(path => ({ method: 'POST' as const, path, handle: async (request: SimRequest) => token(authority, request) })),
    ...paths.revoke.map(path => ({ method: 'POST' as const, path, handle: async (request: SimRequest) => revoke(authority, request) }))
  ]
}

function showConsent (authority: OAuthAuthority, request: SimRequest, autoApprove: boolean): SimResponse {
  const parsed = authorizationRequest(authority, Object.fromEntries(request.url.searchParams))
  if ('problem' in parsed) return html(400, `<!doctype html><title>Bad authorization request</title><p>${escapeHtml(parsed.problem)}</p>\n`)
  if (autoApprove) return approved(authority, parsed, DEFAULT_SIM_ACCOUNT)
  return html(200, consentPage(request.url.pathname, parsed))
}

function decideConsent (authority: OAuthAuthority, fields: Record<string, string>): SimResponse {
  const parsed = authorizationRequest(authority, fields)
  if ('problem' in parsed) return html(400, `<!doctype html><title>Bad authorization request</title><p>${escapeHtml(parsed.problem)}</p>\n`)
  if (fields.approve !== 'yes') return redirect(withQuery(parsed.redirectUri, { error: 'access_denied', state: parsed.state }))
  const account = fields.account ?? DEFAULT_SIM_ACCOUNT
  if (!ACCOUNT.test(account)) return html(400, '<!doctype html><title>Bad account</title><p>account must be 1 to 30 letters, digits, _ or -</p>\n')
  return approved(authority, parsed, account)
}

function approved (authority: OAuthAuthority, request: AuthorizationRequest, account: string): SimResponse {
  const code = authority.issueCode({ clientId: request.clientId, redirectUri: request.redirectUri, scope: request.scope, codeChallenge: request.codeChallenge, account })
  return redirect(withQuery(request.redirectUri, { code, state: request.state }))
}

/** The authorization request's fields checked; errors are shown, never redirected (RFC 6749 §4.1.2.1 for client and redirect URI). */
function authorizationRequest (authority: OAuthAuthority, fields: Record<string, string>): AuthorizationRequest | { problem: string } {
  const tooLong = Object.entries(fields).find(([, value]) => value.length > MAX_FIELD_CHARS)
  if (tooLong !== undefined) return { problem: `${tooLong[0]} is longer than ${MAX_FIELD_CHARS} characters` }
  const client = authority.client(fields.client_id ?? '')
  if (client === undefined) return { problem: 'unknown client_id' }
  const redirectUri = fields.redirect_uri ?? ''
  if (!URL.canParse(redirectUri)) return { problem: 'redirect_uri must be an absolute URL' }
  if (fields.response_type !== 'code') return { problem: 'response_type must be code' }
  // twitter-api-v2 writes the method in lower case; X accepts it, and so do we.
  if (fields.code_challenge_method?.toUpperCase() !== 'S256') return { problem: 'code_challenge_method must be S256 (PKCE is required)' }
  const codeChallenge = fields.code_challenge ?? ''
  if (!CODE_CHALLENGE.test(codeChallenge)) return { problem: 'code_challenge must be BASE64URL(SHA256(code_verifier)), 43 characters' }
  return { platform: client.platform, clientId: client.clientId, redirectUri, scope: fields.scope ?? '', state: fields.state ?? '', codeChallenge }
}

async function token (authority: OAuthAuthority, request: SimRequest): Promise<SimResponse> {
  const fields = await formFields(request)
  const client = authenticatedClient(authority, request, fields)
  if (client === undefined) return oauthError({ status: 401, error: 'invalid_client', description: 'unknown client or wrong client secret' })
  let answer
  if (fields.grant_type === 'authorization_code') {
    answer = authority.exchangeCode(client, { code: fields.code ?? '', redirectUri: fields.redirect_uri ?? '', codeVerifier: fields.code_verifier ?? '' })
  } else if (fields.grant_type === 'refresh_token') {
    answer = authority.refresh(client, fields.refresh_token ?? '')
  } else {
    return oauthError({ status: 400, error: 'unsupported_grant_type', description: 'grant_type must be authorization_code or refresh_token' })
  }
  if ('error' in answer) return oauthError(answer)
  return json(200, answer, { 'cache-control': 'no-store' })
}

async function revoke (authority: OAuthAuthority, request: SimRequest): Promise<SimResponse> {
  const fields = await formFields(request)
  const client = authenticatedClient(authority, request, fields)
  if (client === undefined) return oauthError({ status: 401, error: 'invalid_client', description: 'unknown client or wrong client secret' })
  if ((fields.token ?? '') === '') return oauthError({ status: 400, error: 'invalid_request', description: 'token is required' })
  authority.revoke(client, fields.token as string)
  return json(200, {})
}

function authenticatedClient (authority: OAuthAuthority, request: SimRequest, fields: Record<string, string>): SimClient | undefined {
  const basic = basicCredentials(request)
  if (basic !== undefined) return authority.authenticateClient(basic.id, basic.secret)
  return authority.authenticateClient(fields.client_id ?? '', fields.client_secret ?? '')
}

function oauthError (error: OAuthError): SimResponse {
  return json(error.status, { error: error.error, error_description: error.description }, { 'cache-control': 'no-store' })
}

function withQuery (base: string, query: Record<string, string>): string {
  const url = new URL(base)
  for (const [name, value] of Object.entries(query)) if (value !== '') url.searchParams.set(name, value)
  return url.toString()
}
