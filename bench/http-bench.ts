import { spawn, type ChildProcess } from 'node:child_process'
import { createPublicKey, type KeyObject } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { Agent, get, request, type IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { DEFAULT_OPEN_WORKERS } from '../src/config/index.ts'
import { sealPayload } from '../src/crypto/payload/index.ts'
import { isFinalStatus, isSmsStatus } from '../src/domain/status-event.ts'
import { ApiKeyFile } from '../src/http/api-keys/index.ts'
import { formatSmsText } from '../src/sms/sms-text.ts'
import { percentile } from './measure.ts'

/** The goal for validated requests accepted over HTTP into the durable queue, per second. */
export const HTTP_ACCEPT_GOAL_PER_SECOND = 5_000

/** Concurrent keep-alive connections for single requests, and for batches. */
const SINGLE_CONNECTIONS = 64
const BATCH_CONNECTIONS = 16
const BATCH_SIZE = 100
/**
 * `smsgw run` limits each client to 200 requests/s (burst 400; src/app/embedded-app.ts, not
 * configurable). The acceptance runs therefore spread their load over this many clients, each
 * with its own API key, so that the limit (64 x 200 = 12,800/s) stays above what they reach.
 */
const LOAD_CLIENTS = 64
/**
 * End to end: batches of 500 (the API's largest) let in as soon as the client's bucket has a
 * token; a bucket of 400 admits two such batches within ~0.5 s, after which the client's debt
 * holds it back for 2.5 s. So each end-to-end run is 2 x 500 requests of one client.
 */
const E2E_BATCH = 500
const E2E_BATCHES = 2
const SAMPLE_PAYLOADS = 200
/** Rounds of each run, interleaved; the best is kept (noise on a shared machine only slows one down). */
const ROUNDS = 3
const DEADLINE = '2100-01-01T00:00:00Z'
/** The demo SMSC simulator answers each submit at once and sends the receipt 500 ms later. */
const DEMO_RECEIPT_DELAY_MS = 500

export interface HttpAcceptRow {
  name: string
  connections: number
  batchSize: number
  /** Requests accepted (in 202 answers) during the run. */
  accepted: number
  perSecond: number
  /** Latency of one POST, single request or whole batch. */
  p50Ms: number
  p99Ms: number
  /** Answers other than 202, by status code (0: a connection error). */
  errors: Record<string, number>
  gatewayCpuMsPerRequest: number
  /** Of gatewayCpuMsPerRequest, the main thread's: HTTP, validation, the queue, the pipeline. */
  gatewayMainThreadCpuMsPerRequest: number
  benchCpuMsPerRequest: number
}

export interface HttpEndToEndRow {
  name: string
  requests: number
  /** Requests over the time the gateway had work: from a batch's POST until its last final status. */
  perSecond: number
  /** From the POST of a request's batch until its final status arrived on the SSE stream. */
  p50Ms: number
  p99Ms: number
  gatewayCpuMsPerRequest: number
  gatewayMainThreadCpuMsPerRequest: number
  /** perSecond / (RSA ceiling x the gateway's opening workers). */
  ratioToOpeningCeiling: number
}

export interface HttpBenchResult {
  accept: HttpAcceptRow[]
  endToEnd: HttpEndToEndRow[]
  gatewayPeakRssMiB: number
  openWorkers: number
  /** RSA ceiling x opening workers: what the gateway can open per second, legacy format. */
  openingCeilingPerSecond: number
  /** X25519 derive ceiling x opening workers: the bound on v2 X25519 opens, for context. */
  x25519OpeningCeilingPerSecond: number
}

interface Client {
  id: string
  key: string
}

/**
 * The HTTP API of `smsgw run` (its own process, as in production: the SQLite queue, the
 * gateway, the HTTP API, the demo SMSC simulator) driven from this process over keep-alive
 * connections: validated POST /v1/messages and /v1/messages/batch accepted per second, then end
 * to end, sealed requests of `test` (loop-back at zero delay) and `demo` (over SMPP to the
 * simulator) until their final status arrives on GET /v1/statuses/stream. Both demo clients
 * have RSA keys, so the requests are sealed in the legacy format.
 */
export async function runHttpBench (options: { budgetMs: number, rsaCeilingPerSecond: number, x25519CeilingPerSecond: number, storeUrl?: string }): Promise<HttpBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'smsgw-http-bench-'))
  const dataDir = join(dir, 'data')
  let gateway: GatewayProcess | undefined
  const agent = new Agent({ keepAlive: true, maxSockets: SINGLE_CONNECTIONS })
  try {
    // Keys of `test` and the load clients, made before the start; `smsgw run` makes `demo`'s.
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    const keyFile = await ApiKeyFile.open(join(dataDir, 'api-keys.json'))
    const loadIds = Array.from({ length: LOAD_CLIENTS }, (_, index) => `bench-${String(index).padStart(2, '0')}`)
    const created = await Promise.all(['test', ...loadIds].map(async id => ({ id, key: (await keyFile.create(id)).key })))
    const test = created[0] as Client
    const loadClients = created.slice(1)

    gateway = await startRunProcess(dataDir, options.storeUrl)
    const api = new Api(gateway.url, agent)
    const demo: Client = { id: 'demo', key: gateway.demoKey }
    const publicKeys = { test: await readPublicKey(join(dataDir, 'test.pub')), demo: await readPublicKey(join(dataDir, 'demo.pub')) }
    const samples = Array.from({ length: SAMPLE_PAYLOADS }, () => seal(publicKeys.demo))

    const streams = await Promise.all([test, demo].map(async client => await StatusStream.open(gateway?.url as string, client.key)))
    try {
      // Warm-up: each key's first use costs a scrypt run (16 MiB) in the gateway, one at a time
      // as in production, so that they do not add up in its peak RSS; then JIT on both sides.
      for (const client of [...loadClients, test, demo]) await api.post('/v1/messages', client.key, requestJson(client.id, `warm-${client.id}`, samples[0] as string))
      await acceptRun(api, gateway, 'warm-up', loadClients, samples, SINGLE_CONNECTIONS, 1, Math.min(500, options.budgetMs / 2))
      await gateway.drained()
      for (const [index, client] of [test, demo].entries()) await endToEndRun(api, gateway, streams[index] as StatusStream, client, publicKeys[client.id as 'test' | 'demo'], 'warm', 1, 50)
      // Let the two buckets fill again (50 tokens at 200/s).
      await sleep(500)

      const openingCeilingPerSecond = options.rsaCeilingPerSecond * DEFAULT_OPEN_WORKERS
      const endToEnd: Array<HttpEndToEndRow | undefined> = [undefined, undefined]
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, client] of [test, demo].entries()) {
          await gateway.drained()
          const row = await endToEndRun(api, gateway, streams[index] as StatusStream, client, publicKeys[client.id as 'test' | 'demo'], `e2e${round}-${client.id}`, E2E_BATCHES, E2E_BATCH)
          if ((endToEnd[index]?.perSecond ?? -1) < row.perSecond) {
            endToEnd[index] = {
              ...row,
              name: client.id === 'test'
                ? `${E2E_BATCHES} x ${E2E_BATCH}, client test, loop-back at zero delay`
                : `${E2E_BATCHES} x ${E2E_BATCH}, client demo, SMPP to the simulator (receipts after ${DEMO_RECEIPT_DELAY_MS} ms)`,
              ratioToOpeningCeiling: row.perSecond / openingCeilingPerSecond
            }
          }
        }
      }

      const cases = [
        { name: `POST /v1/messages, ${SINGLE_CONNECTIONS} connections`, connections: SINGLE_CONNECTIONS, batchSize: 1 },
        { name: `POST /v1/messages/batch of ${BATCH_SIZE}, ${BATCH_CONNECTIONS} connections`, connections: BATCH_CONNECTIONS, batchSize: BATCH_SIZE }
      ]
      const accept: Array<HttpAcceptRow | undefined> = cases.map(() => undefined)
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, { name, connections, batchSize }] of cases.entries()) {
          // Each round starts on an empty queue: what the previous one left is drained first.
          await gateway.drained()
          const row = await acceptRun(api, gateway, name, loadClients, samples, connections, batchSize, options.budgetMs / ROUNDS)
          if ((accept[index]?.perSecond ?? -1) < row.perSecond) accept[index] = row
        }
      }
      return { accept: accept as HttpAcceptRow[], endToEnd: endToEnd as HttpEndToEndRow[], gatewayPeakRssMiB: await gateway.peakRssMiB(), openWorkers: DEFAULT_OPEN_WORKERS, openingCeilingPerSecond, x25519OpeningCeilingPerSecond: options.x25519CeilingPerSecond * DEFAULT_OPEN_WORKERS }
    } finally {
      for (const stream of streams) stream.close()
    }
  } finally {
    agent.destroy()
    await gateway?.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

/** `connections` loops, each POSTing (one request or a batch) back to back for `durationMs`. */
async function acceptRun (api: Api, gateway: GatewayProcess, name: string, clients: readonly Client[], samples: readonly string[], connections: number, batchSize: number, durationMs: number): Promise<HttpAcceptRow> {
  const latencies: number[] = []
  const errors: Record<string, number> = {}
  let accepted = 0
  let sequence = 0
  const path = batchSize === 1 ? '/v1/messages' : '/v1/messages/batch'
  const gatewayCpuBefore = await gateway.cpuMs()
  const benchCpuBefore = process.cpuUsage()
  const start = performance.now()
  const loop = async (connection: number): Promise<void> => {
    for (let turn = 0; performance.now() - start < durationMs; turn++) {
      const client = clients[(connection + turn * connections) % clients.length] as Client
      const bodies = Array.from({ length: batchSize }, () => requestJson(client.id, `${name}-${sequence++}`, samples[sequence % samples.length] as string))
      const before = performance.now()
      const status = await api.post(path, client.key, batchSize === 1 ? bodies[0] as string : `[${bodies.join(',')}]`)
      latencies.push(performance.now() - before)
      if (status === 202) accepted += batchSize
      else errors[status] = (errors[status] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: connections }, async (_, connection) => { await loop(connection) }))
  const seconds = (performance.now() - start) / 1000
  const benchCpu = process.cpuUsage(benchCpuBefore)
  const gatewayCpu = await gateway.cpuMs()
  const sorted = Float64Array.from(latencies).sort()
  return {
    name,
    connections,
    batchSize,
    accepted,
    perSecond: accepted / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    errors,
    gatewayCpuMsPerRequest: (gatewayCpu.all - gatewayCpuBefore.all) / Math.max(1, accepted),
    gatewayMainThreadCpuMsPerRequest: (gatewayCpu.main - gatewayCpuBefore.main) / Math.max(1, accepted),
    benchCpuMsPerRequest: (benchCpu.user + benchCpu.system) / 1000 / Math.max(1, accepted)
  }
}

/**
 * `batches` batches of `batchSize` fresh sealed requests of one client, each POSTed as soon as
 * the client's rate limit lets it in; done when every request's final status has arrived on
 * the client's status stream.
 */
async function endToEndRun (api: Api, gateway: GatewayProcess, stream: StatusStream, client: Client, publicKey: KeyObject, prefix: string, batches: number, batchSize: number): Promise<Omit<HttpEndToEndRow, 'ratioToOpeningCeiling'>> {
  const batchBodies = Array.from({ length: batches }, (_, batch) => Array.from({ length: batchSize }, (_, index) => ({
    correlId: `${prefix}-${batch}-${index}`,
    json: requestJson(client.id, `${prefix}-${batch}-${index}`, seal(publicKey))
  })))
  const postedAt = new Map<string, number>()
  const finalAt = new Map<string, number>()
  const all = new Promise<void>(resolve => {
    const total = batches * batchSize
    stream.onFinal = (correlId, at) => {
      if (!correlId.startsWith(`${prefix}-`) || finalAt.has(correlId)) return
      finalAt.set(correlId, at)
      if (finalAt.size === total) resolve()
    }
  })
  const cpuBefore = await gateway.cpuMs()
  const batchStarts: number[] = []
  for (const bodies of batchBodies) {
    const body = `[${bodies.map(({ json }) => json).join(',')}]`
    for (;;) {
      const before = performance.now()
      const status = await api.post('/v1/messages/batch', client.key, body)
      if (status === 202) {
        for (const { correlId } of bodies) postedAt.set(correlId, before)
        batchStarts.push(before)
        break
      }
      // 429 while the bucket is in debt: asking again costs no token.
      if (status !== 429) throw new Error(`batch of ${client.id} answered ${status}`)
      await sleep(20)
    }
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`end to end: only ${finalAt.size} of ${batches * batchSize} final statuses of ${client.id} within 120 s`)) }, 120_000)
  })
  await Promise.race([all, timeout]).finally(() => { clearTimeout(timer) })
  const cpuAfter = await gateway.cpuMs()
  stream.onFinal = undefined
  // The time the gateway had work: the union over the batches of [POST, last final].
  const intervals = batchBodies.map((bodies, batch) => [batchStarts[batch] as number, Math.max(...bodies.map(({ correlId }) => finalAt.get(correlId) as number))] as const)
  let busyMs = 0
  let coveredUntil = -Infinity
  for (const [from, to] of intervals) {
    busyMs += Math.max(0, to - Math.max(from, coveredUntil))
    coveredUntil = Math.max(coveredUntil, to)
  }
  const sorted = Float64Array.from([...finalAt].map(([correlId, at]) => at - (postedAt.get(correlId) as number))).sort()
  const requests = batches * batchSize
  return { name: client.id, requests, perSecond: requests / (busyMs / 1000), p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), gatewayCpuMsPerRequest: (cpuAfter.all - cpuBefore.all) / requests, gatewayMainThreadCpuMsPerRequest: (cpuAfter.main - cpuBefore.main) / requests }
}

