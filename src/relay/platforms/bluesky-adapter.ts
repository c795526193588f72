import { Agent, XRPCError } from '@atproto/api'
import type { EmailContent, MessageContent, TextContent } from '../payload/content.ts'
import { failureOfStatus, platformFetch } from './http-failure.ts'
import { accessTokenOf, authorizationUrlOf, exchangeCode, revokeToken, type OAuth2ClientOptions } from './oauth2-client.ts'
import { PlatformFailure, type OAuth2Adapter, type PlatformToken } from './platform-adapter.ts'
import { splitIntoThread } from './post-thread.ts'
import { withFreshToken } from './with-fresh-token.ts'

// Bluesky through @atproto/api against a PDS (the platform simulator in tests). Upstream's
// bluesky-oauth2-adapter links with atproto OAuth (PAR, DPoP-bound tokens, the account's PDS found
// from its DID); ours is a plain OAuth2 authorization code grant with PKCE S256 whose access token
// goes to one configured PDS as a bearer token (docs/relay.md, "Platforms": what a real
// deployment still needs). What is upstream's: the scope, the account identifier (the handle),
// posts as app.bsky.feed.post records and a long text as a reply thread numbered (i/n), the token's
// `sub` holding the account's DID.

export const BLUESKY_SCOPES: readonly string[] = Object.freeze(['atproto', 'transition:generic'])
/** Bluesky's post limit in graphemes (upstream's CHARACTER_LIMIT; relay.md §6). */
export const BLUESKY_POST_LIMIT_GRAPHEMES = 300

export interface BlueskyAdapterOptions {
  /** The PDS's base URL; its /xrpc/ serves com.atproto.server.getSession and com.atproto.repo.createRecord. */
  readonly serviceUrl: string
  readonly authorizationUrl: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  readonly clientId: string
  /** Absent for a public client (atproto's clients are public). */
  readonly clientSecret?: string | undefined
  readonly redirectUrl: string
}

const PLATFORM = 'Bluesky'
const POST_COLLECTION = 'app.bsky.feed.post'

interface RecordRef { readonly uri: string, readonly cid: string }

export function blueskyAdapter (options: BlueskyAdapterOptions): OAuth2Adapter {
  const oauth2: OAuth2ClientOptions = { ...options, platform: PLATFORM, scopes: BLUESKY_SCOPES }

  /** An Agent whose every XRPC call carries the token as a bearer token to the configured PDS. */
  function agentFor (token: PlatformToken): Agent {
    const authorization = `Bearer ${accessTokenOf(PLATFORM, token)}`
    return new Agent({
      did: typeof token.sub === 'string' ? token.sub : undefined,
      async fetchHandler (path, init) {
        const headers = new Headers(init.headers)
        headers.set('authorization', authorization)
        return await platformFetch(PLATFORM, new URL(path, options.serviceUrl), { ...init, headers })
      }
    })
  }

  return {
    protocol: 'oauth2',
    authorizationUrl: request => ({
      url: authorizationUrlOf(oauth2, request),
      scope: BLUESKY_SCOPES.join(' '),
      clientId: options.clientId,
      redirectUrl: request.redirectUrl ?? options.redirectUrl
    }),

    async exchangeCode (request) {
      const token = await exchangeCode(oauth2, request)
      const { did, handle } = await xrpc(async () => (await agentFor(token).com.atproto.server.getSession()).data)
      return { token: { ...token, sub: did }, accountIdentifier: handle }
    },

    async publish (token, content: EmailContent | TextContent | MessageContent) {
      if (content.serviceType !== 'text') throw new PlatformFailure('rejected', 'Bluesky publishes text content only')
      return await withFreshToken(oauth2, token, async current => {
        const agent = agentFor(current)
        const repo = typeof current.sub === 'string' ? current.sub : (await xrpc(async () => (await agent.com.atproto.server.getSession()).data)).did
        let thread: { root: RecordRef, parent: RecordRef } | undefined
        for (const text of splitIntoThread(content.body, BLUESKY_POST_LIMIT_GRAPHEMES)) {
          const record = { $type: POST_COLLECTION, text, createdAt: new Date().toISOString(), ...(thread === undefined ? {} : { reply: thread }) }
          const { uri, cid } = await xrpc(async () => (await agent.com.atproto.repo.createRecord({ repo, collection: POST_COLLECTION, record })).data)
          thread = { root: thread?.root ?? { uri, cid }, parent: { uri, cid } }
        }
      })
    },

    async revoke (token) {
      // Upstream's revoke_token does nothing (atproto OAuth had no revocation it used); ours
      // revokes at the authorization server, which the atproto OAuth profile provides too.
      await revokeToken(oauth2, token)
    }
  }
}

/** An XRPC call's failure as a PlatformFailure: the PDS's status, or what our fetch handler threw. */
async function xrpc<T> (call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (!(error instanceof XRPCError)) throw error
    if (error.cause instanceof PlatformFailure) throw error.cause
    // A PDS answers an expired legacy session token with 400 ExpiredToken or InvalidToken.
    if (error.error === 'ExpiredToken' || error.error === 'InvalidToken') throw failureOfStatus(PLATFORM, 401, null)
    // Status 1 (no answer) and 2 (an answer that breaks the lexicon) are the library's own.
    if (error.status < 100) throw new PlatformFailure('transient', `${PLATFORM} gave no usable answer`)
    throw failureOfStatus(PLATFORM, error.status, error.headers?.['retry-after'] ?? null)
  }
}
