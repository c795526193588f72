import type { GatewayConfig } from '../../config/index.ts'
import type { Logger } from '../../log/logger.ts'
import { LIMIT_RESET_AFTER_MS } from '../vault/rate-limits.ts'
import { entityContextFromConfig, type RelayStoreParts } from './entity-context-from-config.ts'
import type { OutboundSide } from './otp-sender-from-config.ts'
import { readSettingFile } from './setting-file.ts'
import type { EntityContext } from './entity-context.ts'
import { startEntityInternalGrpcServer, startRelayGrpcServer, type RelayGrpcServer, type RelayGrpcServerOptions } from './grpc-server.ts'

/** How often rate-limit rows older than their reset time, and one-time codes expired a day ago, are deleted. */
const LIMIT_PRUNE_INTERVAL_MS = 60 * 60 * 1000

/** The vault's servers as started: vault.v1.Entity, and vault.v1.EntityInternal when relay.internalGrpcPort is set. */
export interface RelayVaultServers extends RelayGrpcServer {
  readonly internal: RelayGrpcServer | undefined
  /** The context both serve: a publisher in the same process calls entityInternalOf(context). */
  readonly context: EntityContext
}

/**
 * The relay vault's gRPC servers as `smsgw run` starts them: when relay.grpcPort is set, composed from
 * the configuration (a missing key file refuses the start with SMSGW_RELAY_KEY_FILE); otherwise
 * none. vault.v1.EntityInternal runs beside it, over the same context, when relay.internalGrpcPort
 * is set (a failure to start it stops the Entity server again). The OTP SMS go out through `outbound` (the composition root's gateway). Rate-limit rows
 * whose count would start over, and one-time codes a day past their expiry, are pruned hourly.
 * An RPC's unforeseen error, and an OTP that could not be delivered, are logged by code and
 * message only, never a request field.
 */
export async function startConfiguredRelayVault (relay: GatewayConfig['relay'], store: RelayStoreParts, log: Logger, outbound?: OutboundSide): Promise<RelayVaultServers | undefined> {
  if (relay.grpcPort === undefined) return undefined
  const context = entityContextFromConfig(relay, store, {
    outbound,
    onDeliveryError: (channel, error) => { log.warn({ channel, reason: error instanceof Error ? error.message : 'not an Error' }, 'relay OTP not delivered') }
  })
  if (!context.ok) throw context.error
  const onInternalError = (error: unknown): void => { log.error({ code: (error as { code?: unknown }).code, reason: error instanceof Error ? error.message : 'not an Error' }, 'relay vault RPC failed') }
  const server = await startRelayGrpcServer(context.value, { host: relay.grpcHost, port: relay.grpcPort, ...tlsOf(relay, relay.grpcTlsPort), onInternalError })
  log.info({ host: relay.grpcHost, port: server.port, tlsPort: server.tlsPort }, 'relay vault gRPC server started')
  let internal: RelayGrpcServer | undefined
  if (relay.internalGrpcPort !== undefined) {
    try {
      internal = await startEntityInternalGrpcServer(context.value, { host: relay.internalGrpcHost, port: relay.internalGrpcPort, ...tlsOf(relay, relay.internalGrpcTlsPort), onInternalError })
    } catch (error) {
      await server.close(0)
      throw error
    }
    log.info({ host: relay.internalGrpcHost, port: internal.port, tlsPort: internal.tlsPort }, 'relay vault EntityInternal gRPC server started')
  }
  const prune = (): void => {
    store.relayLimits.prune(Date.now() - LIMIT_RESET_AFTER_MS).catch((error: unknown) => { log.warn({ err: error }, 'relay rate-limit pruning failed') })
    store.relayOtps.prune(Date.now() - LIMIT_RESET_AFTER_MS).catch((error: unknown) => { log.warn({ err: error }, 'relay OTP pruning failed') })
  }
  prune()
  const pruning = setInterval(prune, LIMIT_PRUNE_INTERVAL_MS)
  pruning.unref()
  return {
    ...server,
    internal,
    context: context.value,
    close: async graceMs => {
      clearInterval(pruning)
      await Promise.all([server.close(graceMs), internal?.close(graceMs)])
    }
  }
}

/** A TLS port with the configured files (the configuration requires both with either TLS port, config-rules.ts). */
export function tlsOf (relay: GatewayConfig['relay'], port: number | undefined): Pick<RelayGrpcServerOptions, 'tls'> {
  if (port === undefined || relay.grpcTlsCertFile === undefined || relay.grpcTlsKeyFile === undefined) return {}
  return { tls: { port, certChain: readSetting(relay.grpcTlsCertFile, 'relay.grpcTlsCertFile'), privateKey: readSetting(relay.grpcTlsKeyFile, 'relay.grpcTlsKeyFile') } }
}

function readSetting (path: string, setting: string): Buffer {
  const bytes = readSettingFile(path, setting)
  if (!bytes.ok) throw bytes.error
  return bytes.value
}
