import type { FastifyPluginAsync } from 'fastify'
import type { GatewayConfig } from '../config/index.ts'
import type { Logger } from '../log/logger.ts'
import { entityInternalOf } from '../relay/grpc/entity-internal/entity-internal-of.ts'
import { accountOfToken } from '../relay/grpc/entity-context.ts'
import { relayVaultFromConfig } from '../relay/grpc/entity-context-from-config.ts'
import type { RelayGrpcServer } from '../relay/grpc/grpc-server.ts'
import type { OutboundSide } from '../relay/grpc/otp-sender-from-config.ts'
import { tlsOf } from '../relay/grpc/relay-vault-server.ts'
import { relaySmsSender, type RelaySms } from '../relay/outbound/relay-sms.ts'
import { platforms } from '../relay/payload/platforms.ts'
import { platformAdaptersFromConfig } from '../relay/platforms/platform-adapters-from-config.ts'
import { platformsRoutes } from '../relay/publisher/platforms-routes.ts'
import { publicationKeyOf } from '../relay/publisher/publication-key.ts'
import { publisherOf, type Publisher } from '../relay/publisher/publisher.ts'
import { startPublisherGrpcServer } from '../relay/publisher/publisher-service.ts'
import type { ReliabilityTests } from '../relay/publisher/reliability-tests.ts'
import type { EmbeddedStore } from '../store/embedded-store.ts'

// The relay's publisher as `smsgw run` runs it (docs/relay.md, "Publisher"), when
// relay.publisherGrpcPort is set: publisher.v1.Publisher over the vault of the same store (its
// EntityInternal in this process), the platforms' adapters of relay.platforms, the publication
// records, delivery notices sent as relay.otpSmsClient, and GET /v1/platforms for the HTTP front.

/**
 * A record still `publishing` this long after its claim is a publication whose outcome is
 * unknown (a crash while the platform was called): one publish takes at most a few platform
 * calls of 15 s and the waits between them.
 */
export const UNKNOWN_PUBLICATION_AFTER_MS = 15 * 60 * 1000
/** Settled records are kept 30 days; a copy of a payload arriving later fails its decryption anyway (the ratchet used its key). */
export const PUBLICATION_RETENTION_MS = 30 * 24 * 60 * 60 * 1000
const PRUNE_INTERVAL_MS = 60 * 60 * 1000

export interface ConfiguredPublisher {
  /** The seven RPCs as functions; the ingress calls `publisher.publishContent` in this process. */
  readonly publisher: Publisher
  /** GET /v1/platforms and /v1/platforms/{name}: the platforms served, for the HTTP front's relayRoutes. */
  readonly routes: FastifyPluginAsync
  /** Publications whose outcome is unknown, for the gauge smsgw_relay_publications_unknown. */
  readonly countUnknown: () => Promise<number>
  /** Opens publisher.v1.Publisher's ports and starts the records' pruning. */
  start: () => Promise<RelayGrpcServer>
}

export interface PublisherWiring {
  /** The outbound side the notices go through (relayOutbound); none, no notices. */
  readonly outbound?: OutboundSide | undefined
  /** The gateway-client registry's reliability tests; none, the reliability platform is not served. */
  readonly reliabilityTests?: ReliabilityTests | undefined
}

/** The publisher of the configuration; undefined without relay.publisherGrpcPort. Throws SMSGW_RELAY_KEY_FILE naming a setting whose file is missing. */
export function configuredPublisher (config: GatewayConfig, store: EmbeddedStore, log: Logger, wiring: PublisherWiring = {}): ConfiguredPublisher | undefined {
  const relay = config.relay
  const port = relay.publisherGrpcPort
  if (port === undefined) return undefined
  const vault = relayVaultFromConfig(relay, store)
  if (!vault.ok) throw vault.error
  const adapters = platformAdaptersFromConfig(relay.platforms)
  if (!adapters.ok) throw adapters.error
  const publisher = publisherOf({
    entityInternal: entityInternalOf({ vault: vault.value }),
    adapters: adapters.value,
    publications: store.relayPublications,
    publicationKey: publicationKeyOf(vault.value.identifierKey),
    checkLongLivedToken: async token => { await accountOfToken({ vault: vault.value }, token) },
    reliabilityTests: wiring.reliabilityTests,
    notices: noticesOf(relay, wiring.outbound, log),
    retry: { maxAttempts: relay.publishMaxAttempts, baseDelayMs: relay.publishRetryBaseDelayMs, maxDelayMs: relay.publishRetryMaxDelayMs },
    // What went wrong where the answer stands anyway: its code only (a vault text can name a number).
    onError: (event, error) => { log.warn({ event, code: codeOf(error) }, 'relay publisher') }
  })
  const served = platforms.filter(platform => platform.protocol === 'event' ? wiring.reliabilityTests !== undefined : adapters.value.get(platform.name)?.protocol === platform.protocol)
  return {
    publisher,
    routes: platformsRoutes(served),
    countUnknown: async () => await store.relayPublications.countPublishing(Date.now() - UNKNOWN_PUBLICATION_AFTER_MS),
    start: async () => {
      const server = await startPublisherGrpcServer(publisher, {
        host: relay.grpcHost,
        port,
        ...tlsOf(relay, relay.publisherGrpcTlsPort),
        onInternalError: error => { log.error({ code: codeOf(error), reason: error instanceof Error ? error.message : 'not an Error' }, 'relay publisher RPC failed') }
      })
      log.info({ host: relay.grpcHost, port: server.port, tlsPort: server.tlsPort, platforms: served.map(platform => platform.name) }, 'relay publisher gRPC server started')
      const prune = (): void => {
        store.relayPublications.prune(Date.now() - PUBLICATION_RETENTION_MS).catch((error: unknown) => { log.warn({ code: codeOf(error) }, 'relay publication pruning failed') })
      }
      prune()
      const pruning = setInterval(prune, PRUNE_INTERVAL_MS)
      pruning.unref()
      return {
        ...server,
        close: async graceMs => {
          clearInterval(pruning)
          await server.close(graceMs)
        }
      }
    }
  }
}

/** Notices go out as relay.otpSmsClient, through the gateway's own pipeline; without that client, none (said once at the start). */
function noticesOf (relay: GatewayConfig['relay'], outbound: OutboundSide | undefined, log: Logger): RelaySms | undefined {
  if (!relay.deliveryNotices) return undefined
  const clientId = relay.otpSmsClient
  const key = clientId === undefined ? undefined : outbound?.keyOf(clientId)
  if (clientId === undefined || outbound === undefined || key === undefined) {
    log.warn('relay.deliveryNotices is on but no notice can be sent: relay.otpSmsClient needs to be set, with its key in the vault')
    return undefined
  }
  return relaySmsSender({ ingress: outbound.ingress, clientId, key, sender: relay.otpSmsSender })
}

function codeOf (error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
}
