import assert from 'node:assert/strict'
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { errorCodes } from '../../src/errors.ts'
import { readAppState } from '../../src/relay/client/index.ts'
import { decryptPlatformPayload } from '../../src/relay/vault/index.ts'
import { openStore } from '../../src/store/open-store.ts'
import { randomBytes } from 'node:crypto'
import { composeEntityContext } from '../../src/relay/grpc/entity-context.ts'
import { developmentOtpSender } from '../../src/relay/grpc/development-otp-sender.ts'
import { startRelayGrpcServer } from '../../src/relay/grpc/grpc-server.ts'
import { OTP_CODE, startEntityHarness, TEST_PHONE } from '../relay/grpc/entity-harness.ts'
import { loopbackCertificate } from '../relay/otp/loopback-smtp-server.ts'
import { asText, smsgw, smsgwLines, temporaryFolder } from './cli-fixtures.ts'

// `smsgw relay app` in-process against the real vault.v1.Entity server on a SQLite store: sign up
// and log in with the development code, compose payloads the vault decrypts (the same
// decryptPlatformPayload EntityInternal runs for the publisher), and a state file that holds no
// key or token in clear and opens only with its password.

const ACCOUNT_PASSWORD = 'Str0ng!pass-relay-app'
const STATE_PASSWORD = 'state-Pw-91c2'

test('signup, compose, login, compose: each payload decrypts on the vault; the state file is sealed and refuses a wrong password', async t => {
  const folder = await temporaryFolder('relay-app-cli')
  const harness = await startEntityHarness(await openStore(join(folder, 'vault.db')))
  t.after(async () => { await harness.close() })
  const write = async (name: string, text: string): Promise<string> => { const file = join(folder, name); await writeFile(file, `${text}\n`); return file }
  const state = join(folder, 'app.state')
  const files = ['--state', state, '--state-password-file', await write('state.pw', STATE_PASSWORD)]
  const vault = ['--vault', `127.0.0.1:${harness.server.port}`]
  const passwordFile = await write('account.pw', ACCOUNT_PASSWORD)

  // Usage mistakes are found before anything is asked or sent.
  assert.deepEqual(smsgwLines((await smsgw(['relay', 'app', 'signup', ...files, ...vault, '--phone', TEST_PHONE, '--password-file', passwordFile])).stderr), ['smsgw: signup with --phone needs --country-code (ISO 3166-1 alpha-2, e.g. CM)'])
  assert.equal((await smsgw(['relay', 'app', 'signup', ...files, '--phone', TEST_PHONE, '--country-code', 'CM', '--password-file', passwordFile])).code, 2)
  const usage = async (args: readonly string[]): Promise<[number | null, string[]]> => { const result = await smsgw(['relay', 'app', ...args, ...files]); return [result.code, smsgwLines(result.stderr)] }
  assert.deepEqual(await usage(['send', 'mastodon', '--body', 'x', '--via', 'carrier']), [2, ['smsgw: unknown --via \'carrier\': use http or smsc']])
  assert.deepEqual(await usage(['send', 'mastodon', '--body', 'x', '--via', 'http']), [2, ['smsgw: --via http needs --gateway URL']])
  assert.deepEqual(await usage(['compose', 'myspace', '--body', 'x']), [2, ['smsgw: unknown platform \'myspace\': use gmail, twitter, telegram, bluesky, mastodon, reliability']])
  assert.deepEqual(await usage(['link', 'telegram']), [2, ['smsgw: unknown OAuth2 platform \'telegram\': use gmail, twitter, bluesky, mastodon']])

  const signedUp = await smsgw(['relay', 'app', 'signup', ...files, ...vault, '--phone', TEST_PHONE, '--country-code', 'CM', '--password-file', passwordFile, '--otp', OTP_CODE])
  assert.deepStrictEqual(asText(signedUp), { code: 0, stdout: `${JSON.stringify({ event: 'signed-up', state })}\n`, stderr: signedUp.stderr })
  assert.match(signedUp.stderr, /^smsgw: CreateEntity: /)
  assert.equal((await stat(state)).mode & 0o777, 0o600)

  const compose = async (body: string): Promise<string> => {
    const result = await smsgw(['relay', 'app', 'compose', 'mastodon', ...files, '--account', 'relaysms_user', '--body', body])
    assert.deepEqual([result.code, result.stderr], [0, ''])
    return result.stdout.toString('latin1')
  }
  const opened = async (text: string): Promise<unknown> => {
    assert.match(text, /^[A-Za-z0-9+/]+={0,2}$/, 'standard base64, no wrap, no newline')
    const result = await decryptPlatformPayload(harness.vault, Buffer.from(text, 'base64'), TEST_PHONE)
    if (!result.ok) throw result.error
    return [result.value.platform.name, result.value.content]
  }
  const post = (body: string): unknown => ['mastodon', { serviceType: 'text', from: 'relaysms_user', body, accessToken: '', refreshToken: '' }]
  // Two payloads in a row: the ratchet saved after the first is the one the second uses.
  assert.deepEqual(await opened(await compose('first post from the CLI')), post('first post from the CLI'))
  assert.deepEqual(await opened(await compose('second post ✓')), post('second post ✓'))

  // Nothing of the session in clear; the wrong password is refused with the file as it was.
  const kept = await readAppState(state, STATE_PASSWORD)
  const sealed = await readFile(state)
  const secrets = [kept.session.longLivedToken, kept.session.longLivedToken.split(':')[1] as string, kept.session.keys.publish.privateKey.toString('base64'), kept.session.keys.deviceId.privateKey.toString('base64'), TEST_PHONE]
  assert.deepEqual(secrets.filter(secret => sealed.includes(secret)), [])
  assert.ok(!sealed.includes(kept.session.keys.publish.privateKey) && !sealed.includes(kept.session.deviceId))
  const wrong = await smsgw(['relay', 'app', 'compose', 'mastodon', '--state', state, '--state-password-file', await write('wrong.pw', 'not-it'), '--account', 'a', '--body', 'x'])
  assert.deepStrictEqual(asText(wrong), { code: 1, stdout: '', stderr: 'smsgw: the state file does not open: wrong password, or the file was changed\n' })
  assert.deepEqual(await readFile(state), sealed)
  const missing = await smsgw(['relay', 'app', 'compose', 'mastodon', '--state', join(folder, 'none.state'), '--state-password-file', await write('none.pw', 'x'), '--body', 'x'])
  assert.deepEqual(smsgwLines(missing.stderr), [`smsgw: no state file ${join(folder, 'none.state')}: sign up or log in first (smsgw relay app signup|login)`])

  // One run at a time: a lock left beside the file (a run going on, or one that crashed) is reported, not broken.
  await writeFile(`${state}.lock`, '1\n')
  const locked = await smsgw(['relay', 'app', 'compose', 'mastodon', ...files, '--account', 'a', '--body', 'x'])
  assert.deepEqual([locked.code, smsgwLines(locked.stderr)], [1, [`smsgw: another run of smsgw relay app holds ${state}.lock; remove that file if none is running`]])
  await rm(`${state}.lock`)
  assert.deepEqual(await readFile(state), sealed)

  // A login makes a new device: the old state's payloads no longer open, the new one's do.
  const oldText = await compose('from the old device')
  const loggedIn = await smsgw(['relay', 'app', 'login', ...files, ...vault, '--phone', TEST_PHONE, '--password-file', passwordFile, '--otp', OTP_CODE])
  assert.deepEqual([loggedIn.code, loggedIn.stdout.toString()], [0, `${JSON.stringify({ event: 'logged-in', state })}\n`])
  const refused = await decryptPlatformPayload(harness.vault, Buffer.from(oldText, 'base64'))
  assert.equal(refused.ok ? 'opened' : refused.error.code, errorCodes.relayAccountMissing)
  assert.deepEqual(await opened(await compose('after the login')), post('after the login'))

  // A wrong OTP is the vault's refusal, named with its RPC and status.
  const wrongOtp = await smsgw(['relay', 'app', 'login', ...files, ...vault, '--phone', TEST_PHONE, '--password-file', passwordFile, '--otp', '000000'])
  assert.equal(wrongOtp.code, 1)
  assert.match(smsgwLines(wrongOtp.stderr).at(-1) ?? '', /^smsgw: AuthenticateEntity at 127\.0\.0\.1:\d+: UNAUTHENTICATED /)
  assert.deepEqual((await readdir(folder)).filter(name => name.endsWith('.lock') || name.endsWith('.tmp')), [], 'no lock or temporary file left')
  assert.deepEqual(harness.internalErrors, [])
})

