import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { test, type TestContext } from 'node:test'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, prepareDemo } from '../../src/app/demo-setup.ts'
import { encodePlatformPayload } from '../../src/relay/payload/index.ts'
import { publicationDigest, publicationKeyOf } from '../../src/relay/publisher/publication-key.ts'
import { computeDeviceId, identifierKeyFromKeyFile } from '../../src/relay/vault/index.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { openStore } from '../../src/store/open-store.ts'
import type { RelayPublication } from '../../src/store/relay-publications.ts'
import { completeOnApp, keyFields, newAppKeys } from '../relay/grpc/app-client.ts'
import { entityClient } from '../relay/grpc/entity-harness.ts'
import { publisherClient, textContentV2 } from '../relay/publisher/publisher-harness.ts'
import { newPostgresLocation, withAdmin } from '../store/store-kinds.ts'
import { eventually, temporaryFolder, within } from './app-fixtures.ts'
import { childEnv, REPO, RunChild, SMSGW } from './run-child.ts'

// The relay's fault test (issue 12, "Scale and reliability"): `bin/smsgw run` with the vault, the
// publisher and the ingress, killed with SIGKILL three times while gateway phones forward payloads
// over HTTP (POST /v3/publish), restarted on the same data each time, on SQLite and on
// PostgreSQL. The platforms are `smsgw platform-sim` in a process of its own that outlives the
// kills (Mastodon and X, published to by the real client libraries); the delivery notices go to an
// SMSC simulator in this process. The payloads are made by our ratchet initiator for several
// accounts, each linked to both platforms through the simulator's consent page.
//
// At the end: no post twice on the simulator's record (GET /_sim/posts); each forward answered 200
// posted exactly once and recorded `published`; each forward whose answer the kill cut off posted
// at most once (stored before it was processed, it is taken up again after the restart, unless
// its publish was in flight at the kill: then its record stays `publishing`, unknown, and it is
// never posted again); at most one delivery notice per publication; no forward left stored; no
// number, payload or post text in the store in clear.

const KILLS = 3
const ACCOUNTS = 4
const FORWARDS_PER_ACCOUNT = 50
/** Forwards sent per run; the last run sends what is left. */
const FORWARDS_PER_RUN = 50
/** Posts the platforms take from a run before it is killed: it is busy publishing then. */
const POSTS_BEFORE_KILL = 20
/** Concurrent gateway phones. */
const SENDERS = 12
const SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }
const OTP = '246810'
const REDIRECT = 'https://relay.smswithoutborders.com/android'
const PLATFORMS = [{ name: 'mastodon', shortcode: 'm' }, { name: 'twitter', shortcode: 't' }] as const

interface Forward {
  readonly phone: string
  readonly platform: string
  readonly text: string
  /** The SMS text: base64 of the platform payload. */
  readonly payload: string
  /** The HTTP status answered; none, the kill cut the request off. */
  status?: number
}

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`smsgw run with the relay on a ${kind} store, killed with SIGKILL ${KILLS} times while phones forward payloads, posts none twice and each forward answered 200 exactly once`, { timeout: 240_000 }, async t => {
    await killUnderLoad(t, kind)
  })
}

