import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadConfig } from '../../../src/config/index.ts'
import { captchaServiceVerifier } from '../../../src/relay/grpc/captcha.ts'
import { DEVELOPMENT_OTP_MESSAGE } from '../../../src/relay/grpc/development-otp-sender.ts'
import { entityContextFromConfig } from '../../../src/relay/grpc/entity-context-from-config.ts'
import { startRelayGrpcServer } from '../../../src/relay/grpc/grpc-server.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { keyFields, newAppKeys } from './app-client.ts'
import { entityClient, OTP_CODE, startEntityHarness, TEST_PHONE } from './entity-harness.ts'
import { startLoopbackHttpService } from './loopback-http-service.ts'

// The captcha of step 1 (relay-wire.md §4 and §5.4) against a real captcha service on loopback:
// POST /v1/verify {"client_secret","token"} → {"success","message"}.

const [sqlite] = await storeKinds('relay-captcha')
const files = await tempStoreFiles('relay-captcha-config')
const SECRET = 'captcha-client-secret'
const PASSWORD = 'Str0ng!pass'
const REFUSAL = 'Invalid or expired captcha token.'

/** Passes `good` with the right secret, refuses `bad`, never answers `slow`, fails with 500 on anything else. */
async function captchaService (): Promise<Awaited<ReturnType<typeof startLoopbackHttpService>>> {
  return await startLoopbackHttpService((request, response) => {
    const body = JSON.parse(request.body) as { client_secret: string, token: string }
    if (body.token === 'slow') return
    const json = { 'Content-Type': 'application/json' }
    if (body.token === 'good' && body.client_secret === SECRET) response.writeHead(200, json).end(JSON.stringify({ success: true, message: 'Captcha verified.' }))
    else if (body.token === 'bad') response.writeHead(200, json).end(JSON.stringify({ success: false, message: REFUSAL }))
    else response.writeHead(500).end('down')
  })
}

test('step 1 of CreateEntity, AuthenticateEntity and ResetPassword needs a captcha token the service passes, with the contract\'s answers; step 2 needs none', async () => {
  const service = await captchaService()
  const harness = await startEntityHarness(await sqlite!.open(), undefined, { captcha: captchaServiceVerifier({ baseUrl: service.baseUrl, clientSecret: SECRET, timeoutMs: 300 }) })
  const create = { country_code: 'CM', phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(newAppKeys()) }
  const missing = { code: status.INVALID_ARGUMENT, details: 'Missing required field: captcha_token' }
  const refused = { code: status.PERMISSION_DENIED, details: REFUSAL }

  assert.deepEqual(await harness.failure('CreateEntity', create), missing)
  assert.equal(service.seen.length, 0, 'no token, no call')
  assert.deepEqual(await harness.failure('CreateEntity', { ...create, captcha_token: 'bad' }), refused)
  assert.deepEqual(await harness.failure('CreateEntity', { ...create, captcha_token: 'slow' }), { code: status.PERMISSION_DENIED, details: 'Captcha verification timed out. Please try again.' })
  assert.deepEqual(await harness.failure('CreateEntity', { ...create, captcha_token: 'other' }), { code: status.PERMISSION_DENIED, details: 'Failed to verify captcha. Please try again.' })
  assert.equal((await harness.call.CreateEntity({ ...create, captcha_token: 'good' })).requires_ownership_proof, true)
  assert.deepEqual(service.seen.at(-1), { ...service.seen.at(-1), method: 'POST', url: '/v1/verify', body: JSON.stringify({ client_secret: SECRET, token: 'good' }) })
  assert.equal(service.seen.at(-1)?.headers['content-type'], 'application/json')
  const calls = service.seen.length
  assert.equal((await harness.call.CreateEntity({ ...create, ownership_proof_response: OTP_CODE })).message, 'Entity created successfully')

  const login = { phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(newAppKeys()) }
  assert.deepEqual(await harness.failure('AuthenticateEntity', login), missing)
  assert.deepEqual(await harness.failure('AuthenticateEntity', { ...login, password: 'Wr0ng!pass', captcha_token: 'bad' }), refused, 'the captcha comes before the password check')
  assert.equal((await harness.call.AuthenticateEntity({ ...login, captcha_token: 'good' })).requires_ownership_proof, true)
  assert.equal((await harness.call.AuthenticateEntity({ ...login, ownership_proof_response: OTP_CODE })).message, 'Entity authenticated successfully!')

  const reset = { phone_number: TEST_PHONE, new_password: 'N3w!password', ...keyFields(newAppKeys()) }
  assert.deepEqual(await harness.failure('ResetPassword', reset), missing)
  assert.deepEqual(await harness.failure('ResetPassword', { ...reset, captcha_token: 'bad' }), refused)
  assert.equal((await harness.call.ResetPassword({ ...reset, captcha_token: 'good' })).requires_ownership_proof, true)
  assert.equal((await harness.call.ResetPassword({ ...reset, ownership_proof_response: OTP_CODE })).message, 'Password reset successfully!')
  assert.equal(service.seen.length, calls + 4, 'one verification per step 1 that carried a token; none on step 2')
  assert.deepEqual(harness.internalErrors, [])
  await harness.close()
  await service.close()
})