test('over TLS: a login with --ca-file trusts the vault\'s certificate and is kept for later calls; --tls alone refuses a certificate the system does not trust', async t => {
  const folder = await temporaryFolder('relay-app-tls')
  const pepper = randomBytes(32)
  const store = await openStore(join(folder, 'vault.db'))
  const harness = await startEntityHarness(store, undefined, { pepper })
  t.after(async () => { await harness.close() })
  const certificate = await loopbackCertificate()
  // A second server over the same vault and pepper, with a TLS port as relay.grpcTlsPort gives one.
  const internalErrors: unknown[] = []
  const server = await startRelayGrpcServer(
    composeEntityContext({ vault: harness.vault, pepper, otpSender: developmentOtpSender({ code: OTP_CODE, identifiers: [TEST_PHONE] }), limitStore: store.relayLimits }),
    { host: '127.0.0.1', port: 0, tls: { port: 0, certChain: certificate.cert, privateKey: await readFile(certificate.keyFile) }, onInternalError: error => { internalErrors.push(error) } }
  )
  t.after(async () => { await server.close() })
  const write = async (name: string, text: string): Promise<string> => { const file = join(folder, name); await writeFile(file, `${text}\n`); return file }
  const files = ['--state', join(folder, 'app.state'), '--state-password-file', await write('state.pw', STATE_PASSWORD)]
  const account = ['--phone', TEST_PHONE, '--password-file', await write('account.pw', ACCOUNT_PASSWORD), '--otp', OTP_CODE]
  assert.equal((await smsgw(['relay', 'app', 'signup', ...files, '--vault', `127.0.0.1:${harness.server.port}`, '--country-code', 'CM', ...account])).code, 0)
  const tlsVault = ['--vault', `127.0.0.1:${server.tlsPort ?? assert.fail('no TLS port')}`]

  const untrusted = await smsgw(['relay', 'app', 'login', ...files, ...tlsVault, '--tls', ...account])
  assert.equal(untrusted.code, 1)
  assert.match(smsgwLines(untrusted.stderr).at(-1) ?? '', /^smsgw: AuthenticateEntity at 127\.0\.0\.1:\d+: UNAVAILABLE /)
  const loggedIn = await smsgw(['relay', 'app', 'login', ...files, ...tlsVault, '--ca-file', certificate.certFile, ...account])
  assert.equal(loggedIn.code, 0, loggedIn.stderr)
  const kept = await readAppState(join(folder, 'app.state'), STATE_PASSWORD)
  assert.deepEqual(kept.endpoints, { vault: tlsVault[1], tls: true, caFile: certificate.certFile })
  // tokens reaches the vault over TLS with no endpoint option: the state's are used.
  assert.deepStrictEqual(asText(await smsgw(['relay', 'app', 'tokens', ...files])), { code: 0, stdout: '', stderr: '' })
  assert.deepEqual([...internalErrors, ...harness.internalErrors], [])
})
