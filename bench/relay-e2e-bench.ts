import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { DEMO_VAULT_PASSWORD, LOOPBACK_CLIENT, prepareDemo } from '../src/app/demo-setup.ts'
import { rotateKey } from '../src/crypto/vault/vault-file.ts'
import { createLogger } from '../src/log/logger.ts'
import { defaultSimClients } from '../src/platform-sim/index.ts'
import { RelayIngress } from '../src/relay/ingress/relay-ingress.ts'
import { encodePlatformPayload } from '../src/relay/payload/index.ts'
import { platformByShortcode, type Platform } from '../src/relay/payload/platforms.ts'
import { mastodonAdapter } from '../src/relay/platforms/mastodon-adapter.ts'
import type { OAuth2Adapter } from '../src/relay/platforms/platform-adapter.ts'
import { twitterAdapter } from '../src/relay/platforms/twitter-adapter.ts'
import { agree, generateX25519KeyPair, initInitiatorState, ratchetEncrypt, type RatchetState } from '../src/relay/ratchet/index.ts'
import { createAccount, identifierKeyFromKeyFile, parseSealingKeyRing, type RelayVault } from '../src/relay/vault/index.ts'
import { storePlatformToken } from '../src/relay/vault/platform-tokens.ts'
import { openStore } from '../src/store/open-store.ts'
import { newSchema } from './embedded-bench.ts'
import { percentile } from './measure.ts'
import { dropSchema, manyAccountsRates, runStoredDecryptBench } from './relay-store-bench.ts'
import { fmt, goalLine, limitLine } from './report.ts'

// Issue 12, "Benchmark": the relay end to end as `smsgw run` runs it, in its own process. A gateway
// phone's forward, POST /v3/publish over real HTTP, is stored sealed, decrypted through the vault
// (the account's ratchet read, advanced, written back), published through the platform's real
// client library to the platform simulator (its own process), recorded, and its delivery notice
// queued on the outbound side, all before the 200 answers. Many accounts, made directly through the
// vault's functions (not gRPC, to keep the setup short), each sending its payloads in ratchet order.

export const RELAY_E2E_GOAL_PER_SECOND = 1_000
export const RELAY_E2E_P99_LIMIT_MS = 100
/** RSS may rise this much while a backlog drains before it counts as growing with the backlog. */
export const BACKLOG_RSS_GROWTH_LIMIT_MIB = 20
/** The first seconds of a drain, before RSS is judged. */
const BACKLOG_WARM_UP_MS = 5_000

const ACCOUNTS = Number(process.env.SMSGW_BENCH_RELAY_ACCOUNTS ?? 1_000)
/** Concurrent keep-alive connections of the load: the phones forwarding at once. */
const CONNECTIONS = 64
const ACCOUNT = 'sim-user'
const REDIRECT = 'https://relay.smswithoutborders.com/android'
/** A post of about 140 characters, as a v2 text payload carries it. */
const POST = 'Relay bench: a post of about one hundred and forty characters, sent as an SMS from a phone without data, published by the relay. '.slice(0, 140)

export interface RelayE2eRow {
  readonly name: string
  readonly published: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Answers other than 200, by status (0: a connection error). */
  readonly errors: Readonly<Record<string, number>>
  /** The gateway process's CPU per publish (all threads). */
  readonly gatewayCpuMsPerPublish: number
  /** The CPU of the whole run per publish: the gateway, the platform simulator and this process (the load). */
  readonly allCpuMsPerPublish: number
}

export interface BacklogResult {
  readonly backlog: number
  readonly drained: number
  readonly drainedPerSecond: number
  /** RSS (MiB) of the gateway process sampled while the backlog drained, after its warm-up: first, peak, last. */
  readonly rssFirstMiB: number
  readonly rssPeakMiB: number
  readonly rssLastMiB: number
}

interface BenchAccount {
  readonly phone: string
  readonly deviceId: Buffer
  readonly serverPublicKey: Buffer
  state: RatchetState
}

/** The deployment: the files `smsgw run` reads, the platform simulator, the accounts, made ahead. */
interface Deployment {
  readonly dir: string
  readonly dataDir: string
  readonly configFile: string
  readonly storeUrl: string | undefined
  readonly storeLocation: string
  readonly simulator: ChildRun
  readonly vault: RelayVault
  readonly accounts: readonly BenchAccount[]
}

