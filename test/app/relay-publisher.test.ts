import { credentials, status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { configuredPublisher } from '../../src/app/relay-publisher.ts'
import { loadConfig } from '../../src/config/index.ts'
import { isSmsgwError } from '../../src/errors.ts'
import { createLogger } from '../../src/log/logger.ts'
import { openStore } from '../../src/store/open-store.ts'
import Fastify from 'fastify'
import { tempStoreFiles } from '../store/temp-files.ts'
import { publisherClient } from '../relay/publisher/publisher-harness.ts'

// The publisher composed from the configuration (src/app/relay-publisher.ts): none without
// relay.publisherGrpcPort; the platforms served are those with an adapter configured (and the
// reliability platform with the tests); a TLS port with the vault's certificate; the settings'
// rules; notices on without a client to send them as, said once.

const files = await tempStoreFiles('relay-publisher-config')
const execFileAsync = promisify(execFile)
const UNSUPPORTED_GMAIL = 'The platform \'gmail\' with protocol \'oauth2\' is currently not supported. Please contact the developers for more information on when this platform will be implemented.'

async function secretEnv (): Promise<Record<string, string>> {
  const identifierKeyFile = join(files.dir, 'identifier.key')
  await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
  return { SMSGW_RELAY_IDENTIFIER_KEY_FILE: identifierKeyFile, SMSGW_RELAY_SEALING_KEY: `k1 ${randomBytes(32).toString('base64')}` }
}

test('without relay.publisherGrpcPort no publisher; with it, the configured platforms are served, over TLS too, and notices without a client are said to be off', async () => {
  const certFile = join(files.dir, 'publisher.crt')
  const keyFile = join(files.dir, 'publisher.key')
  await execFileAsync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'])
  const env = await secretEnv()
  const store = await openStore(files.next())
  const lines: string[] = []
  const log = createLogger({ level: 'info', destination: { write: (line: string) => { lines.push(line) } } })
  assert.equal(configuredPublisher(await loadConfig({ env }), store, log), undefined)

  const clientSecretFile = join(files.dir, 'mastodon.secret')
  await writeFile(clientSecretFile, 'mastodon-simulator-secret\n')
  const overrides = { relay: { platforms: { mastodon: { clientId: 'smsgw-mastodon', clientSecretFile } } } }
  const config = await loadConfig({ env: { ...env, SMSGW_RELAY_PUBLISHER_GRPC_PORT: '0', SMSGW_RELAY_PUBLISHER_GRPC_TLS_PORT: '0', SMSGW_RELAY_GRPC_TLS_CERT_FILE: certFile, SMSGW_RELAY_GRPC_TLS_KEY_FILE: keyFile }, overrides })
  const configured = configuredPublisher(config, store, log) ?? assert.fail('no publisher')
  assert.ok(lines.some(line => line.includes('relay.deliveryNotices is on but no notice can be sent')))
  const routes = Fastify()
  await routes.register(configured.routes)
  assert.deepEqual(((await routes.inject({ method: 'GET', url: '/v1/platforms' })).json() as Array<{ name: string }>).map(platform => platform.name), ['mastodon'])
  await routes.close()
  const withTests = configuredPublisher(config, store, log, { reliabilityTests: { recordRouted: async () => ({ success: true, message: '' }) } }) ?? assert.fail('no publisher')
  const both = Fastify()
  await both.register(withTests.routes)
  assert.deepEqual(((await both.inject({ method: 'GET', url: '/v1/platforms' })).json() as Array<{ name: string }>).map(platform => platform.name).sort(), ['mastodon', 'reliability'])
  await both.close()

  const server = await configured.start()
  assert.ok(server.tlsPort !== undefined && server.tlsPort !== server.port)
  for (const client of [publisherClient(server.port), publisherClient(server.tlsPort, credentials.createSsl(await readFile(certFile)))]) {
    assert.deepStrictEqual(await client.failure('GetOAuth2AuthorizationUrl', { platform: 'gmail' }), { code: status.UNIMPLEMENTED, details: UNSUPPORTED_GMAIL })
    assert.equal((await client.call('GetOAuth2AuthorizationUrl', { platform: 'mastodon', autogenerate_code_verifier: true })).message, 'Successfully generated authorization url')
    client.close()
  }
  assert.equal(await configured.countUnknown(), 0)
  await server.close()
  await store.close()
})

test('the publisher\'s TLS port needs its plaintext port, the certificate and the key', async () => {
  const error = await loadConfig({ env: { SMSGW_RELAY_PUBLISHER_GRPC_TLS_PORT: '8001' } }).then(() => assert.fail('loaded'), (error: unknown) => error)
  assert.ok(isSmsgwError(error, 'SMSGW_CONFIG'))
  for (const needed of ['publisherGrpcPort', 'grpcTlsCertFile', 'grpcTlsKeyFile']) assert.match(error.message, new RegExp(`relay\\.publisherGrpcTlsPort: needs relay\\.${needed}`))
})

test('a missing key file refuses the publisher, naming the setting', async () => {
  const config = await loadConfig({ env: { SMSGW_RELAY_PUBLISHER_GRPC_PORT: '0', SMSGW_RELAY_SEALING_KEY: `k1 ${randomBytes(32).toString('base64')}` } })
  const store = await openStore(files.next())
  assert.throws(() => configuredPublisher(config, store, createLogger({ level: 'silent' })), { code: 'SMSGW_RELAY_KEY_FILE', message: /relay\.identifierKeyFile/ })
  await store.close()
})
