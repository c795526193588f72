import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { status } from '@grpc/grpc-js'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, prepareDemo } from '../../src/app/demo-setup.ts'
import { startEmbeddedApp } from '../../src/app/embedded-app.ts'
import { createLogger } from '../../src/log/logger.ts'
import { startPlatformSimulator, type PlatformSimulator } from '../../src/platform-sim/index.ts'
import { encodePlatformPayload } from '../../src/relay/payload/index.ts'
import { computeDeviceId } from '../../src/relay/vault/index.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { completeOnApp, keyFields, newAppKeys } from '../relay/grpc/app-client.ts'
import { entityClient } from '../relay/grpc/entity-harness.ts'
import { publisherClient, textContentV2 } from '../relay/publisher/publisher-harness.ts'
import { newPostgresLocation, withAdmin } from '../store/store-kinds.ts'
import { temporaryFolder } from './app-fixtures.ts'

// `smsgw run` with relay.publisherGrpcPort, end to end on SQLite and on PostgreSQL: the app signs
// up (vault.v1.Entity), links Mastodon through publisher.v1.Publisher with the platform simulator
// as the instance (the real `masto` client, PKCE S256), and publishes payloads made by our ratchet
// initiator. Each post is recorded once by the simulator however often its payload comes; the
// delivery notice goes out as an SMS of relay.otpSmsClient through the gateway to the SMSC; the
// platform's server errors are retried, its rate limit beyond the longest wait and its refusal of
// the token are not; the metrics count it all; and no post text, number or token is in the logs or
// the store in clear.

const SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }
const PHONE = '+237650000042'
const OTP = '246810'
const REDIRECT = 'https://relay.smswithoutborders.com/android'

async function configFor (folder: string, dataDir: string, smsc: SmscSimulator, platforms: PlatformSimulator): Promise<string> {
  const demo = await prepareDemo(dataDir)
  const write = async (name: string, text: string): Promise<string> => {
    const file = join(folder, name)
    await writeFile(file, text)
    return file
  }
  const mastodon = platforms.clients.find(client => client.platform === 'mastodon') ?? assert.fail('no Mastodon client')
  const configFile = join(folder, 'smsgw.json')
  await writeFile(configFile, JSON.stringify({
    vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
    clients: { allowed: [DEMO_CLIENT] },
    smpp: { host: '127.0.0.1', port: smsc.address.port, ...SMSC_ACCOUNT },
    relay: {
      sealingKey: `k1 ${randomBytes(32).toString('base64')}`,
      identifierKeyFile: await write('identifier.key', `${randomBytes(24).toString('base64')}\n`),
      pepperFile: await write('pepper', `${randomBytes(32).toString('base64')}\n`),
      grpcPort: 0,
      publisherGrpcPort: 0,
      environment: 'development',
      otpDevelopmentCode: OTP,
      otpDevelopmentIdentifiers: [PHONE],
      otpSmsClient: DEMO_CLIENT,
      publishRetryBaseDelayMs: 10,
      platforms: { mastodon: { baseUrl: platforms.url, clientId: mastodon.clientId, clientSecretFile: await write('mastodon.secret', `${mastodon.clientSecret}\n`), redirectUrl: REDIRECT } }
    }
  }))
  return configFile
}