function requestJson (clientId: string, correlId: string, payload: string): string {
  return JSON.stringify({ 'client-id': clientId, 'correl-id': correlId, deadline: DEADLINE, payload })
}

function seal (publicKey: KeyObject): string {
  return sealPayload(publicKey, Buffer.from(formatSmsText({ To: '+255712345678', Sender: 'BENCH' }, 'Your code is 123456.')), 'legacy')
}

async function readPublicKey (file: string): Promise<KeyObject> {
  return createPublicKey({ key: Buffer.from((await readFile(file, 'utf8')).trim(), 'base64'), format: 'der', type: 'spki' })
}

class Api {
  readonly #url: URL
  readonly #agent: Agent

  constructor (url: string, agent: Agent) {
    this.#url = new URL(url)
    this.#agent = agent
  }

  /** POSTs `body`; resolves to the status code once the answer was read, 0 on a connection error. */
  async post (path: string, key: string, body: string): Promise<number> {
    return await new Promise<number>(resolve => {
      const outgoing = request({
        host: this.#url.hostname,
        port: this.#url.port,
        path,
        method: 'POST',
        agent: this.#agent,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
      }, response => {
        response.resume()
        response.once('end', () => { resolve(response.statusCode ?? 0) })
        response.once('error', () => { resolve(0) })
      })
      outgoing.once('error', () => { resolve(0) })
      outgoing.end(body)
    })
  }
}

