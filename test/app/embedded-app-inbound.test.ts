import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEMO_VAULT_PASSWORD } from '../../src/app/demo-setup.ts'
import { openPayload } from '../../src/crypto/payload/index.ts'
import { Vault } from '../../src/crypto/vault/index.ts'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { DestinationPolicy, EVENT_HEADER, SIGNATURE_HEADER, verifyWebhookSignature } from '../../src/http/webhooks/index.ts'
import { commandStatus } from '../../src/smpp/codec/index.ts'
import { decodeInboundSms, type InboundSms } from '../../src/smpp/inbound/index.ts'
import type { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { eventually, readEventStream, temporaryFolder } from './app-fixtures.ts'
import { startApp } from './embedded-app-fixture.ts'

// The webhook receiver of this test listens on the loop-back, which webhooks may reach only when
// the operator allows it (issue 9, item 2).
process.env.SMSGW_WEBHOOKS_ALLOWED_DESTINATIONS = '127.0.0.1'

// Issue 9, item 10: mobile-originated SMS in embedded mode are stored (sealed to the client that
// owns the number) before the SMSC is acknowledged, once, and served by the API, a stream and
// webhooks; they survive a restart; their sender and text are nowhere in the store or the log.

// Distinctive plaintext, so that a leak into the store file or the log is found.
const SENDER = '+255713572468'
const SHORT_TEXT = 'Kariakoo ferry at dusk, bring the blue umbrella'
const LONG_TEXT = `Zanzibar spice list: ${'cardamom cloves nutmeg '.repeat(9)}end`
const TO = '15505'

interface InboundJson { id: string, received: string, connection: string, parts: number, incomplete: boolean, payload: string }

async function listInbound (url: string, key: string, after = '0'): Promise<{ messages: InboundJson[], next: string }> {
  const response = await fetch(`${url}/v1/inbound?after=${after}`, { headers: { authorization: `Bearer ${key}` } })
  assert.equal(response.status, 200)
  return await response.json() as { messages: InboundJson[], next: string }
}

/** GET /v1/inbound/stream read in the background: the events (id and message) so far. */
async function readInboundStream (url: string, key: string, lastEventId?: string): Promise<{ seen: Array<{ id: string, message: InboundJson }>, close: () => void }> {
  const seen: Array<{ id: string, message: InboundJson }> = []
  const headers = { authorization: `Bearer ${key}`, ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) }
  const close = await readEventStream(`${url}/v1/inbound/stream`, headers, text => {
    for (const [, id, data] of text.matchAll(/^id: (\d+)\nevent: inbound\ndata: (.*)$/gm)) seen.push({ id: id as string, message: JSON.parse(data as string) as InboundJson })
  })
  return { seen, close }
}

async function inject (simulator: SmscSimulator | undefined, text: string): Promise<readonly number[]> {
  assert.ok(simulator !== undefined)
  // The session binds a moment after the app starts.
  await eventually('the gateway to bind to the simulator', () => simulator.boundSessions > 0)
  return (await simulator.injectMo({ from: SENDER, to: TO, text })).commandStatuses
}

