import type { GatewayConfig } from './schema.ts'

/**
 * Whether the relay runs beside the gateway: its vault's or its publisher's gRPC port is set
 * (the ingress needs the publisher, config-rules.ts, so these two ports decide).
 */
export function relayRuns (config: Pick<GatewayConfig, 'relay'>): boolean {
  return config.relay.grpcPort !== undefined || config.relay.publisherGrpcPort !== undefined
}
