import { randomUUID } from 'node:crypto'
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Admin, Consumer, Producer } from '@platformatic/kafka'
import { BUILTIN_VAULT_FILE, loadConfig, type GatewayConfig } from '../src/config/index.ts'
import { sealPayload, type PayloadFormat } from '../src/crypto/payload/index.ts'
import { createKeyPair, Vault } from '../src/crypto/vault/index.ts'
import { decodeStatusEvent, isFinalStatus } from '../src/domain/status-event.ts'
import { formatSmsText } from '../src/sms/sms-text.ts'
import { SmscSimulator } from '../src/smpp/simulator/index.ts'
import { clientOptions } from '../src/transport/kafka/client-options.ts'
import { percentile } from './measure.ts'

export interface EndToEndResult {
  name: string
  requests: number
  perSecond: number
  p50Ms: number
  p99Ms: number
}

const SAMPLE_PAYLOADS = 200
/** The client whose requests the SMPP route carries (client `test` always goes to the loop-back). */
const SMPP_CLIENT = 'bench'

export type BenchRoute = 'loopback' | 'smpp'
const PRODUCE_BATCH = 200

/**
 * End to end on a real broker: requests produced on send-sms, the gateway (loop-back at zero
 * delay) in this process, final statuses read from sms-status. Throughput is measured on a
 * backlog produced as fast as possible; latency on a paced run at `pacedFraction` of it.
 */
export async function runKafkaBench (brokers: string, format: PayloadFormat, route: BenchRoute, requests: number, pacedFraction: number): Promise<{ burst: EndToEndResult, paced: EndToEndResult, gatewayPeakRssMiB: number, gatewayCpuMsPerRequest: number, gatewayBurstCpuMsPerRequest: GatewayCpu }> {
  // The SMPP route: an SMSC simulator in this process answers at once and sends each receipt
  // at once, so the final status is DELIVERED from a real receipt over real SMPP.
  const simulator = route === 'smpp' ? await SmscSimulator.start({ port: 0, retainSubmitted: 0, receiptDelayMs: 0 }) : undefined
  const { config, password, env } = await benchConfig(brokers, format, simulator?.address.port)
  const clientId = simulator === undefined ? 'test' : SMPP_CLIENT
  const gateway = await startGatewayProcess(env)
  const statuses = new Consumer({ ...clientOptions({ brokers: [brokers], clientId: 'bench' }, 'status'), groupId: `bench-${randomUUID()}`, autocommit: false, maxWaitTime: 20 })
  const stream = await statuses.consume({ topics: [config.kafka.topics.smsStatus], mode: 'earliest' })
  const producer = new Producer({ ...clientOptions({ brokers: [brokers], clientId: 'bench' }, 'producer') })
  const payloads = await samplePayloads(format, config.vault.file, password, clientId)
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  let finals = 0
  let onFinal: (() => void) | undefined
  const reading = (async () => {
    for await (const message of stream) {
      const event = decodeStatusEvent(message.value ?? Buffer.alloc(0))
      if (event === null || !isFinalStatus(event.status)) continue
      const started = sentAt.get(event.correlId)
      if (started !== undefined) latencies.push(performance.now() - started)
      finals++
      onFinal?.()
    }
  })()
  const waitForFinals = async (count: number): Promise<void> => {
    await new Promise<void>(resolve => {
      onFinal = () => { if (finals >= count) resolve() }
      onFinal()
    })
  }
  const produce = async (count: number): Promise<void> => {
    const values = Array.from({ length: count }, (_, index) => {
      const correlId = randomUUID()
      sentAt.set(correlId, performance.now())
      return Buffer.from(JSON.stringify({ 'client-id': clientId, 'correl-id': correlId, deadline: '2100-01-01T00:00:00Z', payload: payloads[index % payloads.length] }))
    })
    await producer.send({ messages: values.map(value => ({ topic: config.kafka.topics.sendSms, value })) })
  }

  try {
    // Warm-up: worker threads, JIT, topic metadata.
    await produce(200)
    await waitForFinals(200)

    // CPU is counted from here: the process's start (type stripping, workers, the vault) and the warm-up are not per-request costs.
    const cpuBefore = await gateway.cpuSeconds()
    latencies.length = 0
    const burstStart = performance.now()
    const base = finals
    for (let sent = 0; sent < requests; sent += PRODUCE_BATCH) await produce(Math.min(PRODUCE_BATCH, requests - sent))
    await waitForFinals(base + requests)
    const burstSeconds = (performance.now() - burstStart) / 1000
    const burst = summary(`burst of ${requests}, ${format}, ${route}`, requests, requests / burstSeconds, latencies)
    const cpuAfterBurst = await gateway.cpuSeconds()

    latencies.length = 0
    const rate = burst.perSecond * pacedFraction
    const pacedRequests = Math.min(requests, Math.round(rate * 5))
    const pacedBase = finals
    const tickMs = 20
    const perTick = Math.max(1, Math.round(rate * tickMs / 1000))
    const pacedStart = performance.now()
    for (let sent = 0; sent < pacedRequests; sent += perTick) {
      await produce(Math.min(perTick, pacedRequests - sent))
      const due = pacedStart + ((sent + perTick) / rate) * 1000
      const waitMs = due - performance.now()
      if (waitMs > 0) await sleep(waitMs)
    }
    await waitForFinals(pacedBase + pacedRequests)
    const paced = summary(`paced at ${Math.round(rate)}/s, ${format}, ${route}`, pacedRequests, pacedRequests / ((performance.now() - pacedStart) / 1000), latencies)
    const cpuAfterPaced = await gateway.cpuSeconds()
    return {
      burst,
      paced,
      gatewayPeakRssMiB: await gateway.peakRssMiB(),
      gatewayCpuMsPerRequest: (cpuAfterPaced.total - cpuBefore.total) * 1000 / (requests + pacedRequests),
      gatewayBurstCpuMsPerRequest: perRequestMs(cpuBefore, cpuAfterBurst, requests)
    }
  } finally {
    await producer.close()
    await gateway.stop()
    await stream.close()
    await reading
    await statuses.close()
    await simulator?.close()
  }
}