/** One client's GET /v1/statuses/stream, reporting each final status as it arrives. */
class StatusStream {
  onFinal: ((correlId: string, at: number) => void) | undefined
  readonly #response: IncomingMessage
  /** Resolves with the stream's first line (`: connected`), sent once the subscription is in place. */
  readonly connected: Promise<void>

  private constructor (response: IncomingMessage) {
    this.#response = response
    let buffer = ''
    let onConnected: () => void = () => {}
    this.connected = new Promise(resolve => { onConnected = resolve })
    response.setEncoding('utf8')
    response.on('data', (chunk: string) => {
      const now = performance.now()
      onConnected()
      buffer += chunk
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const data = /^event: status\ndata: (.*)$/m.test(event) ? /^data: (.*)$/m.exec(event)?.[1] : undefined
        if (data === undefined) continue
        const status = JSON.parse(data) as Record<string, unknown>
        const smsStatus = status['sms-status']
        if (isSmsStatus(smsStatus) && isFinalStatus(smsStatus)) this.onFinal?.(String(status['correl-id']), now)
      }
    })
    response.on('error', () => {})
  }

  static async open (url: string, key: string): Promise<StatusStream> {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`${url}/v1/statuses/stream`, { agent: false, headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } }, resolve).once('error', reject)
    })
    if (response.statusCode !== 200) throw new Error(`status stream answered ${response.statusCode}`)
    const stream = new StatusStream(response)
    await stream.connected
    return stream
  }

  close (): void {
    this.#response.destroy()
  }
}

