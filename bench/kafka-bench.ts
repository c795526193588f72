import { randomUUID } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Consumer, Producer } from '@platformatic/kafka'
import { BUILTIN_VAULT_FILE, loadConfig, type GatewayConfig } from '../src/config/index.ts'
import { sealPayload, type PayloadFormat } from '../src/crypto/payload/index.ts'
import { createKeyPair, Vault } from '../src/crypto/vault/index.ts'
import { decodeStatusEvent, isFinalStatus } from '../src/gateway/status/status-event.ts'
import { createLogger } from '../src/log/logger.ts'
import { formatSmsText } from '../src/sms/sms-text.ts'
import { clientOptions } from '../src/transport/kafka/client-options.ts'
import { startKafkaGateway } from '../src/transport/kafka/kafka-gateway.ts'
import { percentile } from './measure.ts'

export interface EndToEndResult {
  name: string
  requests: number
  perSecond: number
  p50Ms: number
  p99Ms: number
}

const SAMPLE_PAYLOADS = 200
const PRODUCE_BATCH = 200

/**
 * End to end on a real broker: requests produced on send-sms, the gateway (loop-back at zero
 * delay) in this process, final statuses read from sms-status. Throughput is measured on a
 * backlog produced as fast as possible; latency on a paced run at `pacedFraction` of it.
 */
export async function runKafkaBench (brokers: string, format: PayloadFormat, requests: number, pacedFraction: number): Promise<{ burst: EndToEndResult, paced: EndToEndResult }> {
  const { config, password } = await benchConfig(brokers, format)
  const running = await startKafkaGateway(config, password, createLogger({ level: 'warn' }), {})
  const statuses = new Consumer({ ...clientOptions({ brokers: [brokers], clientId: 'bench' }, 'status'), groupId: `bench-${randomUUID()}`, autocommit: false, maxWaitTime: 20 })
  const stream = await statuses.consume({ topics: [config.kafka.topics.smsStatus], mode: 'earliest' })
  const producer = new Producer({ ...clientOptions({ brokers: [brokers], clientId: 'bench' }, 'producer') })
  const payloads = await samplePayloads(format, config.vault.file, password)
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
      return Buffer.from(JSON.stringify({ 'client-id': 'test', 'correl-id': correlId, deadline: '2100-01-01T00:00:00Z', payload: payloads[index % payloads.length] }))
    })
    await producer.send({ messages: values.map(value => ({ topic: config.kafka.topics.sendSms, value })) })
  }

  try {
    // Warm-up: worker threads, JIT, topic metadata.
    await produce(200)
    await waitForFinals(200)

    latencies.length = 0
    const burstStart = performance.now()
    const base = finals
    for (let sent = 0; sent < requests; sent += PRODUCE_BATCH) await produce(Math.min(PRODUCE_BATCH, requests - sent))
    await waitForFinals(base + requests)
    const burstSeconds = (performance.now() - burstStart) / 1000
    const burst = summary(`burst of ${requests}, ${format}`, requests, requests / burstSeconds, latencies)

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
    const paced = summary(`paced at ${Math.round(rate)}/s, ${format}`, pacedRequests, pacedRequests / ((performance.now() - pacedStart) / 1000), latencies)
    return { burst, paced }
  } finally {
    await producer.close()
    await running.shutdown()
    await stream.close()
    await reading
    await statuses.close()
  }
}

function summary (name: string, requests: number, perSecond: number, latencies: number[]): EndToEndResult {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { name, requests, perSecond, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) }
}

async function benchConfig (brokers: string, format: PayloadFormat): Promise<{ config: GatewayConfig, password: string }> {
  const id = randomUUID()
  const password = '123456'
  const topic = (name: string): string => `bench-${name}-${id}`
  const overrides = {
    kafka: { brokers: [brokers], groupId: topic('group'), topics: { sendSms: topic('send-sms'), smsStatus: topic('sms-status'), correlId: topic('correl-id'), claims: topic('claims'), inbound: topic('inbound') } },
    vault: { file: format === 'v2' ? await x25519Vault(password) : BUILTIN_VAULT_FILE, password },
    loopback: { normalDelayMs: 0, longDelayMs: 0 },
    pipeline: { maxInFlight: 2000, openWorkers: 2 },
    log: { level: 'warn' as const }
  }
  return { config: await loadConfig({ env: {}, overrides }), password }
}

// v2 payloads use an X25519 key for client `test`: a fresh vault with one.
async function x25519Vault (password: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'smsgw-bench-')), 'x25519.vault')
  await createKeyPair(file, password, 'test', 'x25519')
  return file
}

async function samplePayloads (format: PayloadFormat, vaultFile: string, password: string): Promise<string[]> {
  const key = (await Vault.load(vaultFile, password)).keysFor('test')[0]
  if (key === undefined) throw new Error('bench vault lacks client test')
  const text = Buffer.from(formatSmsText({ To: '+31629845432', Sender: 'BENCH' }, 'Your code is 123456.'))
  return Array.from({ length: SAMPLE_PAYLOADS }, () => sealPayload(key.publicKey, text, format))
}
