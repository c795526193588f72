import { createHash } from 'node:crypto'
import type { AuthorizationUrl } from './platform-adapter.ts'

// The authorization request of the code grant with PKCE (RFC 6749 §4.1.1, RFC 7636 §4.3), built
// here rather than by a client library: the app's code verifier must be the one challenged, and
// twitter-api-v2 makes its own.

export interface AuthorizationRequestParts {
  readonly endpoint: string
  readonly clientId: string
  readonly redirectUrl: string
  readonly scopes: readonly string[]
  readonly state: string
  readonly codeVerifier: string
}

export function authorizationUrlOf (parts: AuthorizationRequestParts): AuthorizationUrl {
  const url = new URL(parts.endpoint)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', parts.clientId)
  url.searchParams.set('redirect_uri', parts.redirectUrl)
  url.searchParams.set('scope', parts.scopes.join(' '))
  url.searchParams.set('state', parts.state)
  url.searchParams.set('code_challenge', createHash('sha256').update(parts.codeVerifier, 'ascii').digest('base64url'))
  url.searchParams.set('code_challenge_method', 'S256')
  // The response's scope is comma-separated, as upstream's adapters answer it.
  return { url: url.toString(), scope: parts.scopes.join(','), clientId: parts.clientId, redirectUrl: parts.redirectUrl }
}
