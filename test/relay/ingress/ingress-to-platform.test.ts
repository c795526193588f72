import Fastify from 'fastify'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { entityInternalOf } from '../../../src/relay/grpc/entity-internal/entity-internal-of.ts'
import { publishRoutes } from '../../../src/relay/ingress/publish-routes.ts'
import { encodePlatformPayload } from '../../../src/relay/payload/index.ts'
import { platformByShortcode } from '../../../src/relay/payload/platforms.ts'
import { mastodonAdapter } from '../../../src/relay/platforms/mastodon-adapter.ts'
import { publicationKeyOf } from '../../../src/relay/publisher/publication-key.ts'
import { publisherOf } from '../../../src/relay/publisher/publisher.ts'
import { generateX25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { storePlatformToken } from '../../../src/relay/vault/platform-tokens.ts'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { s256, startPlatformSimulator } from '../../../src/platform-sim/index.ts'
import { clientOf, consent, newVerifier, REDIRECT_URI } from '../../platform-sim/sim-oauth-client.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'
import { textContentV2 } from '../publisher/publisher-harness.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { createTestAccount, newRing, vaultOver } from '../vault/stored-vault.ts'
import { appFor } from '../vault/test-app.ts'
import { imageTextSegments, newIngress } from './ingress-fixtures.ts'

// Issue 12, "Done when": a gateway phone's forward ends as a post the platform simulator records,
// made by the real client library. Nothing here is a stand-in: a payload our initiator (the app's
// side of the ratchet) encrypted, POSTed to /v3/publish over a real socket, through the ingress
// (stored, routed), the publisher's PublishContent (its record, the vault's EntityInternal
// decrypting with the stored ratchet state and reading the stored token), the Mastodon adapter
// (masto) to the platform simulator; then the same payload as image-text segments, and a repeat.

const SENDER = '+237650002222'

test('a payload encrypted by our initiator, POSTed to /v3/publish, is published to the platform simulator through the publisher; a repeat posts nothing more', { timeout: 60_000 }, async t => {
  const files = await tempStoreFiles('relay-ingress-to-platform')
  const store = SqliteStore.open(files.next())
  const keys = newRing()
  const vault = vaultOver(store, keys, randomBytes(32))
  const client = generateX25519KeyPair()
  const account = await createTestAccount(vault, client.publicKey, SENDER)
  const app = appFor(account.serverPublishKeyPair, client)

  const simulator = await startPlatformSimulator({ port: 0 })
  t.after(async () => { await simulator.close() })
  const simClient = clientOf(simulator, 'mastodon')
  const mastodon = mastodonAdapter({ baseUrl: simulator.url, clientId: simClient.clientId, clientSecret: simClient.clientSecret, redirectUrl: REDIRECT_URI })
  const verifier = newVerifier()
  // The user's consent, as the browser posts it, for the scopes the adapter needs.
  const consented = await consent(simulator, { client_id: simClient.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'profile write:statuses write:media', state: 's', code_challenge: s256(verifier), code_challenge_method: 'S256', account: 'amina' })
  const code = new URL(consented.headers.get('location') ?? assert.fail('no redirect')).searchParams.get('code') ?? assert.fail('no code')
  const linked = await mastodon.exchangeCode({ code, codeVerifier: verifier, redirectUrl: REDIRECT_URI })
  const platform = platformByShortcode('m') ?? assert.fail('no mastodon')
  unwrap(await storePlatformToken(vault, account.entityId, platform, linked.accountIdentifier, JSON.stringify(linked.token)))

  const publisher = publisherOf({ entityInternal: entityInternalOf({ vault }), adapters: new Map([['mastodon', mastodon]]), publications: store.relayPublications, publicationKey: publicationKeyOf(randomBytes(32)), checkLongLivedToken: async () => {} })
  const ingress = newIngress(store.relayIngress, publisher.publishContent, { keys })
  const http = Fastify()
  await http.register(publishRoutes({ ingress }))
  const url = await http.listen({ host: '127.0.0.1', port: 0 })
  t.after(async () => {
    await http.close()
    await ingress.close()
    store.close()
  })
  const post = async (text: string): Promise<[number, unknown]> => {
    const response = await fetch(`${url}/v3/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, address: SENDER, date: Date.now(), date_sent: Date.now() - 2000 }) })
    return [response.status, await response.json()]
  }
  const payloadOf = (body: string): string => encodePlatformPayload({ version: 2, platformShortcode: 'm', encryptedMessage: app.send(textContentV2(linked.accountIdentifier, body)), deviceId: account.deviceId, language: 'en' }).toString('base64')

  const first = payloadOf('Greetings from the ingress, over SMS')
  assert.deepStrictEqual(await post(first), [200, { publisher_response: 'Successfully sent message' }])
  assert.deepStrictEqual(simulator.posts().map(recorded => [recorded.platform, recorded.account, recorded.text]), [['mastodon', 'amina', 'Greetings from the ingress, over SMS']])

  const segments = imageTextSegments(3, payloadOf('A second post, in three SMS'), 3)
  assert.deepStrictEqual(await post(segments[0] as string), [200, { publisher_response: 'Segment 1/3 received and cached for session 3 and sender +23********22.' }])
  assert.deepStrictEqual(await post(segments[2] as string), [200, { publisher_response: 'Segment 2/3 received and cached for session 3 and sender +23********22.' }])
  assert.deepStrictEqual(await post(segments[1] as string), [200, { publisher_response: 'Successfully sent message' }])
  assert.equal(simulator.posts().at(-1)?.text, 'A second post, in three SMS')

  assert.deepStrictEqual(await post(first), [200, { publisher_response: 'Successfully sent message' }], 'a phone forwarding again gets the same answer')
  assert.equal(simulator.posts().length, 2, 'and nothing is posted twice')
  assert.deepStrictEqual([store.relayIngress.countForwards(), store.relayIngress.countSegments()], [0, 0])
})