interface ChildRun {
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
function forwardsOf (account: BenchAccount, shortcode: string, count: number): { take: () => string | undefined } {
  const prepared: Array<{ body: string, after: RatchetState }> = []
  let state = account.state
  for (let index = 0; index < count; index++) {
    const sent = unwrap(ratchetEncrypt(state, textContentV2(ACCOUNT, POST), account.serverPublicKey))
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

/**
 * Closed loop: every account sends its forwards one after another (the next once the previous is
 * answered), over CONNECTIONS keep-alive connections, for `durationMs`.
 */
export async function closedLoopRun (name: string, deployment: Deployment, gateway: ChildRun, shortcode: string, durationMs: number, perAccount: number): Promise<RelayE2eRow> {
  const queues = deployment.accounts.map(account => forwardsOf(account, shortcode, perAccount))
  const load = await Load.start(gateway, deployment.simulator)
  const start = performance.now()
  await Promise.all(queues.map(async forwards => {
    while (performance.now() - start < durationMs) {
      const body = forwards.take()
      if (body === undefined) return
      await load.post(body, performance.now())
    }
  }))
  return await load.row(name, performance.now() - start)
}

/** Open loop: forwards sent at `perSecond`, round robin over the accounts, whatever the answers; latency from each one's due time. */
export async function openLoopRun (name: string, deployment: Deployment, gateway: ChildRun, shortcode: string, perSecond: number, durationMs: number): Promise<RelayE2eRow> {
  const total = Math.floor(perSecond * durationMs / 1000)
  const perAccount = Math.ceil(total / deployment.accounts.length)
  const queues = deployment.accounts.map(account => forwardsOf(account, shortcode, perAccount))
  const load = await Load.start(gateway, deployment.simulator)
  const sent: Array<Promise<void>> = []
  const start = performance.now()
  for (let index = 0; index < total; index++) {
    const dueMs = start + index * 1000 / perSecond
    const wait = dueMs - performance.now()
    if (wait > 1) await sleep(wait)
    sent.push(load.post(queues[index % queues.length]?.take() ?? fail('too few forwards encrypted'), dueMs))
  }
  await Promise.all(sent)
  return await load.row(name, performance.now() - start)
}

/**
 * A backlog: `backlog` forwards stored, due, before the gateway starts (an outage of the publisher,
 * or SMS arriving faster than they are published), then drained by its recovery worker while the
 * gateway's RSS is sampled, for at most `drainMs`.
 */
export async function backlogRun (deployment: Deployment, backlog: number, drainMs: number): Promise<BacklogResult> {
  const store = await openStore(deployment.storeLocation)
  try {
    // The ingress's own path stores them: before `start`, `accept` stores a forward due at once and processes nothing.
    const silent = createLogger({ level: 'error', destination: { write: () => {} } })
    const ingress = new RelayIngress({ store: store.relayIngress, keys: deployment.vault.keys, segments: { add: async () => false, session: async () => [], remove: async () => {} }, publishContent: async () => { throw new Error('not started') }, holdMs: 60_000, maxAttempts: 1, log: silent })
    const perAccount = Math.ceil(backlog / deployment.accounts.length)
    let stored = 0
    await Promise.all(deployment.accounts.map(async account => {
      const forwards = forwardsOf(account, 't', perAccount)
      while (stored < backlog) {
        const body = forwards.take()
        if (body === undefined) return
        stored++
        const { text, address, date, date_sent: dateSent } = JSON.parse(body) as Record<string, string>
        await ingress.accept({ text: text as string, sender: address as string, date: date as string, dateSent: dateSent as string }, 'http')
      }
    }))
  } finally {
    await store.close()
  }
  const gateway = await startGateway(deployment)
  try {
    const postsAtStart = await postsTotal(deployment.simulator)
    // RSS is judged once the gateway has warmed up (its JIT, its heap grown to what a steady load
    // needs): from then on a process that held the backlog, or a part of it per forward, would grow.
    const samples: number[] = []
    const start = performance.now()
    let drained = 0
    while (performance.now() - start < drainMs && drained < backlog) {
      await sleep(500)
      if (performance.now() - start >= BACKLOG_WARM_UP_MS) samples.push(await rssMiBOf(gateway.pid))
      drained = await postsTotal(deployment.simulator) - postsAtStart
    }
    const elapsedMs = performance.now() - start
    return { backlog, drained, drainedPerSecond: drained / (elapsedMs / 1000), rssFirstMiB: samples[0] ?? 0, rssPeakMiB: Math.max(...samples), rssLastMiB: samples.at(-1) ?? 0 }
  } finally {
    await gateway.stop()
  }
}

/** The forwards of one run: their answers, latencies and the CPU they cost. */
class Load {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  readonly #url: URL
  readonly #gatewayPid: number
  readonly #simulatorPid: number
  readonly #cpuBefore: { gateway: number, simulator: number, bench: NodeJS.CpuUsage }
  readonly #latencies: number[] = []
  readonly #errors: Record<string, number> = {}

  private constructor (gateway: ChildRun, simulator: ChildRun, cpuBefore: { gateway: number, simulator: number, bench: NodeJS.CpuUsage }) {
    this.#url = new URL('/v3/publish', gateway.url)
    this.#gatewayPid = gateway.pid
    this.#simulatorPid = simulator.pid
    this.#cpuBefore = cpuBefore
  }

  static async start (gateway: ChildRun, simulator: ChildRun): Promise<Load> {
    return new Load(gateway, simulator, { gateway: await cpuMsOf(gateway.pid), simulator: await cpuMsOf(simulator.pid), bench: process.cpuUsage() })
  }

  async post (body: string, fromMs: number): Promise<void> {
    const status = await new Promise<number>(resolve => {
      const sent = request(this.#url, { method: 'POST', agent: this.#agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, response => {
        response.resume()
        response.on('end', () => { resolve(response.statusCode ?? 0) })
      })
      sent.on('error', () => { resolve(0) })
      sent.end(body)
    })
    if (status === 200) this.#latencies.push(performance.now() - fromMs)
    else this.#errors[status] = (this.#errors[status] ?? 0) + 1
  }

  async row (name: string, elapsedMs: number): Promise<RelayE2eRow> {
    const bench = process.cpuUsage(this.#cpuBefore.bench)
    this.#agent.destroy()
    const sorted = Float64Array.from(this.#latencies).sort()
    const published = Math.max(1, sorted.length)
    const gatewayMs = await cpuMsOf(this.#gatewayPid) - this.#cpuBefore.gateway
    const simulatorMs = await cpuMsOf(this.#simulatorPid) - this.#cpuBefore.simulator
    return {
      name,
      published: sorted.length,
      perSecond: sorted.length / (elapsedMs / 1000),
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      errors: { ...this.#errors },
      gatewayCpuMsPerPublish: gatewayMs / published,
      allCpuMsPerPublish: (gatewayMs + simulatorMs + (bench.user + bench.system) / 1000) / published
    }
  }
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

/** A v2 text content (relay.md §4): the sizes of from, to, cc, bcc, subject, body, access and refresh token, then the fields. */
function textContentV2 (from: string, body: string): Buffer {
  const fields = [from, '', '', '', '', body, '', ''].map(text => Buffer.from(text, 'utf8'))
  const sizes = [1, 2, 2, 2, 1, 2, 2, 2]
  const header = Buffer.alloc(14)
  let offset = 0
  sizes.forEach((size, index) => {
    const length = (fields[index] as Buffer).length
    if (size === 1) header.writeUInt8(length, offset)
    else header.writeUInt16LE(length, offset)
    offset += size
  })
  return Buffer.concat([header, ...fields])
}

async function postsTotal (simulator: ChildRun): Promise<number> {
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
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ') ')).split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10
}

async function rssMiBOf (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

function unwrap<T> (outcome: { ok: true, value: T } | { ok: false, error: Error }): T {
  if (!outcome.ok) throw outcome.error
  return outcome.value
}

function fail (message: string): never {
  throw new Error(message)
}

export interface RelayE2eStoreResult {
  readonly store: string
  readonly rows: readonly RelayE2eRow[]
  readonly backlog?: BacklogResult | undefined
}

/**
 * The runs on one store: closed loop on X (twitter-api-v2, the cheaper library: it measures the
 * gateway), open loop at half the goal rate on X, and, where `withOthers`, the closed loop on
 * Mastodon (masto) and the backlog.
 */
export async function runRelayEndToEnd (store: string, storeUrl: string | undefined, runMs: number, withOthers: boolean): Promise<RelayE2eStoreResult> {
  const deployment = await prepareDeployment(storeUrl, withOthers ? ['twitter', 'mastodon'] : ['twitter'])
  try {
    const gateway = await startGateway(deployment)
    const rows: RelayE2eRow[] = []
    try {
      // Enough forwards encrypted ahead for three times the goal rate.
      const perAccount = Math.ceil(3 * RELAY_E2E_GOAL_PER_SECOND * runMs / 1000 / deployment.accounts.length)
      await closedLoopRun('warm-up', deployment, gateway, 't', Math.min(2_000, runMs), 2)
      rows.push(await closedLoopRun(`X (twitter-api-v2), ${deployment.accounts.length} accounts over ${CONNECTIONS} connections, closed loop`, deployment, gateway, 't', runMs, perAccount))
      rows.push(await openLoopRun(`X, open loop at ${RELAY_E2E_GOAL_PER_SECOND / 2}/s (half the goal)`, deployment, gateway, 't', RELAY_E2E_GOAL_PER_SECOND / 2, runMs))
      if (withOthers) rows.push(await closedLoopRun('Mastodon (masto), closed loop', deployment, gateway, 'm', runMs, perAccount))
    } finally {
      await gateway.stop()
    }
    const backlogSize = Number(process.env.SMSGW_BENCH_RELAY_BACKLOG ?? 100_000)
    const backlog = withOthers && backlogSize > 0 ? await backlogRun(deployment, backlogSize, Math.min(30_000, 10 * runMs)) : undefined
    return { store, rows, backlog }
  } finally {
    await removeDeployment(deployment)
  }
}

/**
 * The section of `npm run bench`: each store's runs, with the ratio of the closed-loop rate to the
 * stored DecryptPayload rate of the same store measured earlier in the same run (relay-store-bench.ts).
 */
export async function printRelayEndToEndSection (budgetMs: number, decryptPerSecond: Readonly<Record<string, number>>, postgresUrl?: string): Promise<void> {
  const runMs = Math.min(10_000, 3 * budgetMs)
  const results = [await runRelayEndToEnd('SQLite', undefined, runMs, true)]
  if (postgresUrl !== undefined) {
    const schema = `relay_e2e_bench_${process.pid}`
    try {
      results.push(await runRelayEndToEnd('PostgreSQL', await newSchema(postgresUrl, schema), runMs, false))
    } finally {
      await dropSchema(postgresUrl, schema)
    }
  }
  console.log(`## Relay end to end: POST /v3/publish -> stored -> decrypted -> published to the platform simulator -> notice queued (\`smsgw run\` in its own process, ${ACCOUNTS} accounts, ${fmt(runMs / 1000)} s a run)\n`)
  console.log(`The machine's load average (1 min) when the section ended: ${fmt(loadavg()[0] ?? 0, 1)} on ${availableParallelism()} cores. Closed-loop latency includes the wait for one of the ${CONNECTIONS} connections; the open loop's is from each forward's due time.\n`)
  console.log('| store | run | published | publishes/s | p50 ms | p99 ms | errors | gateway CPU ms per publish | all CPU ms per publish (gateway, simulator, load) | ratio to stored DecryptPayload |')
  console.log('|---|---|---:|---:|---:|---:|---|---:|---:|---:|')
  for (const { store, rows } of results) {
    for (const row of rows) {
      const errors = Object.entries(row.errors).map(([status, count]) => `${count} x ${status === '0' ? 'connection error' : status}`).join(', ')
      const ceiling = decryptPerSecond[store]
      console.log(`| ${store} | ${row.name} | ${fmt(row.published)} | ${fmt(row.perSecond)} | ${fmt(row.p50Ms, 1)} | ${fmt(row.p99Ms, 1)} | ${errors === '' ? 'none' : errors} | ${fmt(row.gatewayCpuMsPerPublish, 2)} | ${fmt(row.allCpuMsPerPublish, 2)} | ${ceiling === undefined ? 'n/a' : fmt(row.perSecond / ceiling, 2)} |`)
    }
  }
  console.log()
  for (const { store, rows, backlog } of results) {
    const [closed, open] = rows
    if (closed !== undefined) {
      console.log(goalLine(`${store}: relay end to end, publishes/s (X)`, closed.perSecond, RELAY_E2E_GOAL_PER_SECOND))
      // What the CPU the run cost allows where nothing else runs: every core of this machine at it.
      console.log(`${store}: at ${fmt(closed.allCpuMsPerPublish, 2)} ms CPU per publish, ${availableParallelism()} idle cores would allow ${fmt(availableParallelism() * 1000 / closed.allCpuMsPerPublish)} publishes/s`)
    }
    if (open !== undefined) console.log(limitLine(`${store}: p99 at ${RELAY_E2E_GOAL_PER_SECOND / 2}/s`, open.p99Ms, RELAY_E2E_P99_LIMIT_MS, ' ms'))
    if (backlog !== undefined) {
      console.log(`${store}: a backlog of ${fmt(backlog.backlog)} stored forwards, ${fmt(backlog.drained)} drained at ${fmt(backlog.drainedPerSecond)}/s; gateway RSS while draining: first ${fmt(backlog.rssFirstMiB, 1)} MiB, peak ${fmt(backlog.rssPeakMiB, 1)} MiB, last ${fmt(backlog.rssLastMiB, 1)} MiB`)
      console.log(limitLine(`${store}: RSS growth while the backlog drains`, backlog.rssPeakMiB - backlog.rssFirstMiB, BACKLOG_RSS_GROWTH_LIMIT_MIB, ' MiB'))
    }
  }
}

// `node bench/relay-e2e-bench.ts` runs this section alone, with its own stored DecryptPayload
// ceilings (PostgreSQL too when SMSGW_BENCH_POSTGRES, or else SMSGW_TEST_POSTGRES, names a server).
if (import.meta.main) {
  const budgetMs = Number(process.env.SMSGW_BENCH_BUDGET_MS ?? 3000)
  const postgresUrl = process.env.SMSGW_BENCH_POSTGRES ?? process.env.SMSGW_TEST_POSTGRES
  const decrypt = await runStoredDecryptBench(budgetMs, postgresUrl)
  await printRelayEndToEndSection(budgetMs, manyAccountsRates(decrypt), postgresUrl)
}