test('startEmbeddedApp stores an inbound SMS sealed to its owner before acknowledging it, once, serves it by API, stream and signed webhook, and keeps it across a restart', { timeout: 60_000 }, async t => {
  const dataDir = await temporaryFolder('embedded-app-inbound')
  const posts: Array<{ headers: IncomingHttpHeaders, body: string }> = []
  const receiver = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => { body += chunk.toString() })
    request.on('end', () => {
      posts.push({ headers: request.headers, body })
      response.end()
    })
  })
  await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve))
  t.after(() => { receiver.close() })
  // The webhook is in the API key file before the app first reads it.
  const webhook = await (await ApiKeyFile.open(join(dataDir, 'api-keys.json'), { webhookDestinations: DestinationPolicy.allowing(['127.0.0.1']) })).setWebhook('demo', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`)

  const first = await startApp(t, dataDir)
  const key = first.app.newApiKey
  assert.ok(key !== undefined)
  const stream = await readInboundStream(first.app.url, key)
  t.after(stream.close)

  // Acknowledged ESME_ROK: one part for the short text, two for the long one.
  assert.deepStrictEqual(await inject(first.app.simulator, SHORT_TEXT), [commandStatus.ESME_ROK])
  assert.deepStrictEqual(await inject(first.app.simulator, LONG_TEXT), [commandStatus.ESME_ROK, commandStatus.ESME_ROK])
  // The SMSC delivers both again (their deliver_sm_resp lost): acknowledged, not stored again.
  assert.deepStrictEqual(await inject(first.app.simulator, SHORT_TEXT), [commandStatus.ESME_ROK])
  assert.deepStrictEqual(await inject(first.app.simulator, LONG_TEXT), [commandStatus.ESME_ROK, commandStatus.ESME_ROK])

  // The API: the two messages, sealed to demo's key, which opens them.
  const page = await listInbound(first.app.url, key)
  assert.deepStrictEqual(page.messages.map(message => [message.id, message.connection, message.parts, message.incomplete]), [['1', 'smsc', 1, false], ['2', 'smsc', 2, false]])
  assert.equal(page.next, '2')
  assert.deepStrictEqual((await listInbound(first.app.url, key, page.next)).messages, [])
  const vault = await Vault.load(join(dataDir, 'demo.vault'), DEMO_VAULT_PASSWORD)
  t.after(() => { vault.close() })
  const opened = page.messages.map(message => decodeInboundSms(openPayload(message.payload, vault.keysFor('demo'))))
  assert.deepStrictEqual(opened.map(sms => [sms?.sender, sms?.recipient, sms?.text, sms?.parts]), [[SENDER, `+${TO}`, SHORT_TEXT, 1], [SENDER, `+${TO}`, LONG_TEXT, 2]])
  assert.equal(page.messages[0]?.received, (opened[0] as InboundSms).receivedAt.toISOString().replace('.000Z', 'Z'))

  // The stream and the webhook: each message once, the webhook's signed with demo's secret.
  await eventually('the stream to show both messages', () => stream.seen.length >= 2)
  assert.deepStrictEqual(stream.seen, page.messages.map(message => ({ id: message.id, message })))
  await eventually('the webhook to receive both messages', () => posts.length >= 2)
  assert.deepStrictEqual(posts.map(post => JSON.parse(post.body) as InboundJson), page.messages)
  for (const post of posts) {
    assert.equal(post.headers[EVENT_HEADER], 'inbound')
    assert.ok(verifyWebhookSignature(webhook.secret, post.body, post.headers[SIGNATURE_HEADER] as string | undefined), 'signed with the webhook secret')
  }

  const openapi = await (await fetch(`${first.app.url}/openapi.json`)).json() as { paths: Record<string, unknown> }
  assert.ok('/v1/inbound' in openapi.paths && '/v1/inbound/stream' in openapi.paths, Object.keys(openapi.paths).join(' '))

  // Counted by connection, owner and outcome; the dashboard gets the counts.
  const metrics = await (await fetch(`${first.app.url}/metrics`)).text()
  assert.match(metrics, /^smsgw_inbound_sms_total\{connection="smsc",owner="demo",outcome="stored"\} 2$/m)
  assert.match(metrics, /^smsgw_inbound_sms_total\{connection="smsc",owner="demo",outcome="duplicate"\} 2$/m)

  // The dashboard's frame counts them, and holds neither sender nor text.
  const frames = await fetch(`${first.app.url}/dashboard/events`, { headers: { authorization: `Bearer ${first.app.newOperatorKey ?? ''}` } })
  const reader = (frames.body as ReadableStream<Uint8Array>).getReader()
  let frame = ''
  while (!frame.includes('\n\n')) frame += new TextDecoder().decode((await reader.read()).value)
  await reader.cancel()
  const { metrics: { inbound } } = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? '{}') as { metrics: { inbound: unknown } }
  assert.deepStrictEqual(inbound, { stored: 2, duplicate: 2, refused: 0 })
  for (const needle of [SENDER.slice(1), SHORT_TEXT, 'cardamom']) assert.ok(!frame.includes(needle), `the dashboard frame holds ${needle}`)

  // Restarted on the same data: the messages are there, a late re-delivery is still known, and
  // a stream resuming from Last-Event-ID 0 replays them.
  stream.close()
  await first.app.close()
  const second = await startApp(t, dataDir)
  assert.deepStrictEqual(await listInbound(second.app.url, key), page)
  assert.deepStrictEqual(await inject(second.app.simulator, SHORT_TEXT), [commandStatus.ESME_ROK])
  assert.deepStrictEqual((await listInbound(second.app.url, key)).messages.length, 2)
  const resumed = await readInboundStream(second.app.url, key, '1')
  t.after(resumed.close)
  await eventually('the resumed stream to replay the message after id 1', () => resumed.seen.length >= 1)
  assert.deepStrictEqual(resumed.seen.map(event => event.id), ['2'])
  resumed.close()
  await second.app.close()

  // Plaintext nowhere: not in the store's files (sealed at rest), not in either log.
  const needles = [SENDER.slice(1), SHORT_TEXT.slice(0, 20), 'cardamom cloves']
  for (const file of (await readdir(dataDir)).filter(name => name.startsWith('smsgw.db'))) {
    const bytes = await readFile(join(dataDir, file))
    for (const needle of needles) {
      for (const encoding of ['utf8', 'utf16le'] as const) assert.equal(bytes.indexOf(Buffer.from(needle, encoding)), -1, `${file} holds ${needle} in ${encoding}`)
    }
  }
  for (const line of [...first.log, ...second.log]) for (const needle of needles) assert.ok(!line.includes(needle), `the log holds ${needle}: ${line}`)
  assert.ok(first.log.some(line => line.includes('inbound SMS published')), 'the log says an inbound SMS came, without its content')
})
