import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, prepareDemo } from '../../src/app/demo-setup.ts'
import { startEmbeddedApp } from '../../src/app/embedded-app.ts'
import { DEVELOPMENT_OTP_MESSAGE } from '../../src/relay/grpc/development-otp-sender.ts'
import { createLogger } from '../../src/log/logger.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { keyFields, newAppKeys } from '../relay/grpc/app-client.ts'
import { entityClient } from '../relay/grpc/entity-harness.ts'
import { temporaryFolder } from './app-fixtures.ts'

// `smsgw run` with relay.grpcPort: the relay vault's gRPC server starts beside the gateway over
// its store, and stops with it (docs/relay.md, "Pointing the RelaySMS app at the vault").

const silent = createLogger({ level: 'silent' })
const SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }

async function relayConfig (folder: string, withPepper: boolean): Promise<string> {
  const identifierKeyFile = join(folder, 'identifier.key')
  const pepperFile = join(folder, 'pepper')
  await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
  if (withPepper) await writeFile(pepperFile, `${randomBytes(32).toString('base64')}\n`)
  const config = join(folder, 'smsgw.yaml')
  await writeFile(config, [
    'relay:',
    `  sealingKey: "k1 ${randomBytes(32).toString('base64')}"`,
    `  identifierKeyFile: ${identifierKeyFile}`,
    `  pepperFile: ${pepperFile}`,
    '  grpcPort: 0',
    '  environment: development',
    '  otpDevelopmentCode: "246810"',
    '  otpDevelopmentIdentifiers: ["+237650000001"]',
    ''
  ].join('\n'))
  return config
}

test('smsgw run with relay.grpcPort serves vault.v1.Entity and the gateway-client registry over the run\'s store until it closes', async () => {
  const folder = await temporaryFolder('embedded-relay')
  const app = await startEmbeddedApp({ dataDir: join(folder, 'data'), configFile: await relayConfig(folder, true), httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log: silent, env: {} })
  assert.ok(app.relayGrpcPort !== undefined && app.relayGrpcPort > 0)
  const client = entityClient(app.relayGrpcPort)
  const first = await client.call('CreateEntity', { country_code: 'CM', phone_number: '+237650000001', password: 'Str0ng!pass', ...keyFields(newAppKeys()) })
  assert.equal(first.message, DEVELOPMENT_OTP_MESSAGE)
  client.close()
  // The gateway-client registry is served by the same HTTP front, over the run's store.
  const clients = await fetch(`${app.url}/v3/clients`)
  assert.deepStrictEqual([clients.status, await clients.json(), clients.headers.get('x-total-count'), clients.headers.get('cache-control')], [200, [], '0', 'no-cache'])
  const test = await fetch(`${app.url}/v3/clients/+237650000001/tests`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"test_start_time": "1"}' })
  assert.deepStrictEqual([test.status, await test.json()], [200, { error: 'Gateway client not found' }])
  const openapi = await (await fetch(`${app.url}/openapi.json`)).json() as { paths: Record<string, unknown> }
  assert.deepStrictEqual(Object.keys(openapi.paths).filter(path => path.startsWith('/v3')), [], 'the RelaySMS routes are not the smsgw API')
  await app.close()
  const after = entityClient(app.relayGrpcPort)
  await assert.rejects(after.call('ListEntityStoredTokens', {}), (error: { code: number }) => error.code === status.UNAVAILABLE, 'nothing listens after close')
  after.close()
})

test('smsgw run with relay.grpcPort but no pepper file refuses to start, naming the setting', async () => {
  const folder = await temporaryFolder('embedded-relay')
  await assert.rejects(
    startEmbeddedApp({ dataDir: join(folder, 'data'), configFile: await relayConfig(folder, false), httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log: silent, env: {} }),
    { code: 'SMSGW_RELAY_KEY_FILE', message: /relay\.pepperFile/ }
  )
})

test('smsgw run with relay.otpSmsClient sends the OTP as an SMS of that client through its own gateway to the SMSC; the code creates the account, counted in the metrics; neither the number nor the code is in the logs, the metrics or the store in clear', async () => {
  const folder = await temporaryFolder('embedded-relay')
  const dataDir = join(folder, 'data')
  const demo = await prepareDemo(dataDir)
  const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], retainSubmitted: 10, port: 0 })
  const identifierKeyFile = join(folder, 'identifier.key')
  const pepperFile = join(folder, 'pepper')
  await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
  await writeFile(pepperFile, `${randomBytes(32).toString('base64')}\n`)
  const configFile = join(folder, 'smsgw.json')
  await writeFile(configFile, JSON.stringify({
    vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
    clients: { allowed: [DEMO_CLIENT] },
    smpp: { host: '127.0.0.1', port: smsc.address.port, ...SMSC_ACCOUNT },
    relay: { sealingKey: `k1 ${randomBytes(32).toString('base64')}`, identifierKeyFile, pepperFile, grpcPort: 0, otpSmsClient: DEMO_CLIENT }
  }))
  const logLines: string[] = []
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => { logLines.push(line) } } })
  const app = await startEmbeddedApp({ dataDir, configFile, httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log, env: {} })
  const client = entityClient(app.relayGrpcPort ?? assert.fail('no gRPC port'))
  const phone = '+237650000042'
  const request = { country_code: 'CM', phone_number: phone, password: 'Str0ng!pass', ...keyFields(newAppKeys()) }
  assert.equal((await client.call('CreateEntity', request)).message, 'OTP sent. Check your phone.')
  const [sms] = await smsc.waitForSubmits(1, 10_000)
  assert.ok(sms !== undefined)
  assert.deepEqual([sms.destination.replace(/^\+/, ''), sms.source], [phone.slice(1), 'RelaySMS'])
  const code = (/^Your RelaySMS Verification Code is: (\d{6})$/.exec(sms.shortMessage.toString('latin1')) ?? assert.fail('not the OTP text'))[1] as string
  assert.equal((await client.call('CreateEntity', { ...request, ownership_proof_response: code })).message, 'Entity created successfully')
  const metrics = await (await fetch(`${app.url}/metrics`)).text()
  for (const series of [
    'smsgw_relay_rpcs_total{method="CreateEntity",code="OK"} 2',
    'smsgw_relay_otps_total{channel="phone",outcome="sent"} 1',
    'smsgw_relay_rate_limited_total{limit="otp"} 0',
    'smsgw_relay_handshakes_total{kind="create"} 1',
    'smsgw_relay_handshakes_total{kind="authenticate"} 0',
    'smsgw_relay_accounts 1'
  ]) assert.ok(metrics.split('\n').includes(series), series)
  client.close()
  await app.close()
  await smsc.close()

  assert.ok(logLines.some(line => line.includes('relay vault gRPC server started')), 'the logs were captured')
  const secrets = [phone, phone.slice(1), code]
  assert.deepEqual(secrets.filter(secret => logLines.some(line => line.includes(secret))), [], 'no number or code in the logs')
  assert.deepEqual(secrets.filter(secret => metrics.includes(secret)), [], 'nor in the metrics')
  const storeFiles = [join(dataDir, 'smsgw.db'), join(dataDir, 'smsgw.db-wal')].filter(file => existsSync(file))
  const stored = Buffer.concat(await Promise.all(storeFiles.map(async file => await readFile(file))))
  assert.ok(stored.includes(Buffer.from('relay-otp-')), 'the OTP SMS\'s request is in the store')
  assert.deepEqual(secrets.filter(secret => stored.includes(Buffer.from(secret))), [], 'no number or code in the store')
})
