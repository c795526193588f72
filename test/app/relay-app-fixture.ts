import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, prepareDemo } from '../../src/app/demo-setup.ts'
import type { TestContext } from 'node:test'
import { startPlatformSimulator, type PlatformSimulator, type SimClient } from '../../src/platform-sim/index.ts'
import { encodePlatformPayload, platforms as relayPlatforms } from '../../src/relay/payload/index.ts'
import { computeDeviceId } from '../../src/relay/vault/index.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { completeOnApp, keyFields, newAppKeys } from '../relay/grpc/app-client.ts'
import { entityClient } from '../relay/grpc/entity-harness.ts'
import { publisherClient, textContentV2 } from '../relay/publisher/publisher-harness.ts'
import { temporaryFolder } from './app-fixtures.ts'

// `smsgw run` with the relay on (vault, publisher, and the ingress where a test wants it) over an
// SMSC simulator and the platform simulator, and the RelaySMS app's side of it: sign up with the
// development code, link platforms through the real client libraries (PKCE), and make payloads as
// the app does. Shared by the tests that need a user with traffic.

export const SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }
/** The development code of relay.otpDevelopmentCode: it proves the numbers of `phones`. */
export const OTP = '246810'
export const REDIRECT = 'https://relay.smswithoutborders.com/android'

export interface RelaySimulators {
  /** A temporary folder for the configuration and its files; `dataDir` is in it. */
  readonly folder: string
  readonly dataDir: string
  readonly smsc: SmscSimulator
  readonly platforms: PlatformSimulator
}

/** A temporary folder `prefix`, an SMSC simulator and the platform simulator (its OAuth `autoApprove` on or off), closed when the test ends. */
export async function relaySimulators (t: TestContext, prefix: string, options: { autoApprove: boolean }): Promise<RelaySimulators> {
  const folder = await temporaryFolder(prefix)
  const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], retainSubmitted: 20, port: 0 })
  t.after(async () => { await smsc.close() })
  const platforms = await startPlatformSimulator({ autoApprove: options.autoApprove })
  t.after(async () => { await platforms.close() })
  return { folder, dataDir: join(folder, 'data'), smsc, platforms }
}

/** The platform simulator as the configuration needs it: in this process or in a process of its own. */
export interface PlatformSimulatorAt {
  readonly url: string
  readonly clients: readonly SimClient[]
}

export interface RelayConfigOptions {
  /** The numbers the development code is accepted for. */
  readonly phones: readonly string[]
  /** A relay number: relay.ingress on, and this number's MO reach it. */
  readonly relayNumber?: string
  /** The platforms configured at the simulator (Mastodon alone unless given). */
  readonly platforms?: readonly string[]
  /** Further keys of `relay`, of `smpp`, and of the top level. */
  readonly relay?: Record<string, unknown>
  readonly smpp?: Record<string, unknown>
  readonly top?: Record<string, unknown>
}

/** Writes a file named `name` into the folder it was made for and resolves to its path. */
export type FileWriter = (name: string, text: string) => Promise<string>

export function fileWriterInto (folder: string): FileWriter {
  return async (name, text) => {
    const file = join(folder, name)
    await writeFile(file, text)
    return file
  }
}

/** The relay's own keys, fresh (the key files written with `write`), and its two gRPC services on free ports. */
export async function freshRelayKeys (write: FileWriter): Promise<Record<string, unknown>> {
  return {
    sealingKey: `k1 ${randomBytes(32).toString('base64')}`,
    identifierKeyFile: await write('identifier.key', `${randomBytes(24).toString('base64')}\n`),
    pepperFile: await write('pepper', `${randomBytes(32).toString('base64')}\n`),
    grpcPort: 0,
    publisherGrpcPort: 0
  }
}

/** The configuration of platform `name` (mastodon, twitter, ...) at the simulator, its client secret written with `write`. */
export async function simulatedPlatformConfig (simulator: PlatformSimulatorAt, name: string, write: FileWriter): Promise<Record<string, string>> {
  const client = simulator.clients.find(candidate => candidate.platform === name) ?? assert.fail(`no ${name} client`)
  // X's authorize page is the one URL not under its API (src/config/relay-platforms-schema.ts).
  const authorization: Record<string, string> = name === 'twitter' ? { authorizationUrl: `${simulator.url}/i/oauth2/authorize` } : {}
  return { baseUrl: simulator.url, clientId: client.clientId, clientSecretFile: await write(`${name}.secret`, `${client.clientSecret}\n`), redirectUrl: REDIRECT, ...authorization }
}

