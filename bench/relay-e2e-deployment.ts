import { spawn, type ChildProcess } from 'node:child_process'
import { encodeContent } from '../src/relay/payload/content.ts'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEMO_VAULT_PASSWORD, LOOPBACK_CLIENT, prepareDemo } from '../src/app/demo-setup.ts'
import { rotateKey } from '../src/crypto/vault/vault-file.ts'
import { defaultSimClients } from '../src/platform-sim/index.ts'
import { encodePlatformPayload } from '../src/relay/payload/index.ts'
import { platformByShortcode, type Platform } from '../src/relay/payload/platforms.ts'
import { mastodonAdapter } from '../src/relay/platforms/mastodon-adapter.ts'
import type { OAuth2Adapter } from '../src/relay/platforms/platform-adapter.ts'
import { twitterAdapter } from '../src/relay/platforms/twitter-adapter.ts'
import { agree, generateX25519KeyPair, initInitiatorState, ratchetEncrypt, type RatchetState } from '../src/relay/ratchet/index.ts'
import { createAccount, identifierKeyFromKeyFile, parseSealingKeyRing, type RelayVault } from '../src/relay/vault/index.ts'
import { storePlatformToken } from '../src/relay/vault/platform-tokens.ts'
import { openStore } from '../src/store/open-store.ts'

// The relay end-to-end bench's deployment (relay-e2e-bench.ts): the files `smsgw run` reads, the
// platform simulator in its own process, the accounts made through the vault's functions, the
// forwards encrypted ahead in ratchet order, and the processes' CPU and memory from /proc.

export const ACCOUNTS = Number(process.env.SMSGW_BENCH_RELAY_ACCOUNTS ?? 1_000)
const ACCOUNT = 'sim-user'
const REDIRECT = 'https://relay.smswithoutborders.com/android'
/** A post of about 140 characters, as a v2 text payload carries it. */
const POST = 'Relay bench: a post of about one hundred and forty characters, sent as an SMS from a phone without data, published by the relay. '.slice(0, 140)

export interface BenchAccount {
  readonly phone: string
  readonly deviceId: Buffer
  readonly serverPublicKey: Buffer
  state: RatchetState
}

/** The deployment: the files `smsgw run` reads, the platform simulator, the accounts, made ahead. */
export interface Deployment {
  readonly dir: string
  readonly dataDir: string
  readonly configFile: string
  readonly storeUrl: string | undefined
  readonly storeLocation: string
  readonly simulator: ChildRun
  readonly vault: RelayVault
  readonly accounts: readonly BenchAccount[]
}

export interface ChildRun {
  readonly url: string
  readonly pid: number
  stop: () => Promise<void>
}

