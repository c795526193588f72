import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, prepareDemo } from '../../src/app/demo-setup.ts'
import { startEmbeddedApp } from '../../src/app/embedded-app.ts'
import { createLogger } from '../../src/log/logger.ts'
import { DEFAULT_SIM_ACCOUNT, startPlatformSimulator } from '../../src/platform-sim/index.ts'
import { consentAtSimulator } from '../../src/relay/client/index.ts'
import { SmscSimulator, startMoControl } from '../../src/smpp/simulator/index.ts'
import { eventually } from '../harness/eventually.ts'
import { smsgw, smsgwLines, temporaryFolder } from './cli-fixtures.ts'

// The whole inbound direction driven by `smsgw relay app`, in-process, against `smsgw run` with the
// relay (vault and publisher gRPC, ingress on HTTP and on our SMPP bind for a relay number), the
// platform simulator as Mastodon (its consent page, not its auto-approval) and the SMSC simulator
// with its control port: sign up, link (printed URL then --code; --consent), list the tokens, and
// send a post as a gateway phone would and as the network would. Each post is recorded by the
// simulator, made by the publisher's real Mastodon client library.

const SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }
const PHONE = '+237650000044'
const OTP = '135790'
const RELAY_NUMBER = '15505'
const REDIRECT = 'https://relay.smswithoutborders.com/android'