async function killUnderLoad (t: TestContext, kind: 'sqlite' | 'postgres'): Promise<void> {
  const folder = await temporaryFolder('crash-relay')
  const dataDir = join(folder, 'data')
  const location = kind === 'sqlite' ? join(dataDir, 'smsgw.db') : await newPostgresLocation()
  const platforms = await startPlatformSimProcess(t)
  const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], retainSubmitted: 10_000, port: 0 })
  t.after(async () => { await smsc.close() })
  const demo = await prepareDemo(dataDir)
  const write = async (name: string, text: string): Promise<string> => {
    const file = join(folder, name)
    await writeFile(file, text)
    return file
  }
  const identifierKeyText = `${randomBytes(24).toString('base64')}\n`
  const identifierKey = identifierKeyFromKeyFile(identifierKeyText)
  if (!identifierKey.ok) throw identifierKey.error
  const phones = Array.from({ length: ACCOUNTS }, (_, index) => `+2376500001${String(index).padStart(2, '0')}`)
  const platformConfig = async (name: string): Promise<Record<string, string>> => {
    const client = platforms.clients.get(name) ?? assert.fail(`no ${name} client`)
    return { baseUrl: platforms.url, clientId: client.clientId, clientSecretFile: await write(`${name}.secret`, `${client.clientSecret}\n`), redirectUrl: REDIRECT }
  }
  const configFile = await write('smsgw.json', JSON.stringify({
    vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
    clients: { allowed: [DEMO_CLIENT] },
    smpp: { host: '127.0.0.1', port: smsc.address.port, ...SMSC_ACCOUNT, reconnectDelayMs: 200 },
    pipeline: { claimTakeoverMs: 500 },
    store: { url: location },
    relay: {
      sealingKey: `k1 ${randomBytes(32).toString('base64')}`,
      identifierKeyFile: await write('identifier.key', identifierKeyText),
      pepperFile: await write('pepper', `${randomBytes(32).toString('base64')}\n`),
      grpcPort: 0,
      publisherGrpcPort: 0,
      ingress: true,
      // A killed run's forwards come due soon after the restart.
      ingressRetryMs: 3000,
      environment: 'development',
      otpDevelopmentCode: OTP,
      otpDevelopmentIdentifiers: phones,
      otpSmsClient: DEMO_CLIENT,
      publishRetryBaseDelayMs: 10,
      platforms: { mastodon: await platformConfig('mastodon'), twitter: { ...await platformConfig('twitter'), authorizationUrl: `${platforms.url}/i/oauth2/authorize` } }
    }
  }))

  const forwards: Forward[] = []
  const toSend: Forward[] = []
  const unknownAfterKill: number[] = []
  const refusedInRun: number[] = []
  for (let run = 0; run <= KILLS; run++) {
    const child = new RunChild(dataDir, {}, ['--config', configFile])
    t.after(() => { if (child.running) child.signal('SIGKILL') })
    const url = (await child.stdoutMatch(/^ {2}dashboard +(http:\/\/\S+)\/dashboard$/m))[1] as string
    if (run === 0) {
      // The accounts sign up and link both platforms, as the app does; their payloads are made now, in ratchet order.
      forwards.push(...await accountsWithPayloads(child, phones, platforms))
      toSend.push(...forwards)
    }
    const batch = toSend.splice(0, run === KILLS ? toSend.length : FORWARDS_PER_RUN)
    if (run === KILLS) {
      await forwardAll(url, batch, () => true)
      await eventually('no forward left stored', async () => await count(location, 'relay_forwards') === 0, 60_000)
      refusedInRun.push(await refusedPublishes(url, t))
      child.signal('SIGINT')
      assert.deepStrictEqual(await within(child.exited, 15_000, 'exit after SIGINT'), { code: 0, signal: null })
      break
    }
    const posted = await platforms.postCount()
    let killed = false
    const sending = forwardAll(url, batch, () => !killed)
    await eventually(`${POSTS_BEFORE_KILL} posts in run ${run + 1}`, async () => await platforms.postCount() >= posted + POSTS_BEFORE_KILL, 60_000)
    refusedInRun.push(await refusedPublishes(url, t))
    killed = true
    child.signal('SIGKILL')
    assert.deepStrictEqual((await within(child.exited, 10_000, `kill ${run + 1}`)).signal, 'SIGKILL')
    await sending
    const unknown = await count(location, 'relay_publications', "state = 'publishing'")
    unknownAfterKill.push(unknown - unknownAfterKill.reduce((sum, n) => sum + n, 0))
    t.diagnostic(`kill ${run + 1}: answered 200 ${forwards.filter(forward => forward.status === 200).length}, posts ${await platforms.postCount()}, forwards stored ${await count(location, 'relay_forwards')}, publications unknown ${unknown}`)
    // What the killed run did not get to send goes to the next one (what it was sending when
    // killed got no answer: the phone cannot tell whether it was stored, and does not resend).
    toSend.unshift(...batch)
  }

  // The record of each forward's payload, the posts of its text, and the notices of each phone.
  const store = await openStore(location)
  const key = publicationKeyOf(identifierKey.value)
  const records = new Map<Forward, RelayPublication | undefined>()
  for (const forward of forwards) records.set(forward, await store.relayPublications.get(publicationDigest(key, Buffer.from(forward.payload, 'base64'))))
  await store.close()
  const posts = await platforms.posts()
  const postsOf = new Map<string, number>()
  for (const post of posts) postsOf.set(post.text, (postsOf.get(post.text) ?? 0) + 1)
  const problems: string[] = []
  const tally = { answered: 0, cutOff: 0, cutOffPosted: 0, unknown: 0, unknownPosted: 0, neverRecorded: 0 }
  for (const forward of forwards) {
    const record = records.get(forward)
    const postCount = postsOf.get(forward.text) ?? 0
    const name = `${forward.platform} forward of ${forward.phone} (${forward.status ?? 'no answer'}, record ${record?.state ?? 'none'})`
    if (postCount > 1) problems.push(`${name} posted ${postCount} times`)
    if (record?.state === 'publishing') {
      tally.unknown++
      if (postCount === 1) tally.unknownPosted++
    } else if (record?.state === 'published') {
      if (postCount !== 1) problems.push(`${name} recorded published, posted ${postCount} times`)
    } else if (record?.state === 'failed') {
      problems.push(`${name} failed: ${record.response}`)
    } else {
      tally.neverRecorded++
      if (postCount !== 0) problems.push(`${name} posted without a record`)
    }
    if (forward.status === 200) {
      tally.answered++
      if (record?.state !== 'published') problems.push(`${name} was answered 200`)
    } else if (forward.status === undefined) {
      tally.cutOff++
      if (postCount === 1) tally.cutOffPosted++
    } else if (forward.status !== undefined) {
      problems.push(`${name} was answered ${forward.status}`)
    }
  }
  // A post of no forward of this test, or of one twice, would be counted above or here.
  assert.equal(posts.length, [...postsOf.values()].reduce((sum, n) => sum + n, 0))
  assert.deepStrictEqual(posts.filter(post => !forwards.some(forward => forward.text === post.text)).map(post => post.text), [], 'posts of no forward')
  // At most one delivery notice per publication: each phone's notices are no more than its publications settled.
  for (const phone of phones) {
    const notices = smsc.submitted.filter(sms => sms.destination.replace(/^\+/, '') === phone.slice(1)).map(sms => sms.shortMessage.toString('latin1'))
    const settled = forwards.filter(forward => forward.phone === phone && (records.get(forward)?.state === 'published' || records.get(forward)?.state === 'failed')).length
    if (notices.length > settled) problems.push(`${phone} got ${notices.length} notices for ${settled} publications`)
    if (notices.some(notice => !notice.startsWith('RelaySMS Delivery: Successfully sent message to '))) problems.push(`${phone} got a notice other than a success`)
  }
  t.diagnostic(`forwards ${forwards.length}: answered 200 ${tally.answered}; cut off by a kill ${tally.cutOff} (posted ${tally.cutOffPosted}); publications unknown ${tally.unknown} (posted ${tally.unknownPosted}), per kill ${unknownAfterKill.join(', ')}; never recorded ${tally.neverRecorded}; posts ${posts.length}; notices ${smsc.submitted.length}`)
  assert.deepStrictEqual(problems, [])
  // No stored forward was refused: one taken up after a kill is published, or answered from its
  // record, never lost to a ratchet key its killed attempt had used (the claim precedes the decryption).
  assert.deepStrictEqual(refusedInRun, refusedInRun.map(() => 0), 'publishes refused per run')
  // The faults happened: a kill cut forwards off; the rest were answered and published.
  assert.ok(tally.cutOff > 0, 'no forward was cut off by a kill')
  assert.ok(tally.answered >= forwards.length - KILLS * SENDERS, `answered ${tally.answered}`)
  // The unknown are the publishes in flight at a kill: at most one per phone sending then and per
  // forward the recovery worker was taking up (a batch of 16, relay-ingress.ts).
  assert.ok(unknownAfterKill.every(unknown => unknown <= SENDERS + 16), `unknown per kill ${unknownAfterKill.join(', ')}`)
  assert.equal(tally.unknown, unknownAfterKill.reduce((sum, n) => sum + n, 0), 'no publication left unknown but by a kill')

  // Nothing in clear in the store.
  const secrets = [...phones, ...phones.map(phone => phone.slice(1)), ...forwards.flatMap(forward => [forward.text, forward.payload.slice(10, 50)])]
  const stored = kind === 'sqlite' ? await sqliteBytes(location) : await postgresText(location)
  assert.deepStrictEqual(secrets.filter(secret => stored.includes(Buffer.from(secret))), [], 'no number, payload or post text in the store')
}

