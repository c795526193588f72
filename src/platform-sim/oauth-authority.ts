import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

// The simulator's OAuth 2.0 authorization server state (RFC 6749 authorization code grant with
// PKCE, RFC 7636; refresh; revocation, RFC 7009): which clients exist, which codes are pending,
// which grants are live. Pure bookkeeping over a clock; the HTTP side is oauth-routes.ts.

/** A client the simulator accepts: one per simulated platform unless told otherwise. */
export interface SimClient {
  readonly platform: string
  readonly clientId: string
  readonly clientSecret: string
}

/** What a consent produced: the authorization request's fields and the account that approved. */
export interface Consent {
  readonly clientId: string
  readonly redirectUri: string
  readonly scope: string
  readonly codeChallenge: string
  readonly account: string
}

/** A live grant: the tokens issued to one client for one account. */
export interface Grant {
  readonly platform: string
  readonly clientId: string
  readonly account: string
  readonly scope: string
  readonly accessToken: string
  readonly refreshToken: string
  readonly expiresAtMs: number
}

/** The token endpoint's answer (RFC 6749 §5.1), with Mastodon's `created_at`. */
export interface TokenResponse {
  readonly access_token: string
  readonly refresh_token: string
  readonly token_type: 'bearer'
  readonly expires_in: number
  readonly scope: string
  readonly created_at: number
}

/** An OAuth error (RFC 6749 §5.2) with the HTTP status it is answered with. */
export interface OAuthError {
  readonly status: number
  readonly error: string
  readonly description: string
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 2 * 60 * 60
/** RFC 6749 §4.1.2 recommends at most 10 minutes; a minute is plenty for a test or a person. */
export const CODE_LIFETIME_MS = 60_000
/** Ours: live grants and pending codes kept at most; the oldest go first (bounded memory). */
export const MAX_GRANTS = 100_000
export const MAX_PENDING_CODES = 10_000

interface PendingCode extends Consent {
  readonly expiresAtMs: number
  /** The access token issued for it, once exchanged: a replay revokes that grant (RFC 6749 §4.1.2). */
  exchangedAs?: string
}

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/

export interface OAuthAuthorityOptions {
  readonly clients: readonly SimClient[]
  readonly tokenLifetimeSeconds?: number
  readonly now?: () => number
  /** Grants issued by an earlier run (its `grants()`), live again: the demo's links survive a restart. */
  readonly grants?: readonly Grant[]
  /** Called after each change of the live grants (issued, refreshed, revoked), to keep them. */
  readonly onGrantsChanged?: () => void
}

export class OAuthAuthority {
  readonly #clients: ReadonlyMap<string, SimClient>
  readonly #lifetimeSeconds: number
  readonly #now: () => number
  readonly #codes = new Map<string, PendingCode>()
  readonly #byAccess = new Map<string, Grant>()
  readonly #byRefresh = new Map<string, Grant>()
  readonly #onGrantsChanged: () => void