/** Writes the configuration (and its key files) into `folder`; returns its file. The identifier key is `folder`/identifier.key. */
export async function relayConfigFile (folder: string, dataDir: string, smsc: SmscSimulator, simulator: PlatformSimulatorAt, options: RelayConfigOptions): Promise<string> {
  const demo = await prepareDemo(dataDir)
  const write = fileWriterInto(folder)
  const platforms: Record<string, Record<string, string>> = {}
  for (const name of options.platforms ?? ['mastodon']) platforms[name] = await simulatedPlatformConfig(simulator, name, write)
  const ingress = options.relayNumber === undefined ? {} : { ingress: true, ingressNumbers: [`+${options.relayNumber}`] }
  return await write('smsgw.json', JSON.stringify({
    vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
    clients: { allowed: [DEMO_CLIENT] },
    smpp: { host: '127.0.0.1', port: smsc.address.port, ...SMSC_ACCOUNT, ...options.smpp },
    ...options.top,
    relay: {
      ...await freshRelayKeys(write),
      ...ingress,
      environment: 'development',
      otpDevelopmentCode: OTP,
      otpDevelopmentIdentifiers: options.phones,
      otpSmsClient: DEMO_CLIENT,
      ...options.relay,
      platforms
    }
  }))
}

export interface LinkedUser {
  /** The long-lived token the app holds. */
  readonly token: string
  /** The account each platform's token was stored for, by platform. */
  readonly accounts: ReadonlyMap<string, string>
  /** The publisher's answer to ExchangeOAuth2CodeAndStore, by platform. */
  readonly exchanged: ReadonlyMap<string, Record<string, unknown>>
  /**
   * A platform payload (base64) carrying `text` to the account of `platform` (Mastodon unless
   * given), as the app puts it into an SMS; `tampered`, with its ratchet tag broken; `anonymous`,
   * without its device id (the vault then finds the account by the sender's number).
   */
  payload: (text: string, options?: { platform?: string, tampered?: boolean, anonymous?: boolean }) => string
}

export interface LinkOptions {
  /** The platforms to link (Mastodon alone unless given). */
  readonly platforms?: readonly string[]
  /** Approves an authorization URL and resolves to the redirect's code; by default the simulator's auto-approval is followed. */
  readonly approve?: (authorizationUrl: string, platform: string) => Promise<string>
}

/** Signs `phone` up on the app's vault and links the simulator's platforms, as the app does. */
export async function signUpAndLink (ports: { vault: number, publisher: number }, phone: string, options: LinkOptions = {}): Promise<LinkedUser> {
  const entity = entityClient(ports.vault)
  const publisher = publisherClient(ports.publisher)
  const approve = options.approve ?? autoApproved
  try {
    const keys = newAppKeys()
    const signUp = { country_code: 'CM', phone_number: phone, password: 'Str0ng!pass', ...keyFields(keys) }
    await entity.call('CreateEntity', signUp)
    const session = completeOnApp(keys, await entity.call('CreateEntity', { ...signUp, ownership_proof_response: OTP }))
    const exchanged = new Map<string, Record<string, unknown>>()
    for (const platform of options.platforms ?? ['mastodon']) {
      const url = await publisher.call('GetOAuth2AuthorizationUrl', { platform, state: Buffer.from(`${platform},false`).toString('base64'), autogenerate_code_verifier: true, redirect_url: REDIRECT })
      const code = await approve(String(url.authorization_url), platform)
      exchanged.set(platform, await publisher.call('ExchangeOAuth2CodeAndStore', { long_lived_token: session.token, platform, authorization_code: code, code_verifier: url.code_verifier, redirect_url: REDIRECT }))
    }
    const stored = (await entity.call('ListEntityStoredTokens', { long_lived_token: session.token })).stored_tokens as Array<{ platform: string, account_identifier: string }>
    const accounts = new Map(stored.map(token => [token.platform, token.account_identifier]))
    for (const platform of exchanged.keys()) assert.ok(accounts.has(platform), `no ${platform} token stored`)
    const deviceId = computeDeviceId(session.deviceSecret, phone, keys.deviceId.publicKey)
    return {
      token: session.token,
      accounts,
      exchanged,
      payload: (text, { platform = 'mastodon', tampered = false, anonymous = false } = {}) => {
        const shortcode = relayPlatforms.find(candidate => candidate.name === platform)?.shortcode ?? assert.fail(`no shortcode of ${platform}`)
        const message = session.send(textContentV2(accounts.get(platform) ?? assert.fail(`no ${platform} account`), text))
        // The last byte is the tag's: the vault's check of it fails.
        if (tampered) message[message.length - 1] = (message.at(-1) as number) ^ 0x01
        return encodePlatformPayload({ version: 2, platformShortcode: shortcode, encryptedMessage: message, deviceId: anonymous ? Buffer.alloc(0) : deviceId, language: 'en' }).toString('base64')
      }
    }
  } finally {
    entity.close()
    publisher.close()
  }
}

/** Follows an authorization URL of the simulator with autoApprove on; resolves to the redirect's code. */
async function autoApproved (authorizationUrl: string): Promise<string> {
  const redirect = await fetch(authorizationUrl, { redirect: 'manual' })
  return new URL(redirect.headers.get('location') ?? assert.fail('no redirect')).searchParams.get('code') ?? assert.fail('no code')
}
