import type { GatewayConfig } from '../config/index.ts'
import type { StatusEvent } from '../domain/status-event.ts'
import type { Backend } from '../gateway/backends/backend.ts'
import { createReceiptHandler, type CorrelationLookup } from '../gateway/backends/smpp/receipt-handler.ts'
import { smppBackend, type CorrelationWriter } from '../gateway/backends/smpp/smpp-backend.ts'
import type { SmscLink } from '../gateway/backends/smpp/smsc-link.ts'
import type { DUPLICATE_STATUS } from '../gateway/status/status-sink.ts'
import type { Logger } from '../log/logger.ts'
import type { PduOf } from '../smpp/codec/index.ts'
import { isReceipt, moPartOf, MoReassembler, type InboundSms } from '../smpp/inbound/index.ts'
import { ReconnectingSession, socketConnector } from '../smpp/session/index.ts'

type SmppConfig = GatewayConfig['smpp']
type ConnectionConfig = Omit<SmppConfig, 'connections' | 'receiptRaceWaitMs' | 'inboundReassemblyMs'>

export interface SmppAssemblyOptions {
  config: SmppConfig
  correlations: CorrelationLookup & CorrelationWriter
  /** Reports a receipt's status through the gateway's one sink; resolves when durable (DUPLICATE_STATUS: held already). */
  reportStatus: (event: StatusEvent) => Promise<void | typeof DUPLICATE_STATUS>
  /** Publishes an inbound SMS; resolves when durable. */
  publishInbound: (sms: InboundSms) => Promise<void>
  log: Logger
}

export interface SmppAssembly {
  readonly backend: Backend
  readonly links: readonly SmscLink[]
  /** The session of each connection by name, for metrics and the dashboard. */
  readonly sessions: ReadonlyMap<string, ReconnectingSession>
  /** Flushes incomplete inbound messages, unbinds every connection. */
  close: () => Promise<void>
}

/** The SMSC connections the configuration names: the primary (when it has a host), then the extra ones. */
export function smscConnections (config: SmppConfig): ConnectionConfig[] {
  const { connections, receiptRaceWaitMs: _race, inboundReassemblyMs: _reassembly, ...primary } = config
  const all = primary.host === undefined ? [] : [primary]
  return [...all, ...connections.map(extra => ({ ...primary, ...extra }) as ConnectionConfig)]
}

/**
 * Builds the SMPP side of the gateway from configuration: one reconnecting session per SMSC
 * connection, the backend that routes over them, and the deliver_sm path (receipts to the
 * status sink, mobile-originated SMS reassembled and published). Undefined when no SMSC is
 * configured.
 */
export function assembleSmpp (options: SmppAssemblyOptions): SmppAssembly | undefined {
  const { config, log } = options
  const connections = smscConnections(config)
  if (connections.length === 0) return undefined
  const handleReceipt = createReceiptHandler({ correlations: options.correlations, report: options.reportStatus, log, raceWaitMs: config.receiptRaceWaitMs })
  const publish = async (sms: InboundSms): Promise<void> => {
    await options.publishInbound(sms)
    log.info({ connection: sms.connectionId, parts: sms.parts, incomplete: sms.incomplete === true }, 'inbound SMS published')
  }
  const reassembler = new MoReassembler({
    timeoutMs: config.inboundReassemblyMs,
    onIncomplete: sms => { publish(sms).catch((error: unknown) => log.error({ err: error, connection: sms.connectionId }, 'incomplete inbound SMS not published')) }
  })
  const sessions = new Map<string, ReconnectingSession>()
  const links = connections.map(connection => {
    const onDeliver = async (pdu: PduOf<'deliver_sm'>): Promise<void> => {
      if (isReceipt(pdu)) {
        await handleReceipt(pdu, connection.name, connection.receiptIdStyle)
        return
      }
      const part = moPartOf(pdu, connection.name, new Date())
      const whole = part === null ? null : reassembler.push(part)
      if (whole !== null) await publish(whole)
    }
    const session = new ReconnectingSession({
      connect: socketConnector({ host: connection.host as string, port: connection.port, ...(connection.tls ? { tls: {} } : {}) }),
      systemId: connection.systemId ?? '',
      password: connection.password ?? '',
      systemType: connection.systemType,
      windowSize: connection.windowSize,
      responseTimeoutMs: connection.responseTimeoutMs,
      enquireLinkIntervalMs: connection.enquireLinkIntervalMs,
      maxSubmitsPerSecond: connection.maxSubmitsPerSecond,
      reconnectDelayMs: connection.reconnectDelayMs,
      onDeliver
    })
    session.on('bound', ({ systemId }) => log.info({ connection: connection.name, smsc: systemId }, 'SMSC bound'))
    session.on('reconnecting', ({ attempt, delayMs, reason }) => log.warn({ connection: connection.name, attempt, delayMs, reason: reason?.message }, 'SMSC connection lost; reconnecting'))
    session.on('throttled', ({ commandStatus, delayMs }) => log.warn({ connection: connection.name, commandStatus, delayMs }, 'SMSC throttles; backing off'))
    sessions.set(connection.name, session)
    const link: SmscLink = {
      name: connection.name,
      prefixes: connection.prefixes,
      ...(connection.numberPattern === '' ? {} : { numberPattern: new RegExp(connection.numberPattern) }),
      dataCoding: connection.dataCoding,
      maxParts: connection.maxParts,
      numericSenderTon: connection.numericSenderTon,
      messageIds: { resp: connection.respIdStyle, receipt: connection.receiptIdStyle },
      sendValidityPeriod: connection.validityPeriod,
      channel: {
        get bound () { return session.state === 'bound' },
        submit: async (body, submitOptions) => await session.submit(body, submitOptions)
      }
    }
    return link
  })
  return {
    backend: smppBackend({ links, correlations: options.correlations, log, handOvers: handOversFor(connections) }),
    links,
    sessions,
    close: async () => {
      reassembler.flush()
      await Promise.all([...sessions.values()].map(async session => { await session.close() }))
    }
  }
}

/**
 * Twice the windows of all connections: the windows stay full while the next requests make
 * their ledger claims (a round trip to the broker or the store), and a crash leaves at most
 * this many requests claimed with an unknown outcome.
 */
function handOversFor (connections: ReadonlyArray<{ windowSize: number }>): number {
  return 2 * connections.reduce((sum, connection) => sum + connection.windowSize, 0)
}
