import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'
import { status } from '@grpc/grpc-js'
import { startPlatformSimulator } from '../../../src/platform-sim/index.ts'
import { encodePlatformPayload } from '../../../src/relay/payload/index.ts'
import { platformByShortcode } from '../../../src/relay/payload/platforms.ts'
import { mastodonAdapter } from '../../../src/relay/platforms/mastodon-adapter.ts'
import { publicationKeyOf } from '../../../src/relay/publisher/publication-key.ts'
import { publisherOf } from '../../../src/relay/publisher/publisher.ts'
import { entityInternalOf } from '../../../src/relay/grpc/entity-internal/entity-internal-of.ts'
import { generateX25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { parseSealingKeyRing } from '../../../src/relay/vault/index.ts'
import { storePlatformToken } from '../../../src/relay/vault/platform-tokens.ts'
import { eventually } from '../../harness/eventually.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { createTestAccount, PHONE_NUMBER, vaultOver } from '../vault/stored-vault.ts'
import { appFor } from '../vault/test-app.ts'
import { textContentV2 } from './publisher-harness.ts'

// At most one post per payload across a crash (kill -9), on SQLite and PostgreSQL: a publisher
// process is killed after its claim is durable and while the platform (the simulator, answering
// slowly) holds the post. The same payload given to a new publisher over the same store is
// answered "unknown" and never posted, and the record shows in the unknown count; a payload of
// its own posts normally after.

const CHILD = fileURLToPath(new URL('./publish-child.ts', import.meta.url))
const REDIRECT = 'https://relay.smswithoutborders.com/android'
const kinds = await storeKinds('publisher-crash')

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('a publisher killed while the platform is called never posts that payload again', async () => {
      const location = await kind.newLocation()
      const sealingKey = `k1 ${randomBytes(32).toString('base64')}`
      const identifierKey = randomBytes(32)
      const platforms = await startPlatformSimulator({ autoApprove: true })
      const client = platforms.clients.find(candidate => candidate.platform === 'mastodon') ?? assert.fail('no client')
      const mastodon = mastodonAdapter({ baseUrl: platforms.url, clientId: client.clientId, clientSecret: client.clientSecret, redirectUrl: REDIRECT })
      let store = await kind.open(location)
      try {
        // An account with a linked Mastodon token, and the app's side of its ratchet.
        const vault = vaultOver(store, unwrap(parseSealingKeyRing(sealingKey)), identifierKey)
        const appKeys = generateX25519KeyPair()
        const account = await createTestAccount(vault, appKeys.publicKey)
        const app = appFor(account.serverPublishKeyPair, appKeys)
        const verifier = randomBytes(32).toString('base64url')
        const redirect = await fetch(mastodon.authorizationUrl({ state: 's', codeVerifier: verifier }).url, { redirect: 'manual' })
        const code = new URL(redirect.headers.get('location') ?? assert.fail('no redirect')).searchParams.get('code') ?? assert.fail('no code')
        const linked = await mastodon.exchangeCode({ code, codeVerifier: verifier })
        unwrap(await storePlatformToken(vault, account.entityId, platformByShortcode('m') ?? assert.fail('no mastodon'), linked.accountIdentifier, JSON.stringify(linked.token)))
        const payload = (text: string): string => encodePlatformPayload({ version: 2, platformShortcode: 'm', encryptedMessage: app.send(textContentV2(linked.accountIdentifier, text)), deviceId: account.deviceId, language: 'en' }).toString('base64')
        const text = `Posted once ${randomUUID()}`
        const content = payload(text)
        await store.close()

        // The platform answers the next call after 1.5 s; the publisher dies before it does.
        assert.equal((await fetch(`${platforms.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ platform: 'mastodon', kind: 'slow', delayMs: 1_500, count: 1 }) })).status, 201)
        const settings = { store: location, sealingKey, identifierKey: identifierKey.toString('hex'), platformUrl: platforms.url, clientId: client.clientId, clientSecret: client.clientSecret, content, from: PHONE_NUMBER }
        const child = spawn(process.execPath, [CHILD], { env: { ...process.env, PUBLISH_CHILD_SETTINGS: JSON.stringify(settings) }, stdio: ['ignore', 'pipe', 'inherit'] })
        let output = ''
        child.stdout.setEncoding('utf8')
        child.stdout.on('data', (chunk: string) => { output += chunk })
        const exited = once(child, 'exit')
        await eventually('the child calls the platform', () => output.includes('calling the platform\n'), 20_000)
        // The slow fault is taken when the post arrives at the platform: then the publisher dies.
        await eventually('the post reaches the platform', async () => ((await (await fetch(`${platforms.url}/_sim/faults`)).json()) as { faults: unknown[] }).faults.length === 0)
        child.kill('SIGKILL')
        const [, signal] = await exited as [number | null, string | null]
        assert.equal(signal, 'SIGKILL')

        store = await kind.open(location)
        const publisher = publisherOf({
          entityInternal: entityInternalOf({ vault: { ...vault, accounts: store.relay, tokens: store.relayTokens } }),
          adapters: new Map([['mastodon', mastodon]]),
          publications: store.relayPublications,
          publicationKey: publicationKeyOf(identifierKey),
          checkLongLivedToken: async () => {}
        })
        await assert.rejects(publisher.publishContent({ content, metadata: { From: PHONE_NUMBER } }), { code: status.ALREADY_EXISTS, message: 'This message was received before, and whether it was published is unknown; it is not published again.' })
        assert.equal(await store.relayPublications.countPublishing(Date.now() + 1), 1, 'the record stays publishing: the operator\'s unknown count')
        const next = `After the crash ${randomUUID()}`
        assert.equal((await publisher.publishContent({ content: payload(next), metadata: { From: PHONE_NUMBER } })).success, true)
        // The simulator drops a call whose client is gone (a platform might as well have posted it): either way, no second call.
        assert.deepEqual(platforms.posts().map(post => post.text), [next], 'the payload cut off by the crash is not posted again')
      } finally {
        await store.close()
        await platforms.close()
      }
    })
  })
}