test('smsgw relay app against smsgw run: signup, link Mastodon at the simulator, send by /v3/publish and by MO; each post recorded once', { timeout: 120_000 }, async t => {
  const folder = await temporaryFolder('relay-app-e2e')
  const dataDir = join(folder, 'data')
  const demo = await prepareDemo(dataDir)
  const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], retainSubmitted: 20, port: 0 })
  t.after(async () => { await smsc.close() })
  const control = await startMoControl(smsc, { host: '127.0.0.1', port: 0 })
  t.after(async () => { await control.close() })
  const platforms = await startPlatformSimulator({ autoApprove: false })
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
      requireForwarderKey: true,
      environment: 'development',
      otpDevelopmentCode: OTP,
      otpDevelopmentIdentifiers: [PHONE],
      otpSmsClient: DEMO_CLIENT,
      platforms: { mastodon: { baseUrl: platforms.url, clientId: mastodon.clientId, clientSecretFile: await write('mastodon.secret', `${mastodon.clientSecret}\n`), redirectUrl: REDIRECT } }
    }
  }))
  const log = createLogger({ level: 'warn', destination: { write: () => {} } })
  const app = await startEmbeddedApp({ dataDir, configFile, httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log, env: {} })
  t.after(async () => { await app.close() })

  const state = ['--state', join(folder, 'app.state'), '--state-password-file', await write('state.pw', 'e2e-state-pw\n')]
  const ok = async (args: readonly string[]): Promise<string> => {
    const result = await smsgw(['relay', 'app', ...args, ...state])
    assert.equal(result.code, 0, `smsgw relay app ${args.join(' ')}: ${result.stderr}`)
    return result.stdout.toString('utf8')
  }
  await ok(['signup', '--vault', `127.0.0.1:${app.relayGrpcPort ?? assert.fail('no vault')}`, '--publisher', `127.0.0.1:${app.relayPublisherGrpcPort ?? assert.fail('no publisher')}`,
    '--phone', PHONE, '--country-code', 'CM', '--password-file', await write('account.pw', 'Str0ng!pass-e2e\n'), '--otp', OTP])

  // Linking by hand: the URL printed, approved in "a browser" (here: the consent form), the redirect given back.
  const printed = await smsgw(['relay', 'app', 'link', 'mastodon', ...state])
  const authorizationUrl = printed.stdout.toString('utf8').trim()
  assert.ok(authorizationUrl.startsWith(`${platforms.url}/oauth/authorize?`), authorizationUrl)
  assert.deepEqual(smsgwLines(printed.stderr), [`smsgw: open that URL, approve, then run: smsgw relay app link mastodon --code CODE (the code of the redirect to ${REDIRECT})`])
  const code = await consentAtSimulator(authorizationUrl)
  assert.deepEqual(JSON.parse(await ok(['link', 'mastodon', '--code', `${REDIRECT}?code=${code}&state=x`])), { event: 'linked', platform: 'mastodon', accounts: [DEFAULT_SIM_ACCOUNT] })
  const noneWaiting = await smsgw(['relay', 'app', 'link', 'mastodon', '--code', code, ...state])
  assert.deepEqual([noneWaiting.code, smsgwLines(noneWaiting.stderr)], [2, ['smsgw: no link of mastodon is waiting for its code: run smsgw relay app link mastodon first']])

  // Linking by itself at the simulator, as a second account: compose then needs --account.
  assert.deepEqual(JSON.parse(await ok(['link', 'mastodon', '--consent', '--sim-account', 'second_user'])), { event: 'linked', platform: 'mastodon', accounts: [DEFAULT_SIM_ACCOUNT, 'second_user'] })
  assert.deepEqual((await ok(['tokens'])).trim().split('\n').map(line => JSON.parse(line)), [{ platform: 'mastodon', account: DEFAULT_SIM_ACCOUNT }, { platform: 'mastodon', account: 'second_user' }])
  const ambiguous = await smsgw(['relay', 'app', 'compose', 'mastodon', '--body', 'x', ...state])
  assert.deepEqual([ambiguous.code, smsgwLines(ambiguous.stderr)], [2, ['smsgw: 2 mastodon accounts are linked; or give --account ID']])

  // As a gateway phone forwards it (a registered one: relay.requireForwarderKey), then as the network delivers it to our relay number.
  const overHttp = `Posted through /v3/publish ${randomUUID()}`
  const byHttp = ['send', 'mastodon', '--account', 'second_user', '--body', overHttp, '--via', 'http', '--gateway', app.url]
  const unregistered = await smsgw(['relay', 'app', ...byHttp, ...state])
  assert.deepEqual([unregistered.code, smsgwLines(unregistered.stderr)], [1, [`smsgw: the gateway at ${app.url}/v3/publish answered 401: A registered gateway client's forwarding key is required.`]])
  const store = ['--config', configFile, '--data', dataDir]
  assert.equal((await smsgw(['relay', 'gateway-client', 'add', PHONE, '--operator', 'MTN Cameroon', '--operator-code', '62401', ...store])).code, 0)
  const key = (await smsgw(['relay', 'gateway-client', 'set-key', PHONE, ...store])).stdout.toString('utf8')
  const sent = JSON.parse(await ok([...byHttp, '--forwarder-key-file', await write('forwarder.key', `${key}\n`)]))
  assert.deepEqual(sent, { event: 'sent', via: 'http', answer: { publisher_response: 'Successfully sent message' } })
  assert.deepEqual(platforms.posts().map(post => [post.platform, post.account, post.text]), [['mastodon', 'second_user', overHttp]])

  await eventually('the gateway to bind', () => smsc.boundSessions > 0)
  const overSmpp = `Posted by SMS to the relay number ${randomUUID()}`
  const injected = JSON.parse(await ok(['send', 'mastodon', '--account', DEFAULT_SIM_ACCOUNT, '--body', overSmpp, '--via', 'smsc', '--smsc-sim', control.url, '--relay-number', RELAY_NUMBER]))
  assert.equal(injected.via, 'smsc')
  assert.ok(injected.answer.commandStatuses.length > 1 && injected.answer.commandStatuses.every((status: number) => status === 0), 'a concatenated MO, every part acknowledged')
  await eventually('the MO\'s post', () => platforms.posts().length === 2, 30_000)
  assert.deepEqual(platforms.posts()[1] !== undefined && [platforms.posts()[1]?.account, platforms.posts()[1]?.text], [DEFAULT_SIM_ACCOUNT, overSmpp])

  // The state file names none of it in clear.
  const sealed = await readFile(join(folder, 'app.state'))
  assert.deepEqual([PHONE, DEFAULT_SIM_ACCOUNT, 'second_user'].filter(secret => sealed.includes(secret)), [])
})