  constructor (options: OAuthAuthorityOptions) {
    this.#clients = new Map(options.clients.map(client => [client.clientId, client]))
    this.#lifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS
    this.#now = options.now ?? Date.now
    this.#onGrantsChanged = options.onGrantsChanged ?? (() => {})
    // The latest MAX_GRANTS of a known client: a grant of a client no longer accepted is gone.
    for (const grant of (options.grants ?? []).filter(grant => this.#clients.get(grant.clientId)?.platform === grant.platform).slice(-MAX_GRANTS)) {
      this.#byAccess.set(grant.accessToken, grant)
      this.#byRefresh.set(grant.refreshToken, grant)
    }
  }

  /** The live grants, oldest first (expired access tokens included: their refresh tokens still work). */
  grants (): Grant[] {
    return [...this.#byAccess.values()]
  }

  client (clientId: string): SimClient | undefined {
    return this.#clients.get(clientId)
  }

  /** The client whose id and secret these are, or undefined. */
  authenticateClient (clientId: string, clientSecret: string): SimClient | undefined {
    const client = this.#clients.get(clientId)
    if (client === undefined) return undefined
    const given = Buffer.from(clientSecret)
    const expected = Buffer.from(client.clientSecret)
    return given.length === expected.length && timingSafeEqual(given, expected) ? client : undefined
  }

  /** A fresh authorization code for an approved consent. */
  issueCode (consent: Consent): string {
    this.#dropExpiredCodes()
    if (this.#codes.size >= MAX_PENDING_CODES) this.#codes.delete(this.#codes.keys().next().value as string)
    const code = randomToken()
    this.#codes.set(code, { ...consent, expiresAtMs: this.#now() + CODE_LIFETIME_MS })
    return code
  }

  /** The authorization_code grant: the code once, for its client and redirect URI, with the verifier of its challenge. */
  exchangeCode (client: SimClient, request: { code: string, redirectUri: string, codeVerifier: string }): TokenResponse | OAuthError {
    const pending = this.#codes.get(request.code)
    if (pending === undefined || pending.expiresAtMs <= this.#now()) return invalidGrant('unknown or expired authorization code')
    if (pending.exchangedAs !== undefined) {
      // A replayed code: the grant it gave may be in a thief's hands.
      this.#revokeGrant(this.#byAccess.get(pending.exchangedAs))
      return invalidGrant('authorization code already used')
    }
    if (pending.clientId !== client.clientId) return invalidGrant('authorization code issued to another client')
    if (pending.redirectUri !== request.redirectUri) return invalidGrant('redirect_uri differs from the authorization request\'s')
    if (!CODE_VERIFIER.test(request.codeVerifier)) return { status: 400, error: 'invalid_request', description: 'code_verifier must be 43 to 128 unreserved characters' }
    if (s256(request.codeVerifier) !== pending.codeChallenge) return invalidGrant('code_verifier does not match the code_challenge')
    const response = this.#issueGrant(client, pending.account, pending.scope)
    pending.exchangedAs = response.access_token
    return response
  }

  /** The refresh_token grant: new tokens, the old pair revoked (rotation, as X does). */
  refresh (client: SimClient, refreshToken: string): TokenResponse | OAuthError {
    const grant = this.#byRefresh.get(refreshToken)
    if (grant === undefined || grant.clientId !== client.clientId) return invalidGrant('unknown or revoked refresh token')
    this.#revokeGrant(grant)
    return this.#issueGrant(client, grant.account, grant.scope)
  }

  /** Revokes the grant of an access or refresh token of this client (RFC 7009: an unknown token is no error). */
  revoke (client: SimClient, token: string): void {
    const grant = this.#byAccess.get(token) ?? this.#byRefresh.get(token)
    if (grant?.clientId === client.clientId) this.#revokeGrant(grant)
  }

  /** The live grant of an access token for this platform, or undefined when unknown, revoked, expired or another platform's. */
  grantOf (platform: string, accessToken: string): Grant | undefined {
    const grant = this.#byAccess.get(accessToken)
    if (grant === undefined || grant.platform !== platform || grant.expiresAtMs <= this.#now()) return undefined
    return grant
  }

  #issueGrant (client: SimClient, account: string, scope: string): TokenResponse {
    if (this.#byAccess.size >= MAX_GRANTS) this.#revokeGrant(this.#byAccess.values().next().value)
    const nowMs = this.#now()
    const grant: Grant = {
      platform: client.platform,
      clientId: client.clientId,
      account,
      scope,
      accessToken: randomToken(),
      refreshToken: randomToken(),
      expiresAtMs: nowMs + this.#lifetimeSeconds * 1000
    }
    this.#byAccess.set(grant.accessToken, grant)
    this.#byRefresh.set(grant.refreshToken, grant)
    this.#onGrantsChanged()
    return {
      access_token: grant.accessToken,
      refresh_token: grant.refreshToken,
      token_type: 'bearer',
      expires_in: this.#lifetimeSeconds,
      scope,
      created_at: Math.floor(nowMs / 1000)
    }
  }

  #revokeGrant (grant: Grant | undefined): void {
    if (grant === undefined) return
    this.#byAccess.delete(grant.accessToken)
    this.#byRefresh.delete(grant.refreshToken)
    this.#onGrantsChanged()
  }

  #dropExpiredCodes (): void {
    const nowMs = this.#now()
    // Codes are kept in issue order with one lifetime: the expired ones are at the front.
    // Exchanged codes stay until they expire, so that a replay is recognised.
    for (const [code, pending] of this.#codes) {
      if (pending.expiresAtMs > nowMs) return
      this.#codes.delete(code)
    }
  }
}

/** BASE64URL(SHA256(verifier)), RFC 7636 §4.2. */
export function s256 (codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url')
}

function randomToken (): string {
  return randomBytes(24).toString('base64url')
}

function invalidGrant (description: string): OAuthError {
  return { status: 400, error: 'invalid_grant', description }
}
