import { credentials, status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadConfig } from '../../../src/config/index.ts'
import { isSmsgwError } from '../../../src/errors.ts'
import { DEVELOPMENT_OTP_MESSAGE } from '../../../src/relay/grpc/development-otp-sender.ts'
import { entityContextFromConfig } from '../../../src/relay/grpc/entity-context-from-config.ts'
import { startRelayGrpcServer } from '../../../src/relay/grpc/grpc-server.ts'
import { startConfiguredRelayVault } from '../../../src/relay/grpc/relay-vault-server.ts'
import { createLogger } from '../../../src/log/logger.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { keyFields, newAppKeys } from './app-client.ts'
import { entityClient, vaultClient } from './entity-harness.ts'
import { addressOf, loopbackCertificate, startLoopbackSmtpServer } from '../otp/loopback-smtp-server.ts'

// The Entity service composed from the configuration (docs/configuration.md, `relay`): key files,
// the development OTP only in development, and a missing secret refused by name.

const files = await tempStoreFiles('relay-grpc-config')
const execFileAsync = promisify(execFile)

async function secretFiles (): Promise<Record<string, string>> {
  const identifierKeyFile = join(files.dir, 'identifier.key')
  const pepperFile = join(files.dir, 'pepper')
  await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
  await writeFile(pepperFile, `${randomBytes(32).toString('base64')}\n`)
  return { SMSGW_RELAY_IDENTIFIER_KEY_FILE: identifierKeyFile, SMSGW_RELAY_PEPPER_FILE: pepperFile, SMSGW_RELAY_SEALING_KEY: `k1 ${randomBytes(32).toString('base64')}` }
}

test('a fixed OTP code outside development is a configuration error naming the setting, not the code', async () => {
  const error = await loadConfig({ env: { SMSGW_RELAY_OTP_DEVELOPMENT_CODE: '987654', SMSGW_RELAY_OTP_DEVELOPMENT_IDENTIFIERS: '+237650000001' } }).then(() => assert.fail('loaded'), (error: unknown) => error)
  assert.ok(isSmsgwError(error, 'SMSGW_CONFIG'))
  assert.match(error.message, /relay\.otpDevelopmentCode: is for development only/)
  assert.match(error.message, /relay\.otpDevelopmentIdentifiers: is for development only/)
  assert.doesNotMatch(error.message, /987654/)
})

test('the real OTP senders need what they send with: an allowed client, a sender address, a password file with a user', async () => {
  const messageOf = async (env: Record<string, string>): Promise<string> => await loadConfig({ env }).then(() => 'loaded', (error: Error) => error.message)
  assert.match(await messageOf({ SMSGW_RELAY_OTP_SMS_CLIENT: 'relay' }), /relay\.otpSmsClient: must be one of clients\.allowed, got "relay"/)
  assert.equal(await messageOf({ SMSGW_RELAY_OTP_SMS_CLIENT: 'relay', SMSGW_CLIENTS_ALLOWED: 'test,relay' }), 'loaded')
  assert.match(await messageOf({ SMSGW_RELAY_SMTP_HOST: 'mail.example' }), /relay\.smtpHost: needs relay\.smtpFrom/)
  assert.match(await messageOf({ SMSGW_RELAY_SMTP_USER: 'relay' }), /relay\.smtpUser: needs relay\.smtpPasswordFile/)
  assert.match(await messageOf({ SMSGW_RELAY_SMTP_PASSWORD_FILE: '/x' }), /relay\.smtpPasswordFile: needs relay\.smtpUser/)
})

test('the OTP senders are not composed without the gateway to send through, or with an unreadable SMTP file, naming the setting', async () => {
  const secrets = await secretFiles()
  const store = await openStore(files.next())
  const composedError = async (env: Record<string, string>, outbound?: Parameters<typeof entityContextFromConfig>[2]): Promise<string> => {
    const composed = entityContextFromConfig((await loadConfig({ env: { ...secrets, ...env } })).relay, store, outbound)
    return composed.ok ? 'composed' : `${composed.error.code} ${composed.error.message}`
  }
  const smsClient = { SMSGW_RELAY_OTP_SMS_CLIENT: 'test' }
  assert.match(await composedError(smsClient), /^SMSGW_RELAY_KEY_FILE relay\.otpSmsClient is set, but no outbound gateway runs here/)
  const ingress = { accept: async () => {}, queued: () => false }
  assert.match(await composedError(smsClient, { outbound: { ingress, keyOf: () => undefined } }), /^SMSGW_RELAY_KEY_FILE relay\.otpSmsClient: the vault holds no key of client test$/)
  const smtp = { SMSGW_RELAY_SMTP_HOST: '127.0.0.1', SMSGW_RELAY_SMTP_FROM: 'otp@relay.test', SMSGW_RELAY_SMTP_USER: 'relay' }
  assert.match(await composedError({ ...smtp, SMSGW_RELAY_SMTP_PASSWORD_FILE: join(files.dir, 'absent') }), /^SMSGW_RELAY_KEY_FILE cannot read relay\.smtpPasswordFile \(.*absent\): ENOENT$/)
  assert.match(await composedError({ SMSGW_RELAY_SMTP_HOST: '127.0.0.1', SMSGW_RELAY_SMTP_FROM: 'otp@relay.test', SMSGW_RELAY_SMTP_CA_FILE: join(files.dir, 'absent') }), /^SMSGW_RELAY_KEY_FILE cannot read relay\.smtpCaFile/)
  await store.close()
})

