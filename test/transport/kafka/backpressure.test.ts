// Backpressure end to end (STYLE.md "Pull, don't push"): with a backlog of 100k requests on
// send-sms and a slow backend, the gateway pulls only what its in-flight limit admits, so its
// memory stays flat instead of growing with the backlog.
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import { passEveryMessage, type Backend } from '../../../src/gateway/backends/backend.ts'
import { defaultRoutes } from '../../../src/gateway/stages/route.ts'
import { smsStatuses } from '../../../src/domain/status-event.ts'
import { createLogger } from '../../../src/log/logger.ts'
import { startKafkaGateway } from '../../../src/app/kafka-gateway.ts'
import { ensureTopics } from '../../../src/transport/kafka/topics.ts'
import { garbageCollector } from '../../harness/garbage-collector.ts'
import { BUILTIN_VAULT_PASSWORD, isolatedKafkaConfig, LogCapture, produceValues, sealedRequest, testConfig } from '../../harness/gateway-fixture.ts'

const BACKLOG = 100_000
const PRODUCE_CHUNK = 10_000
const MAX_IN_FLIGHT = 50
const BACKEND_HOLD_MS = 20
const WARM_UP_MS = 3_000
const SAMPLE_EVERY_MS = 500
const SAMPLES = 20
const MiB = 1024 * 1024
/** How much the heap may wander between samples taken after a full collection. */
const FLAT_HEAP_BYTES = 40 * MiB

interface Sample {
  heapUsed: number
  arrayBuffers: number
  rss: number
}

function sample (gc: () => void): Sample {
  gc()
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage()
  return { heapUsed, arrayBuffers, rss }
}

const mib = (bytes: number): string => (bytes / MiB).toFixed(1)
const spread = (samples: readonly Sample[], field: keyof Sample): number =>
  Math.max(...samples.map(item => item[field])) - Math.min(...samples.map(item => item[field]))

test('gateway keeps its memory flat and the backlog in Kafka when the backend is slower than the backlog', { timeout: 85_000 }, async t => {
  const gc = garbageCollector()
  const config = await testConfig(await isolatedKafkaConfig(), { clients: { allowed: ['test', 'acme'] }, pipeline: { maxInFlight: MAX_IN_FLIGHT } })
  const { topics } = config.kafka
  await ensureTopics({ brokers: config.kafka.brokers, clientId: 'test-backpressure' }, [
    { name: topics.sendSms, compacted: false },
    { name: topics.smsStatus, compacted: false },
    { name: topics.correlId, compacted: true },
    { name: topics.claims, compacted: true }
  ], { partitions: config.kafka.partitions, replicationFactor: 1 })

  // One sealed payload, 100k correl-ids: the gateway opens each one anyway.
  const request = await sealedRequest({ clientId: 'acme', correlId: 'template', body: 'backlog' })
  const producedMs = performance.now()
  for (let start = 0; start < BACKLOG; start += PRODUCE_CHUNK) {
    const values = Array.from({ length: PRODUCE_CHUNK }, (_, index) => request.replace('"template"', JSON.stringify(`backlog-${start + index}`)))
    await produceValues(config, values)
  }
  const backlogBytes = BACKLOG * request.length
  t.diagnostic(`produced ${BACKLOG} requests (${mib(backlogBytes)} MiB of values) in ${Math.round(performance.now() - producedMs)} ms`)

  let submitted = 0
  const slow: Backend = {
    name: 'slow',
    replayable: false,
    check: passEveryMessage,
    submit: async (_submission, report) => {
      submitted++
      await sleep(BACKEND_HOLD_MS)
      await report({ status: smsStatuses.sent })
    },
    close: async () => {}
  }
  const before = sample(gc)
  const logs = new LogCapture()
  const running = await startKafkaGateway(config, BUILTIN_VAULT_PASSWORD, createLogger({ level: 'info', destination: logs }), {
    backends: new Map([['slow', slow]]),
    routes: [{ clients: ['acme'], backend: 'slow' }, ...defaultRoutes]
  })
  try {
    await sleep(WARM_UP_MS)
    assert.ok(running.gateway.handled > 0, 'the gateway is working through the backlog')
    const samples: Sample[] = []
    let maxInFlight = 0
    for (let index = 0; index < SAMPLES; index++) {
      samples.push(sample(gc))
      maxInFlight = Math.max(maxInFlight, running.gateway.inFlight)
      await sleep(SAMPLE_EVERY_MS)
    }
    const handled = running.gateway.handled
    t.diagnostic(`before start: heap ${mib(before.heapUsed)} MiB, buffers ${mib(before.arrayBuffers)} MiB, rss ${mib(before.rss)} MiB`)
    t.diagnostic(`heap MiB: ${samples.map(item => mib(item.heapUsed)).join(' ')}`)
    t.diagnostic(`buffers MiB: ${samples.map(item => mib(item.arrayBuffers)).join(' ')}`)
    t.diagnostic(`rss MiB: ${samples.map(item => mib(item.rss)).join(' ')}`)
    t.diagnostic(`handled ${handled} of ${BACKLOG} in ${(WARM_UP_MS + SAMPLES * SAMPLE_EVERY_MS) / 1000} s; max in flight seen ${maxInFlight}`)

    assert.ok(spread(samples, 'heapUsed') < FLAT_HEAP_BYTES, `heap spread ${mib(spread(samples, 'heapUsed'))} MiB`)
    assert.ok(spread(samples, 'arrayBuffers') < FLAT_HEAP_BYTES, `buffer spread ${mib(spread(samples, 'arrayBuffers'))} MiB`)
    // Holding the backlog would take at least its bytes, on the heap or in buffers.
    const peak = Math.max(...samples.map(item => item.heapUsed + item.arrayBuffers))
    const grown = peak - (before.heapUsed + before.arrayBuffers)
    assert.ok(grown < backlogBytes / 2, `memory grew ${mib(grown)} MiB over the start; the backlog is ${mib(backlogBytes)} MiB`)
    assert.ok(maxInFlight <= MAX_IN_FLIGHT, `in flight ${maxInFlight}`)
    assert.ok(handled < BACKLOG / 2, `handled ${handled}: the backlog stays in Kafka`)
    assert.ok(submitted >= handled, `every handled request went through the slow backend (${submitted} submitted)`)
  } finally {
    const stoppedMs = performance.now()
    await running.shutdown()
    t.diagnostic(`shutdown took ${Math.round(performance.now() - stoppedMs)} ms`)
  }
  assert.deepEqual(logs.lines.filter(line => line.includes('"level":"warn"') || line.includes('"level":"error"')), [], 'a clean shutdown')
})