interface GatewayProcess {
  url: string
  demoKey: string
  /** Resolves once the queue is empty and nothing is in flight (from GET /metrics). */
  drained: () => Promise<void>
  /** CPU time used so far, in ms: by all the process's threads, or by its main thread (the event loop). */
  cpuMs: () => Promise<{ all: number, main: number }>
  peakRssMiB: () => Promise<number>
  stop: () => Promise<void>
}

// `bin/smsgw run` with the demo defaults (and the store at `storeUrl`, if given), its own process
// as in production; the loop-back answers at once. Ready when it has printed its welcome (URL
// and the demo client's API key). With SMSGW_BENCH_CPU_PROF=<dir>, it writes a CPU profile of
// each of its threads there when it stops.
async function startRunProcess (dataDir: string, storeUrl: string | undefined): Promise<GatewayProcess> {
  const store = storeUrl === undefined ? [] : ['--store', storeUrl]
  const profile = process.env.SMSGW_BENCH_CPU_PROF
  const child: ChildProcess = spawn(fileURLToPath(new URL('../bin/smsgw', import.meta.url)), ['run', '--data', dataDir, '--port', '0', '--smsc-port', '0', ...store], {
    env: {
      ...process.env,
      SMSGW_LOG_LEVEL: 'warn',
      SMSGW_LOOPBACK_NORMAL_DELAY_MS: '0',
      SMSGW_LOOPBACK_LONG_DELAY_MS: '0',
      ...(profile === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profile}` })
    },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const exited = new Promise<void>(resolve => child.once('exit', () => { resolve() }))
  const { url, demoKey } = await new Promise<{ url: string, demoKey: string }>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => { reject(new Error(`smsgw run did not start within 60 s:\n${out}`)) }, 60_000)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`smsgw run exited with ${code}:\n${out}`)) })
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      out += chunk
      const url = /dashboard\s+(http:\/\/\S+)\/dashboard/.exec(out)?.[1]
      const demoKey = /API key \(shown once\): (\S+)/.exec(out)?.[1]
      if (url !== undefined && demoKey !== undefined) {
        clearTimeout(timer)
        resolve({ url, demoKey })
      }
    })
  })
  const pid = child.pid ?? 0
  return {
    url,
    demoKey,
    drained: async () => {
      for (let attempt = 0; attempt < 1200; attempt++) {
        const metrics = await (await fetch(`${url}/metrics`)).text()
        const gauge = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN)
        if (gauge('smsgw_consumer_lag') === 0 && gauge('smsgw_in_flight') === 0) return
        await sleep(100)
      }
      throw new Error('the gateway did not drain its queue within 120 s')
    },
    cpuMs: async () => ({ all: await statCpuMs(`/proc/${pid}/stat`), main: await statCpuMs(`/proc/${pid}/task/${pid}/stat`) }),
    peakRssMiB: async () => {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
    },
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    }
  }
}

async function statCpuMs (file: string): Promise<number> {
  const fields = (await readFile(file, 'utf8').catch(() => ') ')).split(') ')[1]?.split(' ') ?? []
  // utime and stime, in clock ticks (100 a second on Linux).
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10
}