/** The simulator (its own process, `smsgw platform-sim`) and a fresh store with ACCOUNTS accounts linked to `platforms`. */
export async function prepareDeployment (storeUrl: string | undefined, platformNames: readonly string[]): Promise<Deployment> {
  const dir = await mkdtemp(join(tmpdir(), 'smsgw-relay-e2e-'))
  const dataDir = join(dir, 'data')
  const demo = await prepareDemo(dataDir)
  // Notices are sealed to the loop-back client's key: X25519 (v2) as a relay deployment would
  // choose, so that opening them on the outbound side costs what the relay's client costs.
  await rotateKey(demo.vault, DEMO_VAULT_PASSWORD, LOOPBACK_CLIENT, 'x25519')
  const write = async (name: string, text: string): Promise<string> => {
    const file = join(dir, name)
    await writeFile(file, text, { mode: 0o600 })
    return file
  }
  const sealingKey = `k1 ${randomBytes(32).toString('base64')}`
  const identifierKeyText = `${randomBytes(24).toString('base64')}\n`
  const simulator = await startChild(['platform-sim', '--port', '0', '--auto-approve', '--max-posts', '1000'], /listening on (http:\/\/\S+)/)
  const platforms: Record<string, unknown> = {}
  const adapters = new Map<string, OAuth2Adapter>()
  for (const name of platformNames) {
    const client = defaultSimClients().find(candidate => candidate.platform === name) ?? fail(`the simulator has no ${name} client`)
    const secretFile = await write(`${name}.secret`, `${client.clientSecret}\n`)
    const common = { baseUrl: simulator.url, clientId: client.clientId, redirectUrl: REDIRECT }
    platforms[name] = name === 'twitter' ? { ...common, authorizationUrl: `${simulator.url}/i/oauth2/authorize`, clientSecretFile: secretFile } : { ...common, clientSecretFile: secretFile }
    adapters.set(name, name === 'twitter'
      ? twitterAdapter({ ...common, authorizationUrl: `${simulator.url}/i/oauth2/authorize`, clientSecret: client.clientSecret })
      : mastodonAdapter({ ...common, clientSecret: client.clientSecret }))
  }
  const configFile = await write('smsgw.json', JSON.stringify({
    vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
    clients: { allowed: [LOOPBACK_CLIENT] },
    loopback: { normalDelayMs: 0, longDelayMs: 0 },
    log: { level: 'warn' },
    relay: {
      sealingKey,
      identifierKeyFile: await write('identifier.key', identifierKeyText),
      pepperFile: await write('pepper', `${randomBytes(32).toString('base64')}\n`),
      grpcPort: 0,
      publisherGrpcPort: 0,
      ingress: true,
      otpSmsClient: LOOPBACK_CLIENT,
      platforms
    }
  }))
  const storeLocation = storeUrl ?? join(dataDir, 'smsgw.db')
  const store = await openStore(storeLocation)
  const vault: RelayVault = {
    accounts: store.relay,
    tokens: store.relayTokens,
    keys: unwrap(parseSealingKeyRing(sealingKey)),
    identifierKey: unwrap(identifierKeyFromKeyFile(identifierKeyText)),
    generateKeyPair: generateX25519KeyPair
  }
  try {
    // One grant per platform, linked as the app links it; every account stores it (the simulator
    // checks the token, not which of our accounts holds it).
    const tokens = new Map<Platform, string>()
    for (const [name, adapter] of adapters) tokens.set(platformByShortcode(name === 'twitter' ? 't' : 'm') as Platform, await linkedToken(adapter))
    const accounts: BenchAccount[] = []
    for (let index = 0; index < ACCOUNTS; index++) {
      const phone = `+2376${String(index).padStart(8, '0')}`
      const client = generateX25519KeyPair()
      const created = unwrap(await createAccount(vault, { identifier: phone, countryCode: 'CM', passwordHash: '$argon2id$bench', clientPublishPublicKey: client.publicKey, clientDeviceIdPublicKey: generateX25519KeyPair().publicKey }))
      const server = created.handshake.serverPublishKeyPair
      for (const [platform, token] of tokens) unwrap(await storePlatformToken(vault, created.entityId, platform, ACCOUNT, token))
      accounts.push({ phone, deviceId: created.handshake.deviceId, serverPublicKey: server.publicKey, state: unwrap(initInitiatorState(agree(server.privateKey, client.publicKey) as Buffer, server.publicKey, generateX25519KeyPair)) })
    }
    return { dir, dataDir, configFile, storeUrl, storeLocation, simulator, vault, accounts }
  } finally {
    await store.close()
  }
}

export async function removeDeployment (deployment: Deployment): Promise<void> {
  await deployment.simulator.stop()
  await rm(deployment.dir, { recursive: true, force: true })
}

/**
 * The next `count` forwards of `account` in ratchet order (/v3/publish bodies), encrypted ahead so
 * that the load costs little while it runs. Taking one moves the account's state past it; those
 * not taken are never sent (the next ones are encrypted from the last one taken, so the server
 * never has to skip a message key).
 */
