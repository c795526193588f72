import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, prepareDemo } from '../../src/app/demo-setup.ts'
import { startEmbeddedApp } from '../../src/app/embedded-app.ts'
import { createLogger } from '../../src/log/logger.ts'
import { startPlatformSimulator } from '../../src/platform-sim/index.ts'
import { encodePlatformPayload } from '../../src/relay/payload/index.ts'
import { computeDeviceId } from '../../src/relay/vault/index.ts'
import { commandStatus } from '../../src/smpp/codec/index.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { completeOnApp, keyFields, newAppKeys } from '../relay/grpc/app-client.ts'
import { entityClient } from '../relay/grpc/entity-harness.ts'
import { publisherClient, textContentV2 } from '../relay/publisher/publisher-harness.ts'
import { eventually, temporaryFolder } from './app-fixtures.ts'

// Issue 12, "Done when": in `smsgw run` with relay.ingress, a gateway phone's forward (POST
// /v3/publish on the app's HTTP port) and an MO on our own SMPP bind for a relay number both end as
// a post the platform simulator records, made by the real Mastodon client library, and a delivery
// notice on the outbound side. The app signs up and links Mastodon as in embedded-app-publisher.

const SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }
const PHONE = '+237650000043'
const OTP = '246810'
const REDIRECT = 'https://relay.smswithoutborders.com/android'
const RELAY_NUMBER = '15505'