/** Signs each phone up (vault.v1.Entity of the child), links Mastodon and X (publisher.v1.Publisher), and makes its payloads, alternating platforms. */
async function accountsWithPayloads (child: RunChild, phones: readonly string[], platforms: PlatformSimProcess): Promise<Forward[]> {
  const portOf = async (message: string): Promise<number> => {
    await eventually(message, () => child.logLines.some(line => line.msg === message), 30_000)
    return child.logLines.find(line => line.msg === message)?.port as number
  }
  const entity = entityClient(await portOf('relay vault gRPC server started'))
  const publisher = publisherClient(await portOf('relay publisher gRPC server started'))
  try {
    const perAccount = await Promise.all(phones.map(async (phone, index) => {
      const keys = newAppKeys()
      const signUp = { country_code: 'CM', phone_number: phone, password: 'Str0ng!pass', ...keyFields(keys) }
      await entity.call('CreateEntity', signUp)
      const session = completeOnApp(keys, await entity.call('CreateEntity', { ...signUp, ownership_proof_response: OTP }))
      const accounts = new Map<string, string>()
      for (const { name } of PLATFORMS) {
        const url = await publisher.call('GetOAuth2AuthorizationUrl', { platform: name, state: 's', autogenerate_code_verifier: true, redirect_url: REDIRECT })
        const code = await platforms.consent(String(url.authorization_url), `${name}_user_${index}`)
        await publisher.call('ExchangeOAuth2CodeAndStore', { long_lived_token: session.token, platform: name, authorization_code: code, code_verifier: url.code_verifier, redirect_url: REDIRECT })
      }
      for (const stored of (await entity.call('ListEntityStoredTokens', { long_lived_token: session.token })).stored_tokens as Array<{ platform: string, account_identifier: string }>) {
        accounts.set(stored.platform, stored.account_identifier)
      }
      const deviceId = computeDeviceId(session.deviceSecret, phone, keys.deviceId.publicKey)
      return Array.from({ length: FORWARDS_PER_ACCOUNT }, (_, n): Forward => {
        const platform = PLATFORMS[n % PLATFORMS.length] ?? PLATFORMS[0]
        const text = `Crash test ${n} of ${index} ${randomUUID()}`
        const account = accounts.get(platform.name) ?? assert.fail(`${phone} has no ${platform.name} token`)
        const payload = encodePlatformPayload({ version: 2, platformShortcode: platform.shortcode, encryptedMessage: session.send(textContentV2(account, text)), deviceId, language: 'en' }).toString('base64')
        return { phone, platform: platform.name, text, payload }
      })
    }))
    // Interleaved, so that every account's payloads come in order but side by side with the others'.
    return Array.from({ length: FORWARDS_PER_ACCOUNT }, (_, n) => perAccount.map(payloads => payloads[n] as Forward)).flat()
  } finally {
    entity.close()
    publisher.close()
  }
}