test('composed from the configuration in development: the server answers the first step with the development sender\'s text', async () => {
  const config = await loadConfig({
    env: { ...await secretFiles(), SMSGW_RELAY_ENVIRONMENT: 'development', SMSGW_RELAY_OTP_DEVELOPMENT_CODE: '987654', SMSGW_RELAY_OTP_DEVELOPMENT_IDENTIFIERS: '+237650000001', SMSGW_RELAY_GRPC_PORT: '0' }
  })
  const store = await openStore(files.next())
  const server = await startRelayGrpcServer(unwrap(entityContextFromConfig(config.relay, store)), { host: config.relay.grpcHost, port: config.relay.grpcPort ?? 0, onInternalError: () => {} })
  const client = entityClient(server.port)
  const call = async (request: unknown): Promise<Record<string, unknown>> => await client.call('CreateEntity', request)
  const request = { country_code: 'CM', phone_number: '+237650000001', password: 'Str0ng!pass', ...keyFields(newAppKeys()) }
  assert.equal((await call(request)).message, DEVELOPMENT_OTP_MESSAGE)
  await call({ ...request, ownership_proof_response: '987654' })
  assert.equal(await store.relay.count(), 1)
  client.close()
  await server.close()
  await store.close()
})

test('composed from the configuration, the OTP e-mail goes over STARTTLS trusting relay.smtpCaFile, with AUTH PLAIN as relay.smtpUser and the password file\'s first line, from relay.smtpFrom', async () => {
  const certificate = await loopbackCertificate()
  const smtp = await startLoopbackSmtpServer({ mode: 'starttls', user: 'relay', password: 'pa ss:wörd', certificate })
  const passwordFile = join(files.dir, 'smtp.password')
  await writeFile(passwordFile, 'pa ss:wörd\nnot the password\n')
  const config = await loadConfig({
    env: { ...await secretFiles(), SMSGW_RELAY_SMTP_HOST: '127.0.0.1', SMSGW_RELAY_SMTP_PORT: String(smtp.port), SMSGW_RELAY_SMTP_USER: 'relay', SMSGW_RELAY_SMTP_PASSWORD_FILE: passwordFile, SMSGW_RELAY_SMTP_CA_FILE: certificate.certFile, SMSGW_RELAY_SMTP_FROM: 'otp@relay.test' }
  })
  assert.equal(config.relay.smtpTls, 'starttls', 'the default')
  const store = await openStore(files.next())
  const server = await startRelayGrpcServer(unwrap(entityContextFromConfig(config.relay, store)), { host: '127.0.0.1', port: 0, onInternalError: () => {} })
  const client = entityClient(server.port)
  const answer = await client.call('CreateEntity', { country_code: 'CM', email_address: 'new.user@example.org', password: 'Str0ng!pass', ...keyFields(newAppKeys()) })
  assert.equal(answer.message, 'OTP sent. Check your email.')
  const mail = await smtp.nextMail()
  assert.deepEqual([mail.tls, mail.auth, mail.from, mail.to, addressOf(mail.headers.get('from'))], [true, { method: 'PLAIN', user: 'relay' }, 'otp@relay.test', ['new.user@example.org'], 'otp@relay.test'])
  assert.match(mail.text, /^Your RelaySMS Verification Code is: \d{6}$/m)
  client.close()
  await server.close()
  await store.close()
})

test('without its key files the service is not composed, and the error names the setting', async () => {
  const secrets = await secretFiles()
  const store = await openStore(files.next())
  for (const [variable, setting] of [['SMSGW_RELAY_PEPPER_FILE', 'relay.pepperFile'], ['SMSGW_RELAY_IDENTIFIER_KEY_FILE', 'relay.identifierKeyFile']] as const) {
    const config = await loadConfig({ env: { ...secrets, [variable]: join(files.dir, 'absent') } })
    const composed = entityContextFromConfig(config.relay, store)
    assert.equal(composed.ok ? 'composed' : composed.error.code, 'SMSGW_RELAY_KEY_FILE')
    assert.match(composed.ok ? '' : composed.error.message, new RegExp(setting.replace('.', '\\.')))
  }
  await store.close()
})

