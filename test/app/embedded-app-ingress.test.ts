import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { test } from 'node:test'
import { startEmbeddedApp } from '../../src/app/embedded-app.ts'
import { createLogger } from '../../src/log/logger.ts'
import { commandStatus } from '../../src/smpp/codec/index.ts'
import { eventually } from './app-fixtures.ts'
import { sqliteBytes } from '../store/at-rest.ts'
import { relayConfigFile, relaySimulators, signUpAndLink } from './relay-app-fixture.ts'

// Issue 12, "Done when": in `smsgw run` with relay.ingress, a gateway phone's forward (POST
// /v3/publish on the app's HTTP port) and an MO on our own SMPP bind for a relay number both end as
// a post the platform simulator records, made by the real Mastodon client library, and a delivery
// notice on the outbound side. The app signs up and links Mastodon as in embedded-app-publisher.

const PHONE = '+237650000043'
const RELAY_NUMBER = '15505'

test('smsgw run with relay.ingress: a phone\'s forward and an MO for a relay number are published to the platform simulator, each with its notice; nothing in clear', { timeout: 90_000 }, async t => {
  const { folder, dataDir, smsc, platforms } = await relaySimulators(t, 'embedded-ingress', { autoApprove: true })
  const configFile = await relayConfigFile(folder, dataDir, smsc, platforms, { phones: [PHONE], relayNumber: RELAY_NUMBER })
  const logLines: string[] = []
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => { logLines.push(line) } } })
  const app = await startEmbeddedApp({ dataDir, configFile, httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log, env: {} })
  t.after(async () => { await app.close() })

  // Sign up and link Mastodon, as the app does.
  const user = await signUpAndLink({ vault: app.relayGrpcPort ?? assert.fail('no vault port'), publisher: app.relayPublisherGrpcPort ?? assert.fail('no publisher port') }, PHONE)
  const account = user.accounts.get('mastodon')
  const texts: string[] = []
  const payload = (text: string): string => {
    texts.push(text)
    return user.payload(text)
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

  const storedBytes = await sqliteBytes(join(dataDir, 'smsgw.db'))
  const secrets = [PHONE, PHONE.slice(1), forwarded, viaSmpp, forwarded.slice(10, 50), viaSmpp.slice(10, 50), ...texts]
  assert.deepStrictEqual(secrets.filter(secret => storedBytes.includes(Buffer.from(secret))), [], 'no number, payload or post text in the store')
  assert.ok(logLines.some(line => line.includes('relay ingress started')))
  assert.deepStrictEqual(secrets.filter(secret => logLines.some(line => line.includes(secret))), [], 'nor in the logs')
  assert.deepStrictEqual(secrets.filter(secret => metrics.includes(secret)), [], 'nor in the metrics')
})