test('smsgw run with relay.ingress: a phone\'s forward and an MO for a relay number are published to the platform simulator, each with its notice; nothing in clear', { timeout: 90_000 }, async t => {
  const folder = await temporaryFolder('embedded-ingress')
  const dataDir = join(folder, 'data')
  const demo = await prepareDemo(dataDir)
  const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], retainSubmitted: 20, port: 0 })
  t.after(async () => { await smsc.close() })
  const platforms = await startPlatformSimulator({ autoApprove: true })
  t.after(async () => { await platforms.close() })
  const write = async (name: string, text: string): Promise<string> => {
    const file = join(folder, name)
    await writeFile(file, text)
    return file
  }
  const mastodon = platforms.clients.find(client => client.platform === 'mastodon') ?? assert.fail('no Mastodon client')
  const configFile = await write('smsgw.json', JSON.stringify({
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
      ingressNumbers: [`+${RELAY_NUMBER}`],
      environment: 'development',
      otpDevelopmentCode: OTP,
      otpDevelopmentIdentifiers: [PHONE],
      otpSmsClient: DEMO_CLIENT,
      platforms: { mastodon: { baseUrl: platforms.url, clientId: mastodon.clientId, clientSecretFile: await write('mastodon.secret', `${mastodon.clientSecret}\n`), redirectUrl: REDIRECT } }
    }
  }))
  const logLines: string[] = []
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => { logLines.push(line) } } })
  const app = await startEmbeddedApp({ dataDir, configFile, httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log, env: {} })
  t.after(async () => { await app.close() })
  const entity = entityClient(app.relayGrpcPort ?? assert.fail('no vault port'))
  const publisher = publisherClient(app.relayPublisherGrpcPort ?? assert.fail('no publisher port'))
  t.after(() => {
    entity.close()
    publisher.close()
  })

  // Sign up and link Mastodon, as the app does.
  const keys = newAppKeys()
  const signUp = { country_code: 'CM', phone_number: PHONE, password: 'Str0ng!pass', ...keyFields(keys) }
  await entity.call('CreateEntity', signUp)
  const session = completeOnApp(keys, await entity.call('CreateEntity', { ...signUp, ownership_proof_response: OTP }))
  const url = await publisher.call('GetOAuth2AuthorizationUrl', { platform: 'mastodon', state: 'bWFzdG9kb24sZmFsc2U=', autogenerate_code_verifier: true, redirect_url: REDIRECT })
  const redirect = await fetch(String(url.authorization_url), { redirect: 'manual' })
  const code = new URL(redirect.headers.get('location') ?? assert.fail('no redirect')).searchParams.get('code') ?? assert.fail('no code')
  await publisher.call('ExchangeOAuth2CodeAndStore', { long_lived_token: session.token, platform: 'mastodon', authorization_code: code, code_verifier: url.code_verifier, redirect_url: REDIRECT })
  const [stored] = (await entity.call('ListEntityStoredTokens', { long_lived_token: session.token })).stored_tokens as Array<{ account_identifier: string }>
  const account = stored?.account_identifier ?? assert.fail('no token stored')
  const deviceId = computeDeviceId(session.deviceSecret, PHONE, keys.deviceId.publicKey)
  const texts: string[] = []
  const payload = (text: string): string => {
    texts.push(text)
    return encodePlatformPayload({ version: 2, platformShortcode: 'm', encryptedMessage: session.send(textContentV2(account, text)), deviceId, language: 'en' }).toString('base64')
  }

  // A gateway phone forwards the SMS (the Deku SMS app's body).
  const forwarded = payload(`Forwarded by a phone ${randomUUID()}`)
  const response = await fetch(`${app.url}/v3/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: forwarded, address: PHONE, date: Date.now(), date_sent: Date.now() - 3000, thread_id: 7, type: 1 }) })
  assert.deepStrictEqual([response.status, await response.json()], [200, { publisher_response: 'Successfully sent message' }])
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff')

  // The same user's next SMS reaches our own SMPP bind, addressed to the relay number.
  const viaSmpp = payload(`Sent to our own number ${randomUUID()}`)
  await eventually('the gateway to bind', () => smsc.boundSessions > 0)
  // A payload this long is a concatenated SMS: every part acknowledged, the whole reassembled.
  const parts = (await smsc.injectMo({ from: PHONE, to: RELAY_NUMBER, text: viaSmpp })).commandStatuses
  assert.ok(parts.length > 1 && parts.every(part => part === commandStatus.ESME_ROK), String(parts))
  await eventually('the MO\'s post', () => platforms.posts().length === 2)
  assert.deepStrictEqual(platforms.posts().map(post => [post.platform, post.account, post.text]), texts.map(text => ['mastodon', account, text]))

  // A delivery notice for each, through the gateway to the SMSC.
  const notices = (await smsc.waitForSubmits(2, 10_000)).map(sms => [sms.destination.replace(/^\+/, ''), sms.shortMessage.toString('latin1')])
  for (const [destination, text] of notices) {
    assert.equal(destination, PHONE.slice(1))
    assert.match(text ?? '', /^RelaySMS Delivery: Successfully sent message to mastodon at /)
  }
  const metrics = await (await fetch(`${app.url}/metrics`)).text()
  for (const series of ['smsgw_relay_ingress_total{ingress="http",outcome="published"} 1', 'smsgw_relay_ingress_total{ingress="smpp",outcome="published"} 1', 'smsgw_relay_segments_pending 0']) {
    assert.ok(metrics.split('\n').includes(series), series)
  }
  await app.close()

  const storeFile = join(dataDir, 'smsgw.db')
  const storedBytes = Buffer.concat(await Promise.all([storeFile, `${storeFile}-wal`].filter(file => existsSync(file)).map(async file => await readFile(file))))
  const secrets = [PHONE, PHONE.slice(1), forwarded, viaSmpp, forwarded.slice(10, 50), viaSmpp.slice(10, 50), ...texts]
  assert.deepStrictEqual(secrets.filter(secret => storedBytes.includes(Buffer.from(secret))), [], 'no number, payload or post text in the store')
  assert.ok(logLines.some(line => line.includes('relay ingress started')))
  assert.deepStrictEqual(secrets.filter(secret => logLines.some(line => line.includes(secret))), [], 'nor in the logs')
  assert.deepStrictEqual(secrets.filter(secret => metrics.includes(secret)), [], 'nor in the metrics')
})