test('a captcha service that is down is a failed verification, not a timeout', async () => {
  const service = await captchaService()
  await service.close()
  const verify = captchaServiceVerifier({ baseUrl: service.baseUrl, clientSecret: SECRET })
  assert.deepEqual(await verify('good'), { kind: 'failed' })
})

test('composed from the configuration: relay.captchaUrl with the first line of relay.captchaSecretFile, and relay.breachLookupUrl; each captcha setting needs the other', async () => {
  const messageOf = async (env: Record<string, string>): Promise<string> => await loadConfig({ env }).then(() => 'loaded', (error: Error) => error.message)
  assert.match(await messageOf({ SMSGW_RELAY_CAPTCHA_URL: 'http://127.0.0.1:1' }), /relay\.captchaUrl: needs relay\.captchaSecretFile/)
  assert.match(await messageOf({ SMSGW_RELAY_CAPTCHA_SECRET_FILE: '/x' }), /relay\.captchaSecretFile: needs relay\.captchaUrl/)

  const captcha = await captchaService()
  const breaches = await startLoopbackHttpService((_request, response) => { response.writeHead(200).end('0000000000000000000000000000000000A:0') })
  const identifierKeyFile = join(files.dir, 'identifier.key')
  const pepperFile = join(files.dir, 'pepper')
  const captchaSecretFile = join(files.dir, 'captcha.secret')
  await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
  await writeFile(pepperFile, `${randomBytes(32).toString('base64')}\n`)
  await writeFile(captchaSecretFile, `${SECRET}\nsecond line ignored\n`)
  const env = {
    SMSGW_RELAY_IDENTIFIER_KEY_FILE: identifierKeyFile,
    SMSGW_RELAY_PEPPER_FILE: pepperFile,
    SMSGW_RELAY_SEALING_KEY: `k1 ${randomBytes(32).toString('base64')}`,
    SMSGW_RELAY_ENVIRONMENT: 'development',
    SMSGW_RELAY_OTP_DEVELOPMENT_CODE: OTP_CODE,
    SMSGW_RELAY_OTP_DEVELOPMENT_IDENTIFIERS: TEST_PHONE,
    SMSGW_RELAY_CAPTCHA_URL: captcha.baseUrl,
    SMSGW_RELAY_CAPTCHA_SECRET_FILE: captchaSecretFile,
    SMSGW_RELAY_BREACH_LOOKUP_URL: breaches.baseUrl
  }
  const store = await openStore(files.next())
  const absent = entityContextFromConfig((await loadConfig({ env: { ...env, SMSGW_RELAY_CAPTCHA_SECRET_FILE: join(files.dir, 'absent') } })).relay, store)
  assert.match(absent.ok ? 'composed' : `${absent.error.code} ${absent.error.message}`, /^SMSGW_RELAY_KEY_FILE cannot read relay\.captchaSecretFile \(.*absent\): ENOENT$/)

  const internalErrors: unknown[] = []
  const server = await startRelayGrpcServer(unwrap(entityContextFromConfig((await loadConfig({ env })).relay, store)), { host: '127.0.0.1', port: 0, onInternalError: error => { internalErrors.push(error) } })
  const client = entityClient(server.port)
  const first = await client.call('CreateEntity', { country_code: 'CM', phone_number: TEST_PHONE, password: PASSWORD, captcha_token: 'good', ...keyFields(newAppKeys()) })
  assert.equal(first.message, DEVELOPMENT_OTP_MESSAGE)
  assert.equal(captcha.seen.length, 1, 'the configured captcha service was asked with the secret file\'s first line (it passes only that)')
  assert.equal(breaches.seen.length, 1, 'the configured breach lookup was asked')
  assert.deepEqual(internalErrors, [])
  client.close()
  await server.close()
  await store.close()
  await captcha.close()
  await breaches.close()
})
