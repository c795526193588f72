import { Agent, XRPCError } from '@atproto/api'
import { authorizationUrlOf } from './authorization-url.ts'
import { exchangeCodeForToken, refreshAccessToken, revokeToken, type TokenEndpointClient } from './oauth2-token-endpoint.ts'
import { accessTokenOf } from './oauth2-token.ts'
import { PlatformFailure, type OAuth2Adapter } from './platform-adapter.ts'
import { platformFetch } from './platform-fetch.ts'
import { failureOfStatus, retryAfterMsOf } from './platform-http-failure.ts'
import { BLUESKY_POST_CHARACTERS, splitIntoPosts } from './post-thread.ts'
import { recordKeyOf } from './publish-idempotency.ts'
import { publishThread, textBodyOf } from './thread-publishing.ts'

// Bluesky through @atproto/api against one PDS (the platform simulator in tests). Upstream's
// bluesky-oauth2-adapter links with atproto OAuth (PAR, DPoP-bound tokens, the account's PDS found
// from its DID); ours is a plain OAuth 2.0 authorization code grant with PKCE S256 at the
// configured server's /oauth/authorize, /oauth/token and /oauth/revoke (where bsky.social has
// them), its access token sent to the PDS as a bearer token (docs/relay.md, "Platforms": what a
// real deployment still needs). What is upstream's: the scope, the account identifier (the
// handle), the token's `sub` holding the DID, posts as app.bsky.feed.post records and a long text
// as a reply thread numbered (i/n) whose replies name the thread's root and their parent. Ours:
// each record's key is the publication's, so that a retry after a lost answer makes no second post.

/** Upstream's scope (config.py DEFAULT_SCOPE). */
export const BLUESKY_SCOPES: readonly string[] = Object.freeze(['atproto', 'transition:generic'])
const POST_COLLECTION = 'app.bsky.feed.post'
const PLATFORM = 'Bluesky'

export interface BlueskyAdapterOptions {
  /** The PDS, which is also the authorization server here: https://bsky.social (relay.platforms.bluesky.baseUrl). */
  readonly baseUrl: string
  readonly clientId: string
  /** Absent for a public client (atproto's clients are public). */
  readonly clientSecret?: string | undefined
  readonly redirectUrl: string
  readonly timeoutMs?: number
  readonly now?: () => number
}

interface StrongRef { readonly uri: string, readonly cid: string }

