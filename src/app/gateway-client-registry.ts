import type { FastifyPluginAsync } from 'fastify'
import type { GatewayConfig } from '../config/index.ts'
import { gatewayClientRoutes } from '../relay/gateway-clients/gateway-client-routes.ts'
import type { EmbeddedStore } from '../store/embedded-store.ts'

/**
 * The gateway-client registry's HTTP routes (GET /v3/clients, the reliability tests) where the
 * relay runs: the switch is the relay vault's, relay.grpcPort, so one setting turns the relay on
 * (docs/relay.md, "Gateway clients").
 */
export function gatewayClientRegistryRoutes (config: GatewayConfig, store: EmbeddedStore): FastifyPluginAsync[] {
  return config.relay.grpcPort === undefined ? [] : [gatewayClientRoutes({ registry: store.gatewayClients })]
}