function summary (name: string, requests: number, perSecond: number, latencies: number[]): EndToEndResult {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { name, requests, perSecond, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) }
}

// The gateway runs as its own process, as in production, so its memory is its own and the
// bench's producer and consumer do not share its event loop. Configured by environment only.
async function benchConfig (brokers: string, format: PayloadFormat, smscPort: number | undefined): Promise<{ config: GatewayConfig, password: string, env: Record<string, string> }> {
  const id = randomUUID()
  const password = '123456'
  const topic = (name: string): string => `bench-${name}-${id}`
  const env = {
    SMSGW_KAFKA_BROKERS: brokers,
    SMSGW_KAFKA_GROUP_ID: topic('group'),
    SMSGW_KAFKA_TOPICS_SEND_SMS: topic('send-sms'),
    SMSGW_KAFKA_TOPICS_SMS_STATUS: topic('sms-status'),
    SMSGW_KAFKA_TOPICS_CORREL_ID: topic('correl-id'),
    SMSGW_KAFKA_TOPICS_CLAIMS: topic('claims'),
    SMSGW_KAFKA_TOPICS_INBOUND: topic('inbound'),
    SMSGW_VAULT_FILE: smscPort === undefined && format === 'legacy' ? BUILTIN_VAULT_FILE : await benchVault(password, format),
    SMSGW_VAULT_PASSWORD: password,
    SMSGW_LOOPBACK_NORMAL_DELAY_MS: '0',
    SMSGW_LOOPBACK_LONG_DELAY_MS: '0',
    SMSGW_LOG_LEVEL: 'warn',
    ...(smscPort === undefined
      ? {}
      : { SMSGW_CLIENTS_ALLOWED: SMPP_CLIENT, SMSGW_SMPP_HOST: '127.0.0.1', SMSGW_SMPP_PORT: String(smscPort), SMSGW_SMPP_SYSTEM_ID: 'smsgw', SMSGW_SMPP_PASSWORD: 'secret', SMSGW_SMPP_WINDOW_SIZE: '100' })
  }
  return { config: await loadConfig({ env }), password, env }
}

interface GatewayProcess {
  stop: () => Promise<void>
  peakRssMiB: () => Promise<number>
  /** CPU time the gateway process has used so far, in seconds. */
  cpuSeconds: () => Promise<GatewayCpu>
}

