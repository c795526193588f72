import type { GatewayConfig } from '../config/index.ts'
import type { Logger } from '../log/logger.ts'
import type { MoIngress } from '../relay/ingress/mo-forward.ts'
import type { EmbeddedStore } from '../store/embedded-store.ts'
import { openEmbeddedTransport, type EmbeddedTransport } from '../transport/embedded/embedded-transport.ts'
import { openConfiguredStore } from './open-configured-store.ts'
import { startOutboundGateway, type GatewayParts, type RunningGateway } from './outbound-gateway.ts'

const PRUNE_INTERVAL_MS = 60 * 60 * 1000

/**
 * The outbound gateway without Kafka: the same pipeline fed by the durable queue of the store
 * at `location` (a SQLite file, or a PostgreSQL URL: see openStore), which the HTTP API writes
 * to; statuses stored and served from it. Inbound SMS are sealed to the client owning their
 * recipient and stored there too (InboundInbox), before the SMSC is acknowledged; or, those for a
 * relay number, stored as the relay's forwards (`relayMo`, made over the store once it is open).
 */
export async function startEmbeddedGateway (config: GatewayConfig, vaultPassword: string, location: string, log: Logger, parts: GatewayParts = {}, relayMo?: (store: EmbeddedStore) => MoIngress | undefined): Promise<{ running: RunningGateway, transport: EmbeddedTransport }> {
  const store = await openConfiguredStore(config, location, log)
  const transport = await openEmbeddedTransport(store, {
    source: { onReadError: error => { log.warn({ err: error }, 'reading the queue failed; retrying') } },
    inbound: config.inbound
  })
  let mo: MoIngress | undefined
  try {
    mo = relayMo?.(transport.store)
  } catch (error) {
    await transport.close()
    throw error
  }
  await transport.store.prune()
  const pruning = setInterval(() => { transport.store.prune().catch((error: unknown) => log.warn({ err: error }, 'store pruning failed')) }, PRUNE_INTERVAL_MS)
  pruning.unref()
  const running = await startOutboundGateway(config, vaultPassword, {
    source: transport.source,
    statuses: transport.statuses,
    ledgerLog: transport.ledgerLog,
    correlations: transport.correlations,
    publishInbound: async (sms, keys) => {
      if (mo?.takes(sms) === true) {
        await mo.accept(sms)
        return
      }
      try {
        await transport.inbound.receive(sms, keys)
      } catch (error) {
        // The error names the connection and the owner, never the sender, the recipient or the text.
        log.warn({ err: error, connection: sms.connectionId, parts: sms.parts }, 'inbound SMS not stored')
        throw error
      }
    },
    reported: async (clientId, correlId) => (await transport.statuses.history(clientId, correlId)).length > 0,
    flush: async () => {},
    close: async () => {
      clearInterval(pruning)
      await transport.close()
    }
  }, log, parts)
  log.info({ store: transport.store.location, openWorkers: config.pipeline.openWorkers }, 'embedded gateway started')
  return { running, transport }
}
