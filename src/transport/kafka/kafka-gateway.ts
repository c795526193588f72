import type { GatewayConfig } from '../../config/index.ts'
import { Vault } from '../../crypto/vault/vault.ts'
import type { Backend } from '../../gateway/backends/backend.ts'
import { loopbackBackend } from '../../gateway/backends/loopback/loopback-backend.ts'
import { SMSC_BACKEND, unconfiguredSmscBackend } from '../../gateway/backends/unconfigured-smsc.ts'
import { Gateway } from '../../gateway/gateway.ts'
import { RequestLedger } from '../../gateway/ledger/request-ledger.ts'
import { inlineOpener } from '../../gateway/opener/inline-opener.ts'
import type { PayloadOpener } from '../../gateway/opener/payload-opener.ts'
import { WorkerOpener } from '../../gateway/opener/worker-opener.ts'
import { createPipeline } from '../../gateway/pipeline.ts'
import { defaultRoutes, LOOPBACK_BACKEND, type RouteRule } from '../../gateway/stages/route.ts'
import { ClientLog } from '../../gateway/status/client-log.ts'
import { StatusFanOut } from '../../gateway/status/status-sink.ts'
import { reportDurably } from '../../gateway/status/durable-report.ts'
import { assembleSmpp } from '../../gateway/backends/smpp/smpp-assembly.ts'
import type { Logger } from '../../log/logger.ts'
import type { KafkaConnection } from './client-options.ts'
import { CoalescingProducer } from './coalescing-producer.ts'
import { CorrelationStore } from './correlation-store.ts'
import { KafkaLedgerLog } from './kafka-ledger-log.ts'
import { KafkaStatusPublisher } from './status-publisher.ts'
import { RequestConsumer } from './request-consumer.ts'
import { ensureTopics } from './topics.ts'
import { InboundPublisher } from './inbound-publisher.ts'

export interface RunningGateway {
  readonly gateway: Gateway
  readonly sink: StatusFanOut
  /** Resolves when the gateway stops: the source ended, or `shutdown` was called. */
  readonly done: Promise<void>
  /** Graceful stop: stop consuming, settle in-flight requests, flush, commit, disconnect. */
  shutdown: () => Promise<void>
}

/** Parts a caller may supply instead of the ones built from configuration. */
export interface GatewayParts {
  /** Backends by name; they replace the configured ones of the same name. */
  backends?: ReadonlyMap<string, Backend>
  routes?: readonly RouteRule[]
  defaultBackend?: string
}

/**
 * The composition of the outbound gateway on Kafka: builds every part from the configuration,
 * starts them in dependency order (tables caught up before the first request is pulled), and
 * returns the running gateway.
 */
export async function startKafkaGateway (config: GatewayConfig, vaultPassword: string, log: Logger, parts: GatewayParts = {}): Promise<RunningGateway> {
  const connection: KafkaConnection = { brokers: config.kafka.brokers, clientId: config.kafka.clientId }
  const { topics } = config.kafka
  if (config.kafka.createTopics) {
    const created = await ensureTopics(connection, [
      { name: topics.sendSms, compacted: false },
      { name: topics.smsStatus, compacted: false },
      { name: topics.correlId, compacted: true },
      { name: topics.claims, compacted: true },
      { name: topics.inbound, compacted: false }
    ], { partitions: config.kafka.partitions, replicationFactor: config.kafka.replicationFactor })
    if (created.length > 0) log.info({ topics: created }, 'created topics')
  }

  const vault = await Vault.load(config.vault.file, vaultPassword)
  vault.watch({ intervalMs: config.vault.reloadIntervalMs, onReload: () => log.info({ file: config.vault.file }, 'vault reloaded'), onError: error => log.warn({ err: error }, 'vault change not loaded; keeping the keys held') })
  const opener: PayloadOpener = config.pipeline.openWorkers > 0
    ? await WorkerOpener.start({ workers: config.pipeline.openWorkers, vaultFile: config.vault.file, vaultPassword, reloadIntervalMs: config.vault.reloadIntervalMs })
    : inlineOpener(vault)

  const producer = new CoalescingProducer(connection)
  const groupPrefix = `${config.kafka.groupId}-table`
  const ledgerLog = new KafkaLedgerLog({ connection, topic: topics.claims, groupPrefix, producer })
  const correlations = new CorrelationStore({ connection, topic: topics.correlId, groupPrefix, producer })
  await Promise.all([ledgerLog.start(), correlations.start()])
  const ledger = new RequestLedger(ledgerLog, { takeoverMs: config.pipeline.claimTakeoverMs })

  const secondary = config.clientLog.dir === undefined ? [] : [new ClientLog(config.clientLog.dir)]
  const sink = new StatusFanOut(new KafkaStatusPublisher(producer, topics.smsStatus), secondary, (error, event) => {
    log.warn({ err: error, clientId: event.clientId, correlId: event.correlId }, 'client log not written')
  })
  const shutdownSignal = new AbortController()
  const inbound = new InboundPublisher(producer, topics.inbound)
  const smpp = assembleSmpp({
    config: config.smpp,
    correlations,
    reportStatus: async event => { await reportDurably(sink, event, log, shutdownSignal.signal) },
    publishInbound: async sms => { await inbound.publish(sms) },
    log
  })
  const backends = new Map<string, Backend>([
    [LOOPBACK_BACKEND, loopbackBackend(config.loopback)],
    [SMSC_BACKEND, smpp?.backend ?? unconfiguredSmscBackend()],
    ...(parts.backends ?? [])
  ])

  const consumer = new RequestConsumer({ connection, topic: topics.sendSms, groupId: config.kafka.groupId })
  await consumer.start()
  const gateway = new Gateway({
    source: consumer,
    maxInFlight: config.pipeline.maxInFlight,
    log,
    handle: createPipeline({
      allowedClients: new Set(config.clients.allowed),
      opener,
      backends,
      routes: parts.routes ?? defaultRoutes,
      defaultBackend: parts.defaultBackend ?? SMSC_BACKEND,
      ledger,
      sink,
      log,
      signal: shutdownSignal.signal
    }),
    onCommitted: outcomes => {
      for (const { ledgerKey } of outcomes) {
        if (ledgerKey !== undefined) ledger.forget(ledgerKey).catch((error: unknown) => log.warn({ err: error }, 'ledger entry not forgotten'))
      }
    }
  })
  log.info({ brokers: config.kafka.brokers, topic: topics.sendSms, groupId: config.kafka.groupId, openWorkers: config.pipeline.openWorkers }, 'gateway started')
  const done = gateway.run()

  let stopping: Promise<void> | undefined
  const shutdown = async (): Promise<void> => {
    stopping ??= (async () => {
      const settled = await gateway.stop(config.pipeline.shutdownTimeoutMs)
      if (!settled) log.warn({ inFlight: gateway.inFlight }, 'shutdown timed out; unsettled requests are redelivered on the next start')
      shutdownSignal.abort()
      // A request still inside a backend when the timeout ran out may never settle (a submit
      // that gets no answer): waiting for it would make the timeout meaningless. It is given up
      // uncommitted, and its claim keeps the next start from submitting it again.
      if (settled) await done.catch(() => {})
      await producer.flush()
      await consumer.disconnect()
      await smpp?.close()
      await Promise.all([ledgerLog.close(), correlations.close(), opener.close()])
      await Promise.all([...backends.values()].map(async backend => await backend.close()))
      await producer.close()
      vault.close()
      log.info({ handled: gateway.handled, statuses: sink.counts }, 'gateway stopped')
    })()
    await stopping
  }
  return { gateway, sink, done, shutdown }
}