// With SMSGW_BENCH_CPU_PROF=<dir>, the gateway writes a CPU profile of each thread there when it stops.
async function startGatewayProcess (env: Record<string, string>): Promise<GatewayProcess> {
  const profile = process.env.SMSGW_BENCH_CPU_PROF
  const profiling = profile === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profile}` }
  const child = spawn(fileURLToPath(new URL('../bin/smsgw', import.meta.url)), ['gateway'], { env: { ...process.env, ...env, ...profiling }, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  // The gateway is ready once it has joined the group; it logs nothing at warn level, so wait
  // for its consumer group to show up instead of a log line.
  await waitForGroup(env.SMSGW_KAFKA_BROKERS as string, env.SMSGW_KAFKA_GROUP_ID as string)
  let peakKiB = 0
  const sample = async (): Promise<void> => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '')
    peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))
  }
  return {
    peakRssMiB: async () => { await sample(); return peakKiB / 1024 },
    cpuSeconds: async () => await processCpuSeconds(child.pid ?? 0),
    stop: async () => {
      await sample()
      child.kill('SIGTERM')
      await exited
    }
  }
}

/** CPU time of the gateway process: all its threads, its main thread (the event loop: Kafka, the pipeline), its opening workers; the rest is V8's helper threads (GC, compiler). */
export interface GatewayCpu {
  total: number
  mainThread: number
  openingWorkers: number
}

async function processCpuSeconds (pid: number): Promise<GatewayCpu> {
  const cpu = { total: 0, mainThread: 0, openingWorkers: 0 }
  const threads = await readdir(`/proc/${pid}/task`).catch(() => [])
  for (const thread of threads) {
    const [stat, name] = await Promise.all([readFile(`/proc/${pid}/task/${thread}/stat`, 'utf8').catch(() => ') '), readFile(`/proc/${pid}/task/${thread}/comm`, 'utf8').catch(() => '')])
    const fields = stat.split(') ')[1]?.split(' ') ?? []
    // utime and stime, in clock ticks (100 a second on Linux).
    const seconds = (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100
    cpu.total += seconds
    if (thread === String(pid)) cpu.mainThread += seconds
    // Node names each worker_threads thread so.
    else if (name.trim() === 'WorkerThread') cpu.openingWorkers += seconds
  }
  return cpu
}

function perRequestMs (before: GatewayCpu, after: GatewayCpu, requests: number): GatewayCpu {
  const ms = (key: keyof GatewayCpu): number => (after[key] - before[key]) * 1000 / requests
  return { total: ms('total'), mainThread: ms('mainThread'), openingWorkers: ms('openingWorkers') }
}

async function waitForGroup (brokers: string, groupId: string): Promise<void> {
  const admin = new Admin(clientOptions({ brokers: [brokers], clientId: 'bench' }, 'admin'))
  try {
    for (let attempt = 0; attempt < 300; attempt++) {
      const groups = await admin.listGroups().catch(() => new Map())
      if (groups.has(groupId)) return
      await sleep(100)
    }
    throw new Error(`the gateway did not join ${groupId} within 30 s`)
  } finally {
    await admin.close()
  }
}

// A fresh vault with keys for `test` (loop-back) and the SMPP client: X25519 ones for v2.
async function benchVault (password: string, format: PayloadFormat): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'smsgw-bench-')), 'bench.vault')
  const type = format === 'v2' ? 'x25519' : 'rsa'
  await createKeyPair(file, password, 'test', type)
  await createKeyPair(file, password, SMPP_CLIENT, type)
  return file
}

async function samplePayloads (format: PayloadFormat, vaultFile: string, password: string, clientId: string): Promise<string[]> {
  const key = (await Vault.load(vaultFile, password)).keysFor(clientId)[0]
  if (key === undefined) throw new Error(`bench vault lacks client ${clientId}`)
  const text = Buffer.from(formatSmsText({ To: '+31629845432', Sender: 'BENCH' }, 'Your code is 123456.'))
  return Array.from({ length: SAMPLE_PAYLOADS }, () => sealPayload(key.publicKey, text, format))
}
