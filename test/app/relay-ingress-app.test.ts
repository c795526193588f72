import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, prepareDemo } from '../../src/app/demo-setup.ts'
import { startEmbeddedGateway } from '../../src/app/embedded-gateway.ts'
import { EmbeddedRelayIngress } from '../../src/app/relay-ingress-app.ts'
import { loadConfig } from '../../src/config/index.ts'
import { watchRelay } from '../../src/http/observability/relay-metrics.ts'
import { createLogger } from '../../src/log/logger.ts'
import { commandStatus } from '../../src/smpp/codec/index.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { eventually, temporaryFolder } from './app-fixtures.ts'
import { recordingPublisher } from '../relay/ingress/ingress-fixtures.ts'
import { sqliteBytes } from '../store/at-rest.ts'

// Ours (relay.md §1): mobile-originated SMS on our own SMPP binds for a relay number
// (relay.ingressNumbers) enter the relay's ingress like a gateway phone's forward, stored before
// the deliver_sm_resp, and not stored for an inbound.owners client; other numbers' MO are stored
// for their owner as before. Over a real SMPP bind to the SMSC simulator, which injects the MO.

const SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }
const SENDER = '+237650004321'
const RELAY_NUMBER = '15505'
const PAYLOAD = Buffer.concat([Buffer.from([2, 30, 0, 0, 0x74]), randomBytes(30), Buffer.from('fr')]).toString('base64')

test('an MO for a relay number on our own SMPP bind is stored as a forward before it is acknowledged, handed to the publisher with the MO\'s source and receive time, and not stored for a client; other numbers\' MO still are', { timeout: 60_000 }, async t => {
  const folder = await temporaryFolder('relay-ingress-app')
  const demo = await prepareDemo(join(folder, 'data'))
  const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], port: 0 })
  t.after(async () => { await smsc.close() })
  const identifierKeyFile = join(folder, 'identifier.key')
  await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
  const config = await loadConfig({
    env: {},
    overrides: {
      vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
      clients: { allowed: [DEMO_CLIENT] },
      smpp: { host: '127.0.0.1', port: smsc.address.port, ...SMSC_ACCOUNT },
      inbound: { owners: [{ client: DEMO_CLIENT, prefixes: [''] }] },
      relay: { ingress: true, publisherGrpcPort: 0, ingressNumbers: [`+${RELAY_NUMBER}`], sealingKey: `k1 ${randomBytes(32).toString('base64')}`, identifierKeyFile }
    }
  })
  const lines: string[] = []
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => { lines.push(line) } } })
  const registry = new Registry()
  t.after(watchRelay(registry))
  // The publisher holds the first forward until released: the MO must be acknowledged before.
  let release: () => void = () => {}
  const held = new Promise<void>(resolve => { release = resolve })
  const publisher = recordingPublisher(async () => { await held; return { success: true, message: 'Successfully published Twitter message', publisher_response: 'Successfully sent message' } })
  const relayIngress = new EmbeddedRelayIngress(config, log)
  const storeFile = join(folder, 'data', 'smsgw.db')
  const { running, transport } = await startEmbeddedGateway(config, DEMO_VAULT_PASSWORD, storeFile, log, {}, relayIngress.mo)
  t.after(async () => {
    await relayIngress.close()
    await running.shutdown()
  })
  assert.equal(relayIngress.httpFront([]).relayRoutes.length, 1, 'the routes for the HTTP front')
  await eventually('the gateway to bind', () => smsc.boundSessions > 0)

  // The SMSC binds before the publisher exists (smsgw run makes it after the gateway): the MO is
  // stored and acknowledged, and processed once the ingress is started with the publisher.
  const before = Date.now()
  assert.deepStrictEqual((await smsc.injectMo({ from: SENDER, to: RELAY_NUMBER, text: PAYLOAD })).commandStatuses, [commandStatus.ESME_ROK])
  assert.equal(await transport.store.relayIngress.countForwards(), 1, 'stored when acknowledged')
  assert.equal(publisher.requests.length, 0)
  relayIngress.start(publisher.publishContent)
  await eventually('the publisher to be called', () => publisher.requests.length === 1)
  release()
  await eventually('the forward to be finished', async () => await transport.store.relayIngress.countForwards() === 0)
  const [request] = publisher.requests
  assert.equal(request?.content, PAYLOAD)
  assert.equal(request?.metadata.From, SENDER)
  const seconds = Number(request?.metadata.Date)
  assert.ok(seconds >= Math.floor(before / 1000) - 1 && seconds <= Math.ceil(Date.now() / 1000), 'the receive time in seconds')
  assert.equal(request?.metadata.Date_sent, request?.metadata.Date)
  assert.deepStrictEqual(await transport.store.inbound.listAfter(DEMO_CLIENT, 0, 10), [], 'not stored for the client owning every number')

  assert.deepStrictEqual((await smsc.injectMo({ from: SENDER, to: '15506', text: 'for the demo client' })).commandStatuses, [commandStatus.ESME_ROK])
  assert.equal((await transport.store.inbound.listAfter(DEMO_CLIENT, 0, 10)).length, 1, 'another number\'s MO is stored for its owner')
  assert.equal(publisher.requests.length, 1)
  assert.ok((await registry.metrics()).split('\n').includes('smsgw_relay_ingress_total{ingress="smpp",outcome="published"} 1'))

  await relayIngress.close()
  await running.shutdown()
  const stored = await sqliteBytes(storeFile)
  const secrets = [SENDER, SENDER.slice(1), PAYLOAD, PAYLOAD.slice(8, 40)]
  assert.deepStrictEqual(secrets.filter(secret => stored.includes(Buffer.from(secret))), [], 'no number or payload in the store')
  assert.ok(lines.some(line => line.includes('relay ingress started')), 'the logs were captured')
  assert.deepStrictEqual(secrets.filter(secret => lines.some(line => line.includes(secret))), [], 'nor in the logs')
})