export function forwardsOf (account: BenchAccount, shortcode: string, count: number): { take: () => string | undefined } {
  const prepared: Array<{ body: string, after: RatchetState }> = []
  let state = account.state
  for (let index = 0; index < count; index++) {
    const sent = unwrap(ratchetEncrypt(state, unwrap(encodeContent(2, { serviceType: 'text', from: ACCOUNT, body: POST, accessToken: '', refreshToken: '' })), account.serverPublicKey))
    state = sent.state
    const text = encodePlatformPayload({ version: 2, platformShortcode: shortcode, encryptedMessage: sent.message, deviceId: account.deviceId, language: 'en' }).toString('base64')
    prepared.push({ body: JSON.stringify({ text, address: account.phone, date: String(Date.now()), date_sent: String(Date.now()), thread_id: 1, type: 1 }), after: state })
  }
  let next = 0
  return {
    take: () => {
      const forward = prepared[next++]
      if (forward === undefined) return undefined
      account.state = forward.after
      return forward.body
    }
  }
}

/** `smsgw run` on the deployment, in its own process (with SMSGW_BENCH_CPU_PROF=<dir>, profiled there). */
export async function startGateway (deployment: Deployment): Promise<ChildRun> {
  const store = deployment.storeUrl === undefined ? [] : ['--store', deployment.storeUrl]
  const profile = process.env.SMSGW_BENCH_CPU_PROF
  return await startChild(['run', '--config', deployment.configFile, '--data', deployment.dataDir, '--port', '0', '--smsc-port', '0', ...store], /dashboard\s+(http:\/\/\S+)\/dashboard/,
    profile === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profile}` })
}

/** Links one account of the simulator through the adapter as the app would: consent (auto-approved), code, token. */
async function linkedToken (adapter: OAuth2Adapter): Promise<string> {
  const codeVerifier = randomBytes(48).toString('base64url')
  const { url } = adapter.authorizationUrl({ state: 'bench', codeVerifier })
  const redirect = await fetch(url, { redirect: 'manual' })
  const code = new URL(redirect.headers.get('location') ?? fail('no redirect')).searchParams.get('code') ?? fail('no code')
  const linked = await adapter.exchangeCode({ code, codeVerifier })
  if (linked.accountIdentifier !== ACCOUNT) fail(`the simulator linked ${linked.accountIdentifier}`)
  return JSON.stringify(linked.token)
}

export async function postsTotal (simulator: ChildRun): Promise<number> {
  return ((await (await fetch(`${simulator.url}/_sim/posts`)).json()) as { total: number }).total
}

async function startChild (args: readonly string[], ready: RegExp, env: Record<string, string> = {}): Promise<ChildRun> {
  const child: ChildProcess = spawn(fileURLToPath(new URL('../bin/smsgw', import.meta.url)), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(resolve => child.once('exit', () => { resolve() }))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => { reject(new Error(`smsgw ${args[0]} did not start within 60 s:\n${out}`)) }, 60_000)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`smsgw ${args[0]} exited with ${code}:\n${out}`)) })
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      out += chunk
      const found = ready.exec(out)?.[1]
      if (found !== undefined) {
        clearTimeout(timer)
        resolve(found)
      }
    })
  })
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    }
  }
}

/** utime + stime of every thread of `pid`, in ms. */
export async function cpuMsOf (pid: number): Promise<number> {
  return await statCpuMsOf(`/proc/${pid}/stat`)
}

/**
 * utime + stime of the main thread of `pid` alone, in ms: its event loop, where a publish's
 * JavaScript, its SQLite statements and commits run (the other threads are V8's garbage collection
 * and compiler helpers, the outbound side's opening worker and libuv's pool).
 */
export async function mainThreadCpuMsOf (pid: number): Promise<number> {
  return await statCpuMsOf(`/proc/${pid}/task/${pid}/stat`)
}

async function statCpuMsOf (path: string): Promise<number> {
  const stat = await readFile(path, 'utf8').catch(() => ') ')
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10
}

export async function rssMiBOf (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

export function unwrap<T> (outcome: { ok: true, value: T } | { ok: false, error: Error }): T {
  if (!outcome.ok) throw outcome.error
  return outcome.value
}

export function fail (message: string): never {
  throw new Error(message)
}
