import type { GatewayConfig } from '../config/index.ts'
import { Vault } from '../crypto/vault/vault.ts'
import type { Backend } from '../gateway/backends/backend.ts'
import { loopbackBackend } from '../gateway/backends/loopback/loopback-backend.ts'
import type { CorrelationLookup } from '../gateway/backends/smpp/receipt-handler.ts'
import type { CorrelationWriter } from '../gateway/backends/smpp/smpp-backend.ts'
import { SMSC_BACKEND, unconfiguredSmscBackend } from '../gateway/backends/unconfigured-smsc.ts'
import { Gateway } from '../gateway/gateway.ts'
import type { LedgerLog } from '../gateway/ledger/ledger-log.ts'
import { RequestLedger } from '../gateway/ledger/request-ledger.ts'
import { UnknownOutcomes } from '../gateway/ledger/unknown-outcomes.ts'
import { inlineOpener } from '../gateway/opener/inline-opener.ts'
import type { PayloadOpener } from '../gateway/opener/payload-opener.ts'
import { WorkerOpener } from '../gateway/opener/worker-opener.ts'
import { createPipeline } from '../gateway/pipeline.ts'
import type { RequestSource } from '../gateway/request-source.ts'
import { defaultRoutes, LOOPBACK_BACKEND, type RouteRule } from '../gateway/stages/route.ts'
import { ClientLog } from '../gateway/status/client-log.ts'
import { reportDurably } from '../gateway/status/durable-report.ts'
import { StatusFanOut, type StatusSink } from '../gateway/status/status-sink.ts'
import type { Logger } from '../log/logger.ts'
import type { InboundSms } from '../smpp/inbound/index.ts'
import type { ReconnectingSession } from '../smpp/session/index.ts'
import { assembleSmpp } from './smpp-assembly.ts'

/** What a transport (Kafka, or the embedded store) provides to the gateway. */
export interface GatewayTransport {
  source: RequestSource
  /** Where statuses must be durable before a request counts as done (`sms-status`, the store). */
  statuses: StatusSink
  ledgerLog: LedgerLog
  correlations: CorrelationLookup & CorrelationWriter
  /**
   * Publishes an inbound SMS; resolves when durable. `keys` are the vault's, for a transport
   * that seals it to its owner (the embedded store).
   */
  publishInbound: (sms: InboundSms, keys: Pick<Vault, 'keysFor'>) => Promise<void>
  /** Whether a request has a status stored, where statuses can be looked up (the store); for the unknown outcomes. */
  reported?: (clientId: string, correlId: string) => Promise<boolean>
  /** Flushes what the transport buffers, after the gateway stopped and before `close`. */
  flush: () => Promise<void>
  close: () => Promise<void>
}

/** Parts a caller may supply instead of the ones built from configuration. */
export interface GatewayParts {
  /** Backends by name; they replace the configured ones of the same name. */
  backends?: ReadonlyMap<string, Backend>
  routes?: readonly RouteRule[]
  defaultBackend?: string
  /** More sinks every status goes to after the primary one (metrics, the dashboard). */
  sinks?: readonly StatusSink[]
}

export interface RunningGateway {
  readonly gateway: Gateway
  readonly sink: StatusFanOut
  /** Whether at least one SMSC connection is bound (true when none is configured). */
  readonly smscReady: () => boolean
  /** The SMPP session of each SMSC connection by name (none when no SMSC is configured). */
  readonly smscSessions: ReadonlyMap<string, ReconnectingSession>
  /** The requests whose outcome is unknown, from the request ledger: for operators. */
  readonly unknownOutcomes: UnknownOutcomes
  /** Resolves when the gateway stops: the source ended, or `shutdown` was called. */
  readonly done: Promise<void>
  /** Graceful stop: stop pulling, settle in-flight requests, flush, commit, disconnect. */
  shutdown: () => Promise<void>
}

/**
 * The outbound gateway over any transport: vault, payload opening, the backends (loop-back, the
 * SMSC connections), the request ledger, the one status sink, and the orchestrator. The caller
 * has started the transport's tables; this starts pulling.
 */
export async function startOutboundGateway (config: GatewayConfig, vaultPassword: string, transport: GatewayTransport, log: Logger, parts: GatewayParts = {}): Promise<RunningGateway> {
  const vault = await Vault.load(config.vault.file, vaultPassword)
  vault.watch({ intervalMs: config.vault.reloadIntervalMs, onReload: () => log.info({ file: config.vault.file }, 'vault reloaded'), onError: error => log.warn({ err: error }, 'vault change not loaded; keeping the keys held') })
  const opener: PayloadOpener = config.pipeline.openWorkers > 0
    ? await WorkerOpener.start({ workers: config.pipeline.openWorkers, vaultFile: config.vault.file, vaultPassword, reloadIntervalMs: config.vault.reloadIntervalMs })
    : inlineOpener(vault)
  const ledger = new RequestLedger(transport.ledgerLog, { takeoverMs: config.pipeline.claimTakeoverMs })

  const secondary = [...(config.clientLog.dir === undefined ? [] : [new ClientLog(config.clientLog.dir)]), ...(parts.sinks ?? [])]
  const sink = new StatusFanOut(transport.statuses, secondary, (error, event) => {
    log.warn({ err: error, clientId: event.clientId, correlId: event.correlId }, 'status not recorded by a secondary sink')
  })
  const shutdownSignal = new AbortController()
  const smpp = assembleSmpp({
    config: config.smpp,
    correlations: transport.correlations,
    reportStatus: async event => await reportDurably(sink, event, log, shutdownSignal.signal),
    publishInbound: async sms => { await transport.publishInbound(sms, vault) },
    log
  })
  const backends = new Map<string, Backend>([
    [LOOPBACK_BACKEND, loopbackBackend(config.loopback)],
    [SMSC_BACKEND, smpp?.backend ?? unconfiguredSmscBackend()],
    ...(parts.backends ?? [])
  ])

  const gateway = new Gateway({
    source: transport.source,
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
      await transport.flush()
      await smpp?.close()
      await opener.close()
      await Promise.all([...backends.values()].map(async backend => await backend.close()))
      await transport.close()
      vault.close()
      log.info({ handled: gateway.handled, statuses: sink.counts }, 'gateway stopped')
    })()
    await stopping
  }
  const smscReady = (): boolean => smpp === undefined || smpp.links.some(link => link.channel.bound)
  const unknownOutcomes = new UnknownOutcomes(transport.ledgerLog, { takeoverMs: config.pipeline.claimTakeoverMs, ...(transport.reported === undefined ? {} : { reported: transport.reported }) })
  return { gateway, sink, smscReady, smscSessions: smpp?.sessions ?? new Map(), unknownOutcomes, done, shutdown }
}