/** The run's publishes refused before the platform (its metrics), with the relay's counters as a diagnostic. */
async function refusedPublishes (url: string, t: TestContext): Promise<number> {
  const lines = (await (await fetch(`${url}/metrics`)).text()).split('\n')
  t.diagnostic(lines.filter(line => line.startsWith('smsgw_relay_ingress_total') || line.startsWith('smsgw_relay_publishes_total{')).join(' | '))
  return lines.filter(line => /^smsgw_relay_publishes_total\{.*outcome="refused"\} /.test(line)).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}

/** Forwards `batch` as gateway phones do, SENDERS at a time, while `going()`; records each answer's status. */
async function forwardAll (url: string, batch: Forward[], going: () => boolean): Promise<void> {
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    while (going()) {
      const forward = batch.shift()
      if (forward === undefined) return
      const nowMs = Date.now()
      const response = await fetch(`${url}/v3/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: forward.payload, address: forward.phone, date: nowMs, date_sent: nowMs - 3000 }) })
        .then(async answer => { await answer.arrayBuffer(); return answer }, () => undefined)
      if (response !== undefined) forward.status = response.status
    }
  }))
}

/** The rows of a relay table (PostgreSQL: its smsgw_ name), read beside the running gateway (SQLite in WAL mode lets a reader in). */
async function count (location: string, table: string, where = 'TRUE'): Promise<number> {
  const sql = (name: string): string => `SELECT count(*) AS count FROM ${name} WHERE ${where}`
  if (location.startsWith('postgres')) return await withAdmin(async admin => Number((await admin.query<{ count: string }>(sql(`smsgw_${table}`))).rows[0]?.count), location)
  const db = new DatabaseSync(location, { readOnly: true })
  try {
    return Number((db.prepare(sql(table)).get() as { count: number }).count)
  } finally {
    db.close()
  }
}

async function sqliteBytes (file: string): Promise<Buffer> {
  return Buffer.concat(await Promise.all([file, `${file}-wal`].filter(name => existsSync(name)).map(async name => await readFile(name))))
}

/** Every row of every table of the store's schema, as text (bytea columns as their bytes). */
async function postgresText (url: string): Promise<Buffer> {
  return await withAdmin(async admin => {
    const { rows: tables } = await admin.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    const asText = (_key: string, value: unknown): unknown => (value as { type?: unknown })?.type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('latin1') : value
    const dumps: string[] = []
    for (const { table_name: table } of tables) dumps.push(JSON.stringify((await admin.query(`SELECT * FROM "${table}"`)).rows, asText))
    assert.ok(tables.some(({ table_name: table }) => table === 'smsgw_relay_forwards'))
    return Buffer.from(dumps.join('\n'))
  }, url)
}

interface PlatformSimProcess {
  readonly url: string
  /** The OAuth clients it printed, by platform. */
  readonly clients: ReadonlyMap<string, { clientId: string, clientSecret: string }>
  /** Approves an authorization URL on the consent page as `account`; resolves to the redirect's code. */
  consent: (authorizationUrl: string, account: string) => Promise<string>
  posts: () => Promise<Array<{ text: string, platform: string }>>
  postCount: () => Promise<number>
}

/** `bin/smsgw platform-sim` on a free port, in a process of its own. */
async function startPlatformSimProcess (t: TestContext): Promise<PlatformSimProcess> {
  const child = spawn(SMSGW, ['platform-sim', '--port', '0', '--max-posts', '100000'], { cwd: REPO, env: childEnv({}), stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  await eventually('the platform simulator listening', () => /^OAuth2 clients it accepts/m.test(output) && /^ {2}bluesky /m.test(output), 30_000)
  const url = (output.match(/^platform simulator listening on (http:\/\/\S+) /m) ?? assert.fail(output))[1] as string
  const clients = new Map([...output.matchAll(/^ {2}(\w+) +client id (\S+) +client secret (\S+)$/gm)].map(match => [match[1] as string, { clientId: match[2] as string, clientSecret: match[3] as string }]))
  const posts = async (): Promise<Array<{ text: string, platform: string }>> => ((await (await fetch(`${url}/_sim/posts`)).json()) as { posts: Array<{ text: string, platform: string }> }).posts
  return {
    url,
    clients,
    consent: async (authorizationUrl, account) => {
      const form = new URL(authorizationUrl)
      const consent = await fetch(`${form.origin}${form.pathname}`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(form.searchParams), account, approve: 'yes' }), redirect: 'manual' })
      return new URL(consent.headers.get('location') ?? assert.fail(`no redirect: ${consent.status}`)).searchParams.get('code') ?? assert.fail('no code')
    },
    posts,
    postCount: async () => ((await (await fetch(`${url}/_sim/posts`)).json()) as { total: number }).total
  }
}
