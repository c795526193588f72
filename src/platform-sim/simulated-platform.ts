import { createHash } from 'node:crypto'
import type { Grant } from './oauth-authority.ts'
import type { KeptByKey } from './kept-by-key.ts'
import type { RecordedPosts } from './recorded-posts.ts'
import type { SimRequest, SimResponse } from './sim-http.ts'

// What one simulated platform is: its API routes in the shapes its client library expects, its
// error answer, and the OAuth paths its library insists on. One file per platform's API
// (mastodon-api.ts, twitter-api.ts, ...), all listed in simulated-platforms.ts.

/** What an API route may use: the post record, what the platforms keep by key, and the simulator's clock. */
export interface PlatformContext {
  readonly posts: RecordedPosts
  /** Mastodon: the answer to a status's Idempotency-Key, by account and key. */
  readonly idempotentAnswers: KeptByKey<SimResponse>
  /** Bluesky: the records of every repository, by at:// URI (repository, collection, record key). */
  readonly records: KeptByKey<KeptRecord>
  /** A fresh post id, unique in this simulator run (decimal, as Mastodon's and X's ids). */
  nextPostId (): string
  now (): Date
}

/** A record of an atproto repository as com.atproto.repo.getRecord answers it. */
export interface KeptRecord {
  readonly uri: string
  readonly cid: string
  readonly value: Readonly<Record<string, unknown>>
}

/** An API call, answered only with a live access token of this platform (the server checks it). */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly path: string
  handle (request: SimRequest, grant: Grant, context: PlatformContext): SimResponse | Promise<SimResponse>
}

/** An error the server answers on the platform's behalf (a bad token, a fault). */
export interface PlatformError {
  readonly status: number
  readonly message: string
  /** With a 429: the seconds until the client may try again (Retry-After). */
  readonly retryAfterSeconds?: number
}

export interface SimulatedPlatform {
  /** The platform's name as the relay names it (gmail, twitter, mastodon, bluesky, ...). */
  readonly name: string
  /**
   * OAuth endpoints besides the simulator's own `/oauth/authorize`, `/oauth/token` and
   * `/oauth/revoke`, where the platform's client library has its paths built in.
   */
  readonly oauthPaths?: {
    readonly authorize?: readonly string[]
    readonly token?: readonly string[]
    readonly revoke?: readonly string[]
  }
  readonly routes: readonly ApiRoute[]
  /** The error in the platform's own shape (its body; its rate-limit headers beside Retry-After). */
  errorResponse (error: PlatformError): SimResponse
}

/** A stable decimal id for an account name (Mastodon's and X's ids are decimal strings), below 2^53. */
export function accountIdOf (name: string): string {
  return BigInt('0x' + createHash('sha256').update(name).digest('hex').slice(0, 13)).toString()
}