async function fault (platforms: PlatformSimulator, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${platforms.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ platform: 'mastodon', ...body }) })
  assert.equal(response.status, 201)
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`${kind} store`, () => {
    test('sign up, link Mastodon, publish once per payload with a notice per attempt; retries, limits, refused tokens; nothing in clear', async () => {
      const folder = await temporaryFolder('embedded-publisher')
      const dataDir = join(folder, 'data')
      const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], retainSubmitted: 20, port: 0 })
      const platforms = await startPlatformSimulator({ autoApprove: true })
      const storeUrl = kind === 'postgres' ? await newPostgresLocation() : undefined
      const logLines: string[] = []
      const log = createLogger({ level: 'debug', destination: { write: (line: string) => { logLines.push(line) } } })
      const app = await startEmbeddedApp({ dataDir, configFile: await configFor(folder, dataDir, smsc, platforms), ...(storeUrl === undefined ? {} : { storeUrl }), httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log, env: {} })
      const entity = entityClient(app.relayGrpcPort ?? assert.fail('no vault port'))
      const publisher = publisherClient(app.relayPublisherGrpcPort ?? assert.fail('no publisher port'))
      const texts: string[] = []
      try {
        // The app signs up (the development code proves the number) and links Mastodon.
        const keys = newAppKeys()
        const signUp = { country_code: 'CM', phone_number: PHONE, password: 'Str0ng!pass', ...keyFields(keys) }
        await entity.call('CreateEntity', signUp)
        const session = completeOnApp(keys, await entity.call('CreateEntity', { ...signUp, ownership_proof_response: OTP }))
        const url = await publisher.call('GetOAuth2AuthorizationUrl', { platform: 'mastodon', state: 'bWFzdG9kb24sZmFsc2U=', autogenerate_code_verifier: true, redirect_url: REDIRECT })
        const redirect = await fetch(String(url.authorization_url), { redirect: 'manual' })
        const code = new URL(redirect.headers.get('location') ?? assert.fail('no redirect')).searchParams.get('code') ?? assert.fail('no code')
        assert.deepStrictEqual(await publisher.call('ExchangeOAuth2CodeAndStore', { long_lived_token: session.token, platform: 'mastodon', authorization_code: code, code_verifier: url.code_verifier, redirect_url: REDIRECT }), { success: true, message: 'Successfully fetched and stored token', tokens: {} })
        const [stored] = (await entity.call('ListEntityStoredTokens', { long_lived_token: session.token })).stored_tokens as Array<{ platform: string, account_identifier: string }>
        const account = stored?.account_identifier ?? assert.fail('no token stored')
        assert.equal(stored?.platform, 'mastodon')

        const deviceId = computeDeviceId(session.deviceSecret, PHONE, keys.deviceId.publicKey)
        const payload = (text: string, byDevice = true): string => {
          texts.push(text)
          return encodePlatformPayload({ version: 2, platformShortcode: 'm', encryptedMessage: session.send(textContentV2(account, text)), deviceId: byDevice ? deviceId : Buffer.alloc(0), language: 'en' }).toString('base64')
        }
        const publish = async (content: string): Promise<Record<string, unknown>> => await publisher.call('PublishContent', { content, metadata: { From: PHONE, Date: '1765000010', Date_sent: '1765000000' } })
        const notices = async (count: number): Promise<string[]> => (await smsc.waitForSubmits(count, 10_000)).map(sms => {
          assert.equal(sms.destination.replace(/^\+/, ''), PHONE.slice(1))
          return sms.shortMessage.toString('latin1')
        })

        // One payload, published once however often it comes.
        const first = payload(`Hello from the bush ${randomUUID()}`)
        const published = { success: true, message: 'Successfully published mastodon message', publisher_response: 'Successfully sent message' }
        assert.deepStrictEqual(await publish(first), published)
        assert.deepStrictEqual(await Promise.all([publish(first), publish(first)]), [published, published])
        assert.deepEqual(platforms.posts().map(post => [post.account, post.text]), [[account, texts[0]]])
        const [notice] = await notices(1)
        assert.match(notice ?? '', /^RelaySMS Delivery: Successfully sent message to mastodon at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\)\.$/)

        // A server error is retried; the account found by the sender's number when the payload has no device id.
        await fault(platforms, { kind: 'server-error', count: 1 })
        assert.deepStrictEqual(await publish(payload(`After a 5xx ${randomUUID()}`, false)), published)
        assert.equal(platforms.posts().length, 2)

        // A rate limit asking for a minute is not waited for; the sender is told.
        await fault(platforms, { kind: 'rate-limit', count: 5, retryAfterSeconds: 60 })
        const limited = await publisher.failure('PublishContent', { content: payload(`Rate limited ${randomUUID()}`), metadata: { From: PHONE } })
        assert.equal(limited.code, status.INVALID_ARGUMENT)
        await fetch(`${platforms.url}/_sim/faults`, { method: 'DELETE' })

        // A token the platform refuses even after a refresh is reported, not retried.
        await fault(platforms, { kind: 'expired-token' })
        const refused = await publisher.failure('PublishContent', { content: payload(`Token refused ${randomUUID()}`), metadata: { From: PHONE } })
        assert.equal(refused.code, status.INVALID_ARGUMENT)
        await fetch(`${platforms.url}/_sim/faults`, { method: 'DELETE' })
        assert.equal(platforms.posts().length, 2)
        const all = await notices(4)
        assert.deepEqual(all.map(text => text.replace(/ at .*$/, '')).sort(), ['RelaySMS Delivery: Failed to send message to mastodon', 'RelaySMS Delivery: Failed to send message to mastodon', 'RelaySMS Delivery: Successfully sent message to mastodon', 'RelaySMS Delivery: Successfully sent message to mastodon'])

        // The token refreshed on the way still publishes.
        assert.deepStrictEqual(await publish(payload(`After the refresh ${randomUUID()}`)), published)
        assert.equal(platforms.posts().length, 3)

        const metrics = await (await fetch(`${app.url}/metrics`)).text()
        for (const series of [
          'smsgw_relay_publishes_total{platform="mastodon",outcome="published"} 3',
          'smsgw_relay_publishes_total{platform="mastodon",outcome="replayed"} 2',
          'smsgw_relay_publishes_total{platform="mastodon",outcome="rate-limited"} 1',
          'smsgw_relay_publishes_total{platform="mastodon",outcome="token-invalid"} 1',
          'smsgw_relay_publish_seconds_count{platform="mastodon"} 7',
          'smsgw_relay_notices_total{outcome="sent"} 5',
          'smsgw_relay_rpcs_total{method="PublishContent",code="OK"} 5',
          'smsgw_relay_publications_unknown 0'
        ]) assert.ok(metrics.split('\n').includes(series), series)
        const platformList = await (await fetch(`${app.url}/v1/platforms`)).json() as Array<{ name: string }>
        assert.deepEqual(platformList.map(platform => platform.name).sort(), ['mastodon', 'reliability'], 'the platforms served: those configured, and the reliability tests of the gateway-client registry')

        // The tokens go to the device; then they must be nowhere in clear.
        const handedOver = (await entity.call('ListEntityStoredTokens', { long_lived_token: session.token, migrate_to_device: true })).stored_tokens as Array<{ account_tokens: Record<string, string> }>
        const tokens = Object.values(handedOver[0]?.account_tokens ?? {}).filter(token => token.length > 8)
        assert.ok(tokens.length >= 2, 'access and refresh token handed over')
        const secrets = [...texts, PHONE, PHONE.slice(1), session.token, ...tokens]
        assert.deepEqual(secrets.filter(secret => logLines.some(line => line.includes(secret))), [], 'no post text, number or token in the logs')
        assert.deepEqual(secrets.filter(secret => metrics.includes(secret)), [], 'nor in the metrics')
        assert.ok(logLines.some(line => line.includes('relay publisher gRPC server started')), 'the logs were captured')
        const stored2 = storeUrl === undefined ? await sqliteBytes(dataDir) : await postgresText(storeUrl)
        assert.deepEqual(secrets.filter(secret => stored2.includes(Buffer.from(secret))), [], 'nor in the store')
      } finally {
        entity.close()
        publisher.close()
        await app.close()
        await platforms.close()
        await smsc.close()
      }
    })
  })
}

async function sqliteBytes (dataDir: string): Promise<Buffer> {
  const files = [join(dataDir, 'smsgw.db'), join(dataDir, 'smsgw.db-wal')].filter(file => existsSync(file))
  return Buffer.concat(await Promise.all(files.map(async file => await readFile(file))))
}

/** Every row of every table of the store's schema, as text. */
async function postgresText (url: string): Promise<Buffer> {
  return await withAdmin(async admin => {
    const { rows: tables } = await admin.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    // bytea columns come back as Buffers: their bytes are searched too.
    const asText = (_key: string, value: unknown): unknown => (value as { type?: unknown })?.type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('latin1') : value
    const dumps: string[] = []
    for (const { table_name: table } of tables) dumps.push(JSON.stringify((await admin.query(`SELECT * FROM "${table}"`)).rows, asText))
    assert.ok(tables.some(({ table_name: table }) => table === 'smsgw_relay_publications'))
    return Buffer.from(dumps.join('\n'))
  }, url)
}
