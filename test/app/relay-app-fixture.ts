import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, prepareDemo } from '../../src/app/demo-setup.ts'
import type { PlatformSimulator } from '../../src/platform-sim/index.ts'
import { encodePlatformPayload } from '../../src/relay/payload/index.ts'
import { computeDeviceId } from '../../src/relay/vault/index.ts'
import type { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { completeOnApp, keyFields, newAppKeys } from '../relay/grpc/app-client.ts'
import { entityClient } from '../relay/grpc/entity-harness.ts'
import { publisherClient, textContentV2 } from '../relay/publisher/publisher-harness.ts'

// `smsgw run` with the whole relay on (vault, publisher, ingress) over an SMSC simulator and the
// platform simulator's Mastodon, and the RelaySMS app's side of it: sign up with the development
// code, link Mastodon through the real masto client (PKCE), and make payloads as the app does.
// The same steps as embedded-app-ingress.test.ts, for the tests that need a user with traffic.

export const SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }
const OTP = '246810'
const REDIRECT = 'https://relay.smswithoutborders.com/android'

/** Writes the configuration (and its key files) into `folder`; the relay numbers' MO reach the ingress. */
export async function relayConfigFile (folder: string, dataDir: string, smsc: SmscSimulator, platforms: PlatformSimulator, options: { phone: string, relayNumber: string }): Promise<string> {
  const demo = await prepareDemo(dataDir)
  const write = async (name: string, text: string): Promise<string> => {
    const file = join(folder, name)
    await writeFile(file, text)
    return file
  }
  const mastodon = platforms.clients.find(client => client.platform === 'mastodon') ?? assert.fail('no Mastodon client')
  return await write('smsgw.json', JSON.stringify({
    vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
    clients: { allowed: [DEMO_CLIENT] },
    smpp: { host: '127.0.0.1', port: smsc.address.port, ...SMSC_ACCOUNT },
    relay: {
      sealingKey: `k1 ${randomBytes(32).toString('base64')}`,
      identifierKeyFile: await write('identifier.key', `${randomBytes(24).toString('base64')}\n`),
      pepperFile: await write('pepper', `${randomBytes(32).toString('base64')}\n`),
      grpcPort: 0,
      publisherGrpcPort: 0,
      ingress: true,
      ingressNumbers: [`+${options.relayNumber}`],
      environment: 'development',
      otpDevelopmentCode: OTP,
      otpDevelopmentIdentifiers: [options.phone],
      otpSmsClient: DEMO_CLIENT,
      platforms: { mastodon: { baseUrl: platforms.url, clientId: mastodon.clientId, clientSecretFile: await write('mastodon.secret', `${mastodon.clientSecret}\n`), redirectUrl: REDIRECT } }
    }
  }))
}

export interface LinkedUser {
  /** The long-lived token the app holds. */
  readonly token: string
  /** The Mastodon account the token was stored for. */
  readonly account: string
  /** A platform payload (base64) carrying `text`, as the app puts it into an SMS; `tampered`, with its ratchet tag broken. */
  payload: (text: string, options?: { tampered?: boolean }) => string
}

/** Signs `phone` up on the app's vault and links the simulator's Mastodon, as the app does. */
export async function signUpAndLinkMastodon (ports: { vault: number, publisher: number }, phone: string): Promise<LinkedUser> {
  const entity = entityClient(ports.vault)
  const publisher = publisherClient(ports.publisher)
  try {
    const keys = newAppKeys()
    const signUp = { country_code: 'CM', phone_number: phone, password: 'Str0ng!pass', ...keyFields(keys) }
    await entity.call('CreateEntity', signUp)
    const session = completeOnApp(keys, await entity.call('CreateEntity', { ...signUp, ownership_proof_response: OTP }))
    const url = await publisher.call('GetOAuth2AuthorizationUrl', { platform: 'mastodon', state: 'bWFzdG9kb24sZmFsc2U=', autogenerate_code_verifier: true, redirect_url: REDIRECT })
    const redirect = await fetch(String(url.authorization_url), { redirect: 'manual' })
    const code = new URL(redirect.headers.get('location') ?? assert.fail('no redirect')).searchParams.get('code') ?? assert.fail('no code')
    await publisher.call('ExchangeOAuth2CodeAndStore', { long_lived_token: session.token, platform: 'mastodon', authorization_code: code, code_verifier: url.code_verifier, redirect_url: REDIRECT })
    const [stored] = (await entity.call('ListEntityStoredTokens', { long_lived_token: session.token })).stored_tokens as Array<{ account_identifier: string }>
    const account = stored?.account_identifier ?? assert.fail('no token stored')
    const deviceId = computeDeviceId(session.deviceSecret, phone, keys.deviceId.publicKey)
    return {
      token: session.token,
      account,
      payload: (text, options = {}) => {
        const message = session.send(textContentV2(account, text))
        // The last byte is the tag's: the vault's check of it fails.
        if (options.tampered === true) message[message.length - 1] = (message.at(-1) as number) ^ 0x01
        return encodePlatformPayload({ version: 2, platformShortcode: 'm', encryptedMessage: message, deviceId, language: 'en' }).toString('base64')
      }
    }
  } finally {
    entity.close()
    publisher.close()
  }
}
