import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { PlatformSimulator } from '../../../src/platform-sim/index.ts'
import { platformByShortcode } from '../../../src/relay/payload/platforms.ts'
import type { OAuth2Adapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { generateX25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { storePlatformToken } from '../../../src/relay/vault/platform-tokens.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { createTestAccount, newRing, vaultOver, type TestAccount, type TestVault } from '../vault/stored-vault.ts'
import { appFor } from '../vault/test-app.ts'

/** A platform's adapter made by its real client library, pointed at the platform simulator. */
export interface SimulatorAdapterCase {
  readonly shortcode: string
  build: (simulator: PlatformSimulator) => OAuth2Adapter
}

/** The simulator's OAuth client for `platform` (twitter, mastodon, bluesky, gmail). */
export function simulatorClientOf (simulator: PlatformSimulator, platform: string): { clientId: string, clientSecret: string } {
  const client = simulator.clients.find(candidate => candidate.platform === platform) ?? assert.fail(`no ${platform} client`)
  return { clientId: client.clientId, clientSecret: client.clientSecret }
}

export interface SimulatorLinkedAccount {
  readonly identifierKey: Buffer
  readonly vault: TestVault
  readonly account: TestAccount
  /** The RelaySMS app's side of the account's ratchet. */
  readonly app: ReturnType<typeof appFor>
  /** By platform name. */
  readonly adapters: ReadonlyMap<string, OAuth2Adapter>
  /** The linked account's identifier at the platform, by shortcode. */
  readonly identifiers: ReadonlyMap<string, string>
}

/**
 * A vault account over `store` with each case's platform linked through the simulator's OAuth
 * flow (authorize with auto-approval, code exchange with PKCE) and its token stored sealed, as
 * the publisher finds it after the app linked it.
 */
export async function simulatorLinkedAccount (store: EmbeddedStore, simulator: PlatformSimulator, cases: readonly SimulatorAdapterCase[]): Promise<SimulatorLinkedAccount> {
  const identifierKey = randomBytes(32)
  const vault = vaultOver(store, newRing(), identifierKey)
  const appKeys = generateX25519KeyPair()
  const account = await createTestAccount(vault, appKeys.publicKey)
  const adapters = new Map<string, OAuth2Adapter>()
  const identifiers = new Map<string, string>()
  for (const { shortcode, build } of cases) {
    const platform = platformByShortcode(shortcode) ?? assert.fail(shortcode)
    const adapter = build(simulator)
    const verifier = randomBytes(32).toString('base64url')
    const redirect = await fetch(adapter.authorizationUrl({ state: 's', codeVerifier: verifier }).url, { redirect: 'manual' })
    const code = new URL(redirect.headers.get('location') ?? assert.fail('no redirect')).searchParams.get('code') ?? assert.fail('no code')
    const linked = await adapter.exchangeCode({ code, codeVerifier: verifier })
    unwrap(await storePlatformToken(vault, account.entityId, platform, linked.accountIdentifier, JSON.stringify(linked.token)))
    adapters.set(platform.name, adapter)
    identifiers.set(shortcode, linked.accountIdentifier)
  }
  return { identifierKey, vault, account, app: appFor(account.serverPublishKeyPair, appKeys), adapters, identifiers }
}
