import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { startPlatformSimulator, type PlatformSimulator } from '../../../src/platform-sim/index.ts'
import { encodePlatformPayload } from '../../../src/relay/payload/index.ts'
import { platformByShortcode } from '../../../src/relay/payload/platforms.ts'
import { entityInternalOf } from '../../../src/relay/grpc/entity-internal/entity-internal-of.ts'
import { blueskyAdapter } from '../../../src/relay/platforms/bluesky-adapter.ts'
import { mastodonAdapter } from '../../../src/relay/platforms/mastodon-adapter.ts'
import type { OAuth2Adapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { BLUESKY_POST_CHARACTERS, MASTODON_POST_CHARACTERS, X_POST_CHARACTERS } from '../../../src/relay/platforms/post-thread.ts'
import { twitterAdapter } from '../../../src/relay/platforms/twitter-adapter.ts'
import { publicationKeyOf } from '../../../src/relay/publisher/publication-key.ts'
import { publisherOf } from '../../../src/relay/publisher/publisher.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { PHONE_NUMBER } from '../vault/stored-vault.ts'
import { textContentV2 } from './publisher-harness.ts'
import { simulatorClientOf, simulatorLinkedAccount } from './simulator-linked-account.ts'

// A thread is never posted twice (docs/relay.md, "Publisher", "Retries"): the platform fails a
// thread's second part with a server error once (the simulator's fault `after: 1, count: 1`); the
// publisher's retry goes on from that part, in reply to the first, instead of starting over. Over
// the real client libraries of X, Mastodon and Bluesky against the platform simulator, through the
// publisher with the vault over a real store: each part recorded once, in reply order.

const REDIRECT = 'https://relay.smswithoutborders.com/android'
const kinds = await storeKinds('publisher-thread-retry')

const adapters: Array<{ shortcode: string, limit: number, build: (simulator: PlatformSimulator) => OAuth2Adapter }> = [
  { shortcode: 't', limit: X_POST_CHARACTERS, build: simulator => twitterAdapter({ baseUrl: simulator.url, authorizationUrl: `${simulator.url}/i/oauth2/authorize`, ...simulatorClientOf(simulator, 'twitter'), redirectUrl: REDIRECT }) },
  { shortcode: 'm', limit: MASTODON_POST_CHARACTERS, build: simulator => mastodonAdapter({ baseUrl: simulator.url, ...simulatorClientOf(simulator, 'mastodon'), redirectUrl: REDIRECT }) },
  { shortcode: 'b', limit: BLUESKY_POST_CHARACTERS, build: simulator => blueskyAdapter({ baseUrl: simulator.url, ...simulatorClientOf(simulator, 'bluesky'), redirectUrl: REDIRECT }) }
]

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('a thread whose second part fails transiently is continued by the retry: each part posted once, in reply to the one before', async () => {
      const store = await kind.open(await kind.newLocation())
      const simulator = await startPlatformSimulator({ port: 0, autoApprove: true })
      try {
        const { identifierKey, vault, account, app, adapters: built, identifiers } = await simulatorLinkedAccount(store, simulator, adapters)
        const publisher = publisherOf({
          entityInternal: entityInternalOf({ vault }),
          adapters: built,
          publications: store.relayPublications,
          publicationKey: publicationKeyOf(identifierKey),
          checkLongLivedToken: async () => {},
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 1000 }
        })

        for (const { shortcode, limit } of adapters) {
          const platform = platformByShortcode(shortcode) ?? assert.fail(shortcode)
          const words = Array.from({ length: limit }, (_, index) => `${shortcode}${index}`)
          const content = encodePlatformPayload({ version: 2, platformShortcode: shortcode, encryptedMessage: app.send(textContentV2(identifiers.get(shortcode) as string, words.join(' '))), deviceId: account.deviceId, language: 'en' }).toString('base64')
          // The thread's first part goes through, its second fails once with a 503.
          assert.equal((await fetch(`${simulator.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ platform: platform.name, kind: 'server-error', after: 1, count: 1 }) })).status, 201)
          assert.equal((await publisher.publishContent({ content, metadata: { From: PHONE_NUMBER } })).success, true)
          assert.deepEqual(((await (await fetch(`${simulator.url}/_sim/faults`)).json()) as { faults: unknown[] }).faults, [], 'the fault hit')
          const thread = simulator.posts().filter(post => post.platform === platform.name)
          assert.ok(thread.length >= 3, `${platform.name}: ${thread.length} parts`)
          thread.forEach((post, index) => {
            assert.ok(post.text.endsWith(` (${index + 1}/${thread.length})`), `${platform.name}: ${post.text}`)
            assert.equal(post.inReplyTo, index === 0 ? undefined : thread[index - 1]?.id, `${platform.name}: part ${index + 1} replies to part ${index}`)
          })
          assert.equal(thread.map(post => post.text.replace(/ \(\d+\/\d+\)$/, '')).join(' '), words.join(' '), `${platform.name}: every part once`)
        }
      } finally {
        await simulator.close()
        await store.close()
      }
    })
  })
}
