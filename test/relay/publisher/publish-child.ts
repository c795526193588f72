import { entityInternalOf } from '../../../src/relay/grpc/entity-internal/entity-internal-of.ts'
import { mastodonAdapter } from '../../../src/relay/platforms/mastodon-adapter.ts'
import type { OAuth2Adapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { publicationKeyOf } from '../../../src/relay/publisher/publication-key.ts'
import { publisherOf } from '../../../src/relay/publisher/publisher.ts'
import { generateX25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { parseSealingKeyRing } from '../../../src/relay/vault/index.ts'
import { openStore } from '../../../src/store/open-store.ts'

// A publisher in a process of its own, for publisher-crash.test.ts to kill with SIGKILL: it
// publishes one payload through the real Mastodon adapter and says "calling the platform" on
// stdout just before the adapter's call, once the publication's claim is durable.

interface ChildSettings {
  readonly store: string
  readonly sealingKey: string
  readonly identifierKey: string
  readonly platformUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly content: string
  readonly from: string
}

const settings = JSON.parse(process.env.PUBLISH_CHILD_SETTINGS ?? '{}') as ChildSettings
const store = await openStore(settings.store)
const keys = parseSealingKeyRing(settings.sealingKey)
if (!keys.ok) throw keys.error
const vault = { accounts: store.relay, tokens: store.relayTokens, keys: keys.value, identifierKey: Buffer.from(settings.identifierKey, 'hex'), generateKeyPair: generateX25519KeyPair }
const mastodon = mastodonAdapter({ baseUrl: settings.platformUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, redirectUrl: 'https://relay.smswithoutborders.com/android' })
const announcing: OAuth2Adapter = {
  ...mastodon,
  publish: async (token, content) => {
    process.stdout.write('calling the platform\n')
    return await mastodon.publish(token, content)
  }
}
const publisher = publisherOf({
  entityInternal: entityInternalOf({ vault }),
  adapters: new Map([['mastodon', announcing]]),
  publications: store.relayPublications,
  publicationKey: publicationKeyOf(vault.identifierKey),
  checkLongLivedToken: async () => {}
})
const answer = await publisher.publishContent({ content: settings.content, metadata: { From: settings.from } })
process.stdout.write(`${JSON.stringify(answer)}\n`)
await store.close()
