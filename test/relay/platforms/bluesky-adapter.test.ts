import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { blueskyHandleOf, DEFAULT_SIM_ACCOUNT, startPlatformSimulator, type PlatformSimulator } from '../../../src/platform-sim/index.ts'
import type { TextContent } from '../../../src/relay/payload/content.ts'
import { BLUESKY_SCOPES, blueskyAdapter } from '../../../src/relay/platforms/bluesky-adapter.ts'
import { PlatformFailure, type OAuth2Adapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { BLUESKY_POST_CHARACTERS } from '../../../src/relay/platforms/post-thread.ts'
import { linkThroughSimulator, REDIRECT_URL, setFault, simClientOf } from './simulator-link.ts'

// The Bluesky adapter through the real @atproto/api Agent against the platform simulator acting
// as a PDS on port 0: link (OAuth2 code + PKCE, then getSession), posts and reply threads,
// refresh, faults, revoke.

let simulator: PlatformSimulator
let adapter: OAuth2Adapter

before(async () => {
  simulator = await startPlatformSimulator({ port: 0, autoApprove: true })
  const client = simClientOf(simulator, 'bluesky')
  adapter = blueskyAdapter({
    baseUrl: simulator.url,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUrl: REDIRECT_URL
  })
})
after(async () => { await simulator.close() })

beforeEach(async () => {
  await fetch(`${simulator.url}/_sim/posts`, { method: 'DELETE' })
  await fetch(`${simulator.url}/_sim/faults`, { method: 'DELETE' })
})

function text (body: string): TextContent {
  return { serviceType: 'text', from: blueskyHandleOf(DEFAULT_SIM_ACCOUNT), body, accessToken: undefined, refreshToken: undefined }
}

async function rejection (promise: Promise<unknown>): Promise<PlatformFailure> {
  const error = await promise.then(() => assert.fail('expected a PlatformFailure'), (failure: unknown) => failure)
  assert.ok(error instanceof PlatformFailure, String(error))
  return error
}

describe('blueskyAdapter', () => {
  test('asks for upstream\'s atproto scopes with PKCE S256', () => {
    const { url, scope } = adapter.authorizationUrl({ state: 's', codeVerifier: 'v'.repeat(43) })
    const parameters = new URL(url).searchParams
    assert.equal(parameters.get('scope'), 'atproto transition:generic')
    assert.equal(parameters.get('code_challenge_method'), 'S256')
    assert.equal(scope, BLUESKY_SCOPES.join(' '))
  })

  test('links with the handle as the account and the DID kept in the token, then posts a short text as one post', async () => {
    const linked = await linkThroughSimulator(adapter)
    assert.equal(linked.accountIdentifier, blueskyHandleOf(DEFAULT_SIM_ACCOUNT))
    assert.match(String(linked.token.sub), /^did:plc:[a-z2-7]{24}$/)

    assert.deepStrictEqual(await adapter.publish(linked.token, text('Hello from an SMS 🇨🇲')), {})
    const posts = simulator.posts()
    assert.deepStrictEqual(posts.map(post => [post.platform, post.account, post.text, post.inReplyTo]), [['bluesky', DEFAULT_SIM_ACCOUNT, 'Hello from an SMS 🇨🇲', undefined]])
  })

  test('posts a long text as a thread numbered (i/n), each part a reply to the one before and within 300 graphemes', async () => {
    const { token } = await linkThroughSimulator(adapter)
    const words = Array.from({ length: 150 }, (_, index) => `mot${index}`).join(' ')
    await adapter.publish(token, text(words))
    const posts = simulator.posts()
    assert.ok(posts.length >= 3, `${posts.length} posts`)
    posts.forEach((post, index) => {
      assert.ok(post.text.endsWith(` (${index + 1}/${posts.length})`), post.text)
      // Bluesky counts graphemes, never more than code points.
      assert.ok([...new Intl.Segmenter().segment(post.text)].length <= BLUESKY_POST_CHARACTERS)
      assert.equal(post.inReplyTo, index === 0 ? undefined : posts[index - 1]?.id)
    })
    assert.equal(posts.map(post => post.text.replace(/ \(\d+\/\d+\)$/, '')).join(' '), words)
  })

  test('refreshes a token whose expiry has passed, and after a 401 ExpiredToken, handing the new token back', async () => {
    const { token } = await linkThroughSimulator(adapter)
    const early = await adapter.publish({ ...token, expires_at: 1 }, text('after expiry'))
    assert.ok(early.refreshedToken !== undefined)
    assert.equal(early.refreshedToken.sub, token.sub, 'the DID stays in the token')

    await setFault(simulator, { platform: 'bluesky', kind: 'expired-token', count: 1 })
    const late = await adapter.publish(early.refreshedToken, text('after a 401'))
    assert.ok(late.refreshedToken !== undefined)
    assert.deepStrictEqual(simulator.posts().map(post => post.text), ['after expiry', 'after a 401'])
  })

  test('hands back the token it refreshed when the post then fails, since the old refresh token is retired', async () => {
    const { token } = await linkThroughSimulator(adapter)
    await setFault(simulator, { platform: 'bluesky', kind: 'server-error', count: 1 })
    const failure = await rejection(adapter.publish({ ...token, expires_at: 1 }, text('x')))
    assert.equal(failure.kind, 'transient')
    assert.ok(failure.refreshedToken !== undefined)
    // The simulator rotates refresh tokens, as atproto does: only the handed-back token still works.
    assert.equal((await rejection(adapter.publish({ ...token, expires_at: 1 }, text('old')))).kind, 'token-invalid')
    assert.deepStrictEqual(await adapter.publish(failure.refreshedToken, text('new')), {})
    assert.deepStrictEqual(simulator.posts().map(post => post.text), ['new'])
  })

  test('maps 429 to rate-limited with Retry-After, and 5xx to transient', async () => {
    const { token } = await linkThroughSimulator(adapter)
    await setFault(simulator, { platform: 'bluesky', kind: 'rate-limit', count: 1, retryAfterSeconds: 5 })
    const limited = await rejection(adapter.publish(token, text('x')))
    assert.deepStrictEqual([limited.kind, limited.retryAfterMs], ['rate-limited', 5000])
    await setFault(simulator, { platform: 'bluesky', kind: 'server-error', count: 1 })
    assert.equal((await rejection(adapter.publish(token, text('x')))).kind, 'transient')
    assert.deepStrictEqual(simulator.posts(), [])
  })

  test('maps an unreachable PDS to transient', async () => {
    const client = simClientOf(simulator, 'bluesky')
    const unreachable = blueskyAdapter({ baseUrl: 'http://127.0.0.1:1', clientId: client.clientId, clientSecret: client.clientSecret, redirectUrl: REDIRECT_URL })
    const { token } = await linkThroughSimulator(adapter)
    assert.equal((await rejection(unreachable.publish(token, text('x')))).kind, 'transient')
  })

  test('revokes the grant: the token then posts no more (token-invalid)', async () => {
    const { token } = await linkThroughSimulator(adapter)
    await adapter.revoke(token)
    assert.equal((await rejection(adapter.publish(token, text('after revoke')))).kind, 'token-invalid')
    assert.deepStrictEqual(simulator.posts(), [])
  })
})
