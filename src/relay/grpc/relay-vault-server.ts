import type { GatewayConfig } from '../../config/index.ts'
import type { Logger } from '../../log/logger.ts'
import type { RelayAccountStore } from '../../store/relay-accounts.ts'
import type { RelayLimitStore } from '../../store/relay-limits.ts'
import { entityContextFromConfig } from './entity-context-from-config.ts'
import { startRelayGrpcServer, type RelayGrpcServer } from './grpc-server.ts'

/**
 * The relay vault's gRPC server as `smsgw run` starts it: when relay.grpcPort is set, composed from
 * the configuration (a missing key file refuses the start with SMSGW_RELAY_KEY_FILE); otherwise
 * none. An RPC's unforeseen error is logged by its code and message only, never a request field.
 */
export async function startConfiguredRelayVault (relay: GatewayConfig['relay'], store: { readonly relay: RelayAccountStore, readonly relayLimits: RelayLimitStore }, log: Logger): Promise<RelayGrpcServer | undefined> {
  if (relay.grpcPort === undefined) return undefined
  const context = entityContextFromConfig(relay, store)
  if (!context.ok) throw context.error
  const server = await startRelayGrpcServer(context.value, {
    host: relay.grpcHost,
    port: relay.grpcPort,
    onInternalError: error => { log.error({ code: (error as { code?: unknown }).code, reason: error instanceof Error ? error.message : 'not an Error' }, 'relay vault RPC failed') }
  })
  log.info({ host: relay.grpcHost, port: server.port }, 'relay vault gRPC server started')
  return server
}
