import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { blueskyHandleOf, startPlatformSimulator, type PlatformSimulator } from '../../../src/platform-sim/index.ts'
import { BLUESKY_SCOPES, blueskyAdapter } from '../../../src/relay/platforms/bluesky-adapter.ts'
import { BLUESKY_POST_CHARACTERS } from '../../../src/relay/platforms/post-thread.ts'
import { failureKind, link, oauth2AdapterSuite, text } from './oauth2-adapter-suite.ts'

// The Bluesky adapter through the real @atproto/api Agent against the platform simulator acting
// as a PDS (and as the plain OAuth 2.0 server that stands in for atproto OAuth, docs/relay.md).
oauth2AdapterSuite({
  platform: 'bluesky',
  limit: BLUESKY_POST_CHARACTERS,
  scopes: BLUESKY_SCOPES,
  authorizePath: '/oauth/authorize',
  scopeAnswer: 'atproto transition:generic',
  accountIdentifierOf: blueskyHandleOf,
  build: (simulator, client, options = {}) => blueskyAdapter({
    baseUrl: simulator.url,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUrl: 'https://relay.smswithoutborders.com/android',
    ...options
  })
})

let simulator: PlatformSimulator
before(async () => { simulator = await startPlatformSimulator({ port: 0 }) })
after(async () => { await simulator.close() })

function adapterOf (sim: PlatformSimulator): ReturnType<typeof blueskyAdapter> {
  const client = sim.clients.find(candidate => candidate.platform === 'bluesky') ?? assert.fail('no client')
  return blueskyAdapter({ baseUrl: sim.url, clientId: client.clientId, clientSecret: client.clientSecret, redirectUrl: 'https://relay.smswithoutborders.com/android' })
}

test('bluesky adapter keeps the account\'s DID as the token\'s sub and posts to that repo; a token without it links again', async () => {
  const adapter = adapterOf(simulator)
  const { token, accountIdentifier } = await link(adapter, 'hana_k')
  assert.equal(accountIdentifier, 'hana-k.bsky.simulator')
  assert.match(String(token.sub), /^did:plc:[a-z2-7]{24}$/)
  await adapter.publish(token, text('to my own repo'))
  assert.equal(simulator.posts().at(-1)?.account, 'hana_k')
  const { sub: _sub, ...withoutDid } = token
  assert.equal((await failureKind(adapter.publish(withoutDid, text('whose?')))).kind, 'token-invalid')
})

test('bluesky adapter counts a thread\'s limit so that no post passes Bluesky\'s 300 graphemes', async () => {
  const adapter = adapterOf(simulator)
  const { token } = await link(adapter, 'flags')
  const before = simulator.posts().length
  await adapter.publish(token, text('🇨🇲 '.repeat(200)))
  const thread = simulator.posts().slice(before)
  assert.ok(thread.length >= 2)
  for (const post of thread) assert.ok([...new Intl.Segmenter().segment(post.text)].length <= 300)
})
