import { PlatformFailure, type PlatformToken } from './platform-adapter.ts'

// The OAuth 2.0 token as the vault stores it (platform-adapter.ts, PlatformToken): the token
// endpoint's answer in its own snake_case fields, as upstream's adapters store it (authlib), with
// `expires_at` in Unix seconds added so that expiry is known without the time of issue.

/** The fields of a token endpoint's answer (RFC 6749 §5.1) an adapter keeps. */
export interface TokenAnswer {
  readonly access_token: string
  readonly refresh_token?: string | undefined
  readonly expires_in?: number | undefined
  readonly scope?: string | undefined
  readonly token_type?: string | undefined
}

/** Ours: a token this close to its expiry is refreshed before use rather than sent to fail. */
export const REFRESH_MARGIN_SECONDS = 60

/** The token to store for a token endpoint's answer received at `nowMs`. */
export function storedToken (answer: TokenAnswer, nowMs: number): PlatformToken {
  const token: Record<string, unknown> = { access_token: answer.access_token, token_type: answer.token_type ?? 'bearer' }
  if (answer.refresh_token !== undefined && answer.refresh_token !== '') token.refresh_token = answer.refresh_token
  if (answer.scope !== undefined) token.scope = answer.scope
  if (answer.expires_in !== undefined && Number.isFinite(answer.expires_in)) {
    token.expires_in = answer.expires_in
    token.expires_at = Math.floor(nowMs / 1000) + answer.expires_in
  }
  return token
}

/** The access token; a stored token without one can only be linked again. */
export function accessTokenOf (token: PlatformToken, platform: string): string {
  const access = token.access_token
  if (typeof access !== 'string' || access === '') throw new PlatformFailure('token-invalid', `the stored ${platform} token has no access token: link the account again`)
  return access
}

export function refreshTokenOf (token: PlatformToken): string | undefined {
  const refresh = token.refresh_token
  return typeof refresh === 'string' && refresh !== '' ? refresh : undefined
}

/** True when the token has an expiry and is past it, or within REFRESH_MARGIN_SECONDS of it. */
export function expiresSoon (token: PlatformToken, nowMs: number): boolean {
  const expiresAt = token.expires_at
  return typeof expiresAt === 'number' && expiresAt <= nowMs / 1000 + REFRESH_MARGIN_SECONDS
}

/** Whether the granted scope (space- or comma-separated) holds every scope asked for. */
export function grantsScopes (granted: string | undefined, wanted: readonly string[]): boolean {
  const scopes = new Set((granted ?? '').split(/[\s,]+/).filter(scope => scope !== ''))
  return wanted.every(scope => scopes.has(scope))
}