export function blueskyAdapter (options: BlueskyAdapterOptions): OAuth2Adapter {
  const now = options.now ?? Date.now
  const url = (path: string): string => new URL(path, options.baseUrl).toString()
  const endpoints: TokenEndpointClient = { ...options, platform: PLATFORM, tokenUrl: url('/oauth/token'), revokeUrl: url('/oauth/revoke'), now }

  /** An Agent whose every XRPC call carries `accessToken` as a bearer token to the configured PDS. */
  function agentFor (accessToken: string, did?: string): Agent {
    return new Agent({
      did,
      async fetchHandler (path, init) {
        const headers = new Headers(init.headers)
        headers.set('authorization', `Bearer ${accessToken}`)
        return await platformFetch(PLATFORM, new URL(path, options.baseUrl), { ...init, headers }, options.timeoutMs)
      }
    })
  }

  return {
    protocol: 'oauth2',

    authorizationUrl: request => ({
      ...authorizationUrlOf({
        endpoint: url('/oauth/authorize'),
        clientId: options.clientId,
        redirectUrl: request.redirectUrl ?? options.redirectUrl,
        scopes: BLUESKY_SCOPES,
        state: request.state,
        codeVerifier: request.codeVerifier
      }),
      // Upstream answers with its scope string as configured, space-separated.
      scope: BLUESKY_SCOPES.join(' ')
    }),

    async exchangeCode (request) {
      const token = await exchangeCodeForToken(endpoints, { code: request.code, codeVerifier: request.codeVerifier, redirectUrl: request.redirectUrl ?? options.redirectUrl })
      const { did, handle } = await xrpc(async () => (await agentFor(accessTokenOf(token, PLATFORM)).com.atproto.server.getSession()).data)
      return { token: { ...token, sub: did }, accountIdentifier: handle }
    },

    async publish (token, content, posted, idempotency) {
      const body = textBodyOf(content, PLATFORM)
      // Upstream requires a message; Bluesky's apps make no post of blank text either.
      if (body.trim() === '') throw new PlatformFailure('rejected', `${PLATFORM} takes no blank post`)
      const did = typeof token.sub === 'string' ? token.sub : undefined
      if (did === undefined) throw new PlatformFailure('token-invalid', `the stored ${PLATFORM} token names no account (sub): link the account again`)
      // A reply names its root and its parent as strong refs (URI and CID): a part's reference is its strong ref as JSON.
      return await publishThread({
        platform: PLATFORM,
        now,
        refresh: async refreshToken => await refreshAccessToken(endpoints, token, refreshToken),
        post: async (accessToken, text, inReplyTo, root, index) => {
          const agent = agentFor(accessToken, did)
          const reply = inReplyTo === undefined || root === undefined ? {} : { reply: { root: strongRefOf(root), parent: strongRefOf(inReplyTo) } }
          const record = { $type: POST_COLLECTION, text, createdAt: new Date(now()).toISOString(), ...reply }
          // The record key is the publication's (publish-idempotency.ts): a repeat cannot make a second record.
          const rkey = idempotency === undefined ? undefined : recordKeyOf(idempotency, index)
          try {
            const ref = await xrpc(async () => (await agent.com.atproto.repo.createRecord({ repo: did, collection: POST_COLLECTION, record, ...(rkey === undefined ? {} : { rkey }) })).data)
            return JSON.stringify({ uri: ref.uri, cid: ref.cid } satisfies StrongRef)
          } catch (error) {
            // A PDS refuses a record key already taken (Bluesky's: HTTP 500 InternalServerError,
            // its repository holding a value at that key): an earlier try whose answer was lost
            // made the post when the key holds this text. Read back, its URI and CID are the part's.
            if (rkey === undefined || !(error instanceof PlatformFailure) || (error.kind !== 'transient' && error.kind !== 'rejected')) throw error
            const earlier = await postedBefore(agent, did, rkey, text)
            if (earlier === undefined) throw error
            return earlier
          }
        }
      }, token, splitIntoPosts(body, BLUESKY_POST_CHARACTERS), posted)
    },

    async revoke (token) {
      // Upstream's revoke_token does nothing; atproto OAuth servers have a revocation endpoint, so ours revokes.
      await revokeToken(endpoints, token)
    }
  }
}

/** The reference of the post at `rkey` when it holds `text`; undefined when there is none, another, or it cannot be read. */
async function postedBefore (agent: Agent, did: string, rkey: string, text: string): Promise<string | undefined> {
  try {
    const { data } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST_COLLECTION, rkey })
    if ((data.value as { text?: unknown }).text !== text || data.cid === undefined) return undefined
    return JSON.stringify({ uri: data.uri, cid: data.cid } satisfies StrongRef)
  } catch {
    return undefined
  }
}

function strongRefOf (reference: string): StrongRef {
  const { uri, cid } = JSON.parse(reference) as StrongRef
  return { uri, cid }
}

/** An XRPC call's failure as a PlatformFailure: what our fetch handler threw, else the PDS's status. */
async function xrpc<T> (call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (!(error instanceof XRPCError)) throw error
    if (error.cause instanceof PlatformFailure) throw error.cause
    // A PDS answers an expired session token with 400 ExpiredToken (legacy sessions) as well as with 401.
    if (error.error === 'ExpiredToken' || error.error === 'InvalidToken') throw failureOfStatus(PLATFORM, 401)
    // Status 1 (no answer) and 2 (an answer that breaks the lexicon) are the library's own.
    if (error.status < 100) throw new PlatformFailure('transient', `${PLATFORM} gave no usable answer`)
    throw failureOfStatus(PLATFORM, error.status, retryAfterMsOf(error.headers?.['retry-after'], Date.now()))
  }
}