test('with relay.grpcTlsPort the service answers over TLS too, with the configured certificate', async () => {
  const certFile = join(files.dir, 'vault.crt')
  const keyFile = join(files.dir, 'vault.key')
  await execFileAsync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'])
  const config = await loadConfig({ env: { ...await secretFiles(), SMSGW_RELAY_GRPC_PORT: '0', SMSGW_RELAY_GRPC_TLS_PORT: '0', SMSGW_RELAY_GRPC_TLS_CERT_FILE: certFile, SMSGW_RELAY_GRPC_TLS_KEY_FILE: keyFile } })
  const store = await openStore(files.next())
  const server = await startConfiguredRelayVault(config.relay, store, createLogger({ level: 'silent' }))
  assert.ok(server?.tlsPort !== undefined && server.tlsPort !== server.port)
  const client = entityClient(server.tlsPort, credentials.createSsl(await readFile(certFile)))
  await assert.rejects(client.call('ListEntityStoredTokens', {}), (error: { details: string }) => error.details === 'Missing required field: long_lived_token')
  client.close()
  await server.close()
  await store.close()
})

test('a TLS port without its certificate and key is a configuration error', async () => {
  const error = await loadConfig({ env: { SMSGW_RELAY_GRPC_PORT: '0', SMSGW_RELAY_GRPC_TLS_PORT: '8001' } }).then(() => assert.fail('loaded'), (error: unknown) => error)
  assert.ok(isSmsgwError(error, 'SMSGW_CONFIG'))
  assert.match(error.message, /relay\.grpcTlsPort: needs relay\.grpcTlsCertFile/)
  assert.match(error.message, /relay\.grpcTlsPort: needs relay\.grpcTlsKeyFile/)
})

test('with relay.internalGrpcPort, vault.v1.EntityInternal answers on a port of its own (loopback by default, TLS with the same files), and the Entity port does not serve it', async () => {
  const certFile = join(files.dir, 'internal.crt')
  const keyFile = join(files.dir, 'internal.key')
  await execFileAsync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'])
  const config = await loadConfig({ env: { ...await secretFiles(), SMSGW_RELAY_GRPC_PORT: '0', SMSGW_RELAY_INTERNAL_GRPC_PORT: '0', SMSGW_RELAY_INTERNAL_GRPC_TLS_PORT: '0', SMSGW_RELAY_GRPC_TLS_CERT_FILE: certFile, SMSGW_RELAY_GRPC_TLS_KEY_FILE: keyFile } })
  assert.equal(config.relay.internalGrpcHost, '127.0.0.1')
  const store = await openStore(files.next())
  const server = await startConfiguredRelayVault(config.relay, store, createLogger({ level: 'silent' }))
  assert.ok(server?.internal !== undefined && server.internal.tlsPort !== undefined)
  assert.equal(server.tlsPort, undefined, 'the Entity server has no TLS port of its own here')
  const missingDevice = (error: { details: string }): boolean => error.details === 'Missing required field: device_id or phone_number'
  for (const client of [vaultClient('EntityInternal', server.internal.port), vaultClient('EntityInternal', server.internal.tlsPort, credentials.createSsl(await readFile(certFile)))]) {
    await assert.rejects(client.call('DecryptPayload', {}), missingDevice)
    client.close()
  }
  const wrongPort = vaultClient('EntityInternal', server.port)
  await assert.rejects(wrongPort.call('DecryptPayload', {}), (error: { code: number }) => error.code === status.UNIMPLEMENTED)
  wrongPort.close()
  await server.close()
  await store.close()
})

test('the EntityInternal ports need the Entity server, and the TLS one the certificate and key', async () => {
  const messageOf = async (env: Record<string, string>): Promise<string> => await loadConfig({ env }).then(() => 'loaded', (error: Error) => error.message)
  assert.match(await messageOf({ SMSGW_RELAY_INTERNAL_GRPC_PORT: '8443' }), /relay\.internalGrpcPort: needs relay\.grpcPort/)
  assert.match(await messageOf({ SMSGW_RELAY_GRPC_PORT: '8000', SMSGW_RELAY_INTERNAL_GRPC_PORT: '8443', SMSGW_RELAY_INTERNAL_GRPC_TLS_PORT: '8444' }), /relay\.internalGrpcTlsPort: needs relay\.grpcTlsCertFile/)
  assert.match(await messageOf({ SMSGW_RELAY_GRPC_PORT: '8000', SMSGW_RELAY_INTERNAL_GRPC_TLS_PORT: '8444', SMSGW_RELAY_GRPC_TLS_CERT_FILE: '/c', SMSGW_RELAY_GRPC_TLS_KEY_FILE: '/k' }), /relay\.internalGrpcTlsPort: needs relay\.internalGrpcPort/)
  assert.equal(await messageOf({ SMSGW_RELAY_GRPC_PORT: '8000', SMSGW_RELAY_INTERNAL_GRPC_PORT: '8443' }), 'loaded')
})
