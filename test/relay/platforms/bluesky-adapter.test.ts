import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { blueskyHandleOf, startPlatformSimulator, type PlatformSimulator } from '../../../src/platform-sim/index.ts'
import { BLUESKY_SCOPES, blueskyAdapter } from '../../../src/relay/platforms/bluesky-adapter.ts'
import { BLUESKY_POST_CHARACTERS } from '../../../src/relay/platforms/post-thread.ts'
import { recordKeyOf } from '../../../src/relay/platforms/publish-idempotency.ts'
import { failureKind, link, oauth2AdapterSuite, text } from './oauth2-adapter-suite.ts'

// The Bluesky adapter through the real @atproto/api Agent against the platform simulator acting
// as a PDS (and as the plain OAuth 2.0 server that stands in for atproto OAuth, docs/relay.md).
oauth2AdapterSuite({
  platform: 'bluesky',
  limit: BLUESKY_POST_CHARACTERS,
  scopes: BLUESKY_SCOPES,
  authorizePath: '/oauth/authorize',
  lostAnswer: 'recovered',
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

test('bluesky adapter names each part\'s record by a TID of the publication: the PDS refuses the key again (HTTP 500, as Bluesky\'s), and a repeat is read back, not posted', async () => {
  const adapter = adapterOf(simulator)
  const { token } = await link(adapter, 'repeat')
  const idempotency = { key: 'ab'.repeat(32), claimedAtMs: Date.parse('2026-12-07T00:00:00Z') }
  const before = simulator.posts().length
  await adapter.publish(token, text('once only'), [], idempotency)
  const [post] = simulator.posts().slice(before)
  assert.equal(post?.id, recordKeyOf(idempotency, 0))
  // atproto's TID: 13 base32-sortable characters, the first below 'k' (the top bit 0).
  assert.match(post.id, /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/)
  // What a real PDS answers a record key it already holds with (its tree refuses a second value).
  const again = await fetch(`${simulator.url}/xrpc/com.atproto.repo.createRecord`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token.access_token as string}`, 'content-type': 'application/json' },
    body: JSON.stringify({ repo: token.sub, collection: 'app.bsky.feed.post', rkey: post.id, record: { $type: 'app.bsky.feed.post', text: 'other', createdAt: new Date().toISOString() } })
  })
  assert.deepEqual({ status: again.status, body: await again.json() }, { status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } })
  // The publisher's retry of the same publication: the record is there with this text, so it is the post.
  assert.deepEqual(await adapter.publish(token, text('once only'), [], idempotency), {})
  // Another text under the key is not taken for this post: the PDS's failure stands.
  assert.equal((await failureKind(adapter.publish(token, text('not the same'), [], idempotency))).kind, 'transient')
  assert.deepEqual(simulator.posts().slice(before).map(({ text }) => text), ['once only'])
})
