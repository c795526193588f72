import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { status } from '@grpc/grpc-js'
import { startPlatformSimulator, type PlatformSimulator } from '../../../src/platform-sim/index.ts'
import { entityInternalOf } from '../../../src/relay/grpc/entity-internal/entity-internal-of.ts'
import { RpcFailure } from '../../../src/relay/grpc/rpc-failure.ts'
import { encodePlatformPayload } from '../../../src/relay/payload/index.ts'
import { platformByShortcode } from '../../../src/relay/payload/platforms.ts'
import { blueskyAdapter } from '../../../src/relay/platforms/bluesky-adapter.ts'
import { mastodonAdapter } from '../../../src/relay/platforms/mastodon-adapter.ts'
import type { OAuth2Adapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { BLUESKY_POST_CHARACTERS, MASTODON_POST_CHARACTERS, X_POST_CHARACTERS } from '../../../src/relay/platforms/post-thread.ts'
import { twitterAdapter } from '../../../src/relay/platforms/twitter-adapter.ts'
import { publicationDigest, publicationKeyOf } from '../../../src/relay/publisher/publication-key.ts'
import { publisherOf } from '../../../src/relay/publisher/publisher.ts'
import { publisherTexts } from '../../../src/relay/publisher/publisher-texts.ts'
import { publicationStates } from '../../../src/store/relay-publications.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { PHONE_NUMBER } from '../vault/stored-vault.ts'
import { textContentV2 } from './publisher-harness.ts'
import { simulatorClientOf, simulatorLinkedAccount } from './simulator-linked-account.ts'

// The gap of docs/relay.md "Retries", closed where the platform allows: the platform carries out
// a post and its answer is lost (the simulator's faults `slow-after-post`, answered after the
// adapter's 300 ms timeout, and `drop-after-post`, the connection closed instead of answered).
// Through the publisher with its retries, the vault over a real store and the real client
// libraries against the platform simulator:
// - Mastodon and Bluesky: published, the post (each part of a thread) on the platform exactly once;
// - X, which cannot tell a repeat: not retried, answered UNKNOWN with the adapter's text, the
//   record left `publishing` (a copy is answered "unknown"), no delivery notice; one post.

const REDIRECT = 'https://relay.smswithoutborders.com/android'
const kinds = await storeKinds('publisher-lost-answer')

interface PlatformCase { readonly shortcode: string, readonly limit: number, readonly deduplicates: boolean, build: (simulator: PlatformSimulator) => OAuth2Adapter }
const platforms: PlatformCase[] = [
  { shortcode: 'm', limit: MASTODON_POST_CHARACTERS, deduplicates: true, build: simulator => mastodonAdapter({ baseUrl: simulator.url, ...simulatorClientOf(simulator, 'mastodon'), redirectUrl: REDIRECT, timeoutMs: 300 }) },
  { shortcode: 'b', limit: BLUESKY_POST_CHARACTERS, deduplicates: true, build: simulator => blueskyAdapter({ baseUrl: simulator.url, ...simulatorClientOf(simulator, 'bluesky'), redirectUrl: REDIRECT, timeoutMs: 300 }) },
  { shortcode: 't', limit: X_POST_CHARACTERS, deduplicates: false, build: simulator => twitterAdapter({ baseUrl: simulator.url, authorizationUrl: `${simulator.url}/i/oauth2/authorize`, ...simulatorClientOf(simulator, 'twitter'), redirectUrl: REDIRECT, timeoutMs: 300 }) }
]

/** The lost answers: of a single post, or of a thread's second part (`after: 1`). */
const faults = [
  { kind: 'slow-after-post', after: 0, delayMs: 5000 },
  { kind: 'drop-after-post', after: 0, delayMs: 0 },
  { kind: 'drop-after-post', after: 1, delayMs: 0 }
]

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('a post whose answer is lost after the platform made it: exactly one post where the platform deduplicates, else the documented unknown outcome', async () => {
      const store = await kind.open(await kind.newLocation())
      const simulator = await startPlatformSimulator({ port: 0, autoApprove: true })
      try {
        const { identifierKey, vault, account, app, adapters, identifiers } = await simulatorLinkedAccount(store, simulator, platforms)
        const notices: string[] = []
        const publicationKey = publicationKeyOf(identifierKey)
        const publisher = publisherOf({
          entityInternal: entityInternalOf({ vault }),
          adapters,
          publications: store.relayPublications,
          publicationKey,
          checkLongLivedToken: async () => {},
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 1000 },
          notices: { send: async (_recipient, text) => { notices.push(text) } }
        })

        for (const { shortcode, limit, deduplicates } of platforms) {
          const platform = platformByShortcode(shortcode) ?? assert.fail(shortcode)
          for (const fault of faults) {
            const label = `${platform.name}, ${fault.kind} after ${fault.after}`
            const thread = fault.after > 0
            const body = thread ? Array.from({ length: limit }, (_, index) => `${fault.kind}${index}`).join(' ') : `lost answer ${fault.kind}`
            const content = encodePlatformPayload({ version: 2, platformShortcode: shortcode, encryptedMessage: app.send(textContentV2(identifiers.get(shortcode) as string, body)), deviceId: account.deviceId, language: 'en' }).toString('base64')
            await fetch(`${simulator.url}/_sim/posts`, { method: 'DELETE' })
            notices.length = 0
            assert.equal((await fetch(`${simulator.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ platform: platform.name, kind: fault.kind, after: fault.after, count: 1, delayMs: fault.delayMs }) })).status, 201)
            const answer = await publisher.publishContent({ content, metadata: { From: PHONE_NUMBER } }).then(response => response, (error: unknown) => error)
            assert.deepEqual(((await (await fetch(`${simulator.url}/_sim/faults`)).json()) as { faults: unknown[] }).faults, [], `${label}: the fault hit`)
            const posts = simulator.posts()
            const record = await store.relayPublications.get(publicationDigest(publicationKey, Buffer.from(content, 'base64')))
            if (deduplicates) {
              assert.equal((answer as { success?: boolean }).success, true, `${label}: published (${String(answer)})`)
              assert.equal(new Set(posts.map(post => post.text)).size, posts.length, `${label}: no post twice`)
              if (thread) {
                assert.ok(posts.length >= 3, `${label}: a thread`)
                posts.forEach((post, index) => { assert.equal(post.inReplyTo, index === 0 ? undefined : posts[index - 1]?.id, `${label}: reply order`) })
                assert.equal(posts.map(post => post.text.replace(/ \(\d+\/\d+\)$/, '')).join(' '), body, `${label}: every part once`)
              } else {
                assert.deepEqual(posts.map(post => post.text), [body], `${label}: one post`)
              }
              assert.equal(record?.state, publicationStates.published, label)
              assert.equal(notices.length, 1, `${label}: the success notice`)
            } else {
              // X: the part whose answer was lost is on the platform once, and nothing after it.
              assert.ok(answer instanceof RpcFailure, `${label}: ${String(answer)}`)
              assert.equal(answer.code, status.UNKNOWN, label)
              assert.match(answer.message, /^X gave no answer after the request was sent .*: the post may have been made, and is not sent again$/, label)
              assert.equal(posts.length, fault.after + 1, `${label}: not sent again`)
              assert.equal(record?.state, publicationStates.publishing, `${label}: the outcome stays unknown`)
              assert.deepEqual(notices, [], `${label}: no notice`)
              const copy = await publisher.publishContent({ content, metadata: { From: PHONE_NUMBER } }).then(() => assert.fail('a copy published'), (error: unknown) => error as RpcFailure)
              assert.deepEqual({ code: copy.code, message: copy.message }, { code: status.ALREADY_EXISTS, message: publisherTexts.outcomeUnknown }, label)
              assert.equal(simulator.posts().length, posts.length, `${label}: a copy posts nothing`)
            }
          }
        }
      } finally {
        await simulator.close()
        await store.close()
      }
    })
  })
}
