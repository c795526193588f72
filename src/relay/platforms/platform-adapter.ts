import type { EmailContent, MessageContent, TextContent } from '../payload/content.ts'
import type { PublishIdempotency } from './publish-idempotency.ts'

// What the publisher asks of a platform (relay.md §6, relay-wire.md §3): link an account, publish
// a decrypted content with the account's token, revoke. One adapter per platform of
// payload/platforms.ts, each over the platform's own client library with a configurable base URL
// (the platform simulator's in tests, the demo and the bench). The publisher owns the pipeline,
// the token storage (sealed, through the vault), retries and idempotency; an adapter owns only the
// platform's protocol.

/**
 * A platform token as the vault stores it (JSON text in EntityInternal's `token`): the OAuth2
 * token response's fields (`access_token`, `refresh_token`, `expires_at` in Unix seconds, `scope`,
 * `token_type`, `id_token`, ...) or, for Telegram, the session the adapter needs.
 */
export type PlatformToken = Readonly<Record<string, unknown>>

/** Why a platform call failed; the publisher retries only `transient` and `rate-limited`. */
export type PlatformFailureKind =
  /** The token is expired and could not be refreshed, or was revoked: the user must link again. */
  | 'token-invalid'
  /** 429 or the platform's own rate limit; `retryAfterMs` when the platform said. */
  | 'rate-limited'
  /** A 5xx, a reset connection, a timeout (where the post cannot repeat: else `unknown`): the same call may succeed later. */
  | 'transient'
  /** The platform refused the content or the request for good (4xx other than the above). */
  | 'rejected'
  /**
   * No answer once the request may have reached the platform (a timeout, a connection broken
   * after sending, a 504), on a platform that cannot tell a repeat from a new post (X, Gmail):
   * the post may exist. Never retried; the publication's outcome stays unknown.
   */
  | 'unknown'

/** A platform call's failure; `message` is safe to show the user and never holds a token or content. */
export class PlatformFailure extends Error {
  readonly kind: PlatformFailureKind
  readonly retryAfterMs: number | undefined
  /**
   * The token the adapter refreshed before the call failed, to be stored back all the same: a
   * platform that rotates refresh tokens (X) has already retired the one the publisher holds.
   */
  readonly refreshedToken: PlatformToken | undefined
  /**
   * The parts of a thread posted before the failure (PostedParts): a retry hands them back to
   * publish, which posts the rest in reply to the last, so no part is posted twice.
   */
  readonly postedParts: PostedParts
  constructor (kind: PlatformFailureKind, message: string, retryAfterMs?: number, refreshedToken?: PlatformToken, postedParts: PostedParts = []) {
    super(message)
    this.kind = kind
    this.retryAfterMs = retryAfterMs
    this.refreshedToken = refreshedToken
    this.postedParts = postedParts
  }
}

/**
 * The platform's references of a thread's first parts, in order, as the adapter made them (a post
 * id; Bluesky's URI and CID): opaque to the publisher, which only hands them back. Held in memory
 * for the retries of one publish, never stored or logged.
 */
export type PostedParts = readonly string[]

/** What a publish returns: the token again when the adapter refreshed it, to be stored back. */
export interface Published {
  readonly refreshedToken?: PlatformToken
}

export interface AuthorizationUrl {
  readonly url: string
  readonly scope: string
  readonly clientId: string
  readonly redirectUrl: string
}

export interface LinkedAccount {
  readonly token: PlatformToken
  /** The account on the platform (an e-mail address, a handle, a phone number): sealed at rest. */
  readonly accountIdentifier: string
}

export interface OAuth2Adapter {
  readonly protocol: 'oauth2'
  /** The authorization URL with PKCE S256 over `codeVerifier` and the app's `state`. */
  authorizationUrl (request: { readonly state: string, readonly codeVerifier: string, readonly redirectUrl?: string }): AuthorizationUrl
  /** Exchanges the redirect's code, then reads the account identifier with the new token. */
  exchangeCode (request: { readonly code: string, readonly codeVerifier: string, readonly redirectUrl?: string }): Promise<LinkedAccount>
  /**
   * Posts `content`; with `posted` (a failure's postedParts), a thread goes on after those parts
   * (the same text cuts into the same parts), the first new one in reply to the last of them.
   * With `idempotency`, a platform that takes a key of the caller's for a post gets one per part
   * (publish-idempotency.ts), so that a repeated call makes no second post; without, none is sent.
   */
  publish (token: PlatformToken, content: EmailContent | TextContent | MessageContent, posted?: PostedParts, idempotency?: PublishIdempotency): Promise<Published>
  /** Revokes at the provider; the publisher logs a failure and deletes its copy anyway. */
  revoke (token: PlatformToken): Promise<void>
}

/** Phone-number based authentication (Telegram): a code sent by the platform, then a 2FA password if the account has one. */
export interface PnbaAdapter {
  readonly protocol: 'pnba'
  /** Asks the platform to send its login code; the text is the adapter's (shown to the user). */
  requestCode (phoneNumber: string): Promise<{ readonly message: string }>
  exchangeCode (request: { readonly phoneNumber: string, readonly code: string, readonly password?: string }): Promise<LinkedAccount | { readonly twoStepVerificationRequired: true }>
  /** With `idempotency`, the message's random_id is derived from it (publish-idempotency.ts), else GramJS picks one. */
  publish (token: PlatformToken, content: MessageContent, idempotency?: PublishIdempotency): Promise<Published>
  revoke (token: PlatformToken): Promise<void>
}

export type PlatformAdapter = OAuth2Adapter | PnbaAdapter
