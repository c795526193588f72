import type { FastifyPluginAsync } from 'fastify'
import type { Awaitable } from '../async/awaitable.ts'
import type { GatewayConfig } from '../config/index.ts'
import type { Logger } from '../log/logger.ts'
import { startConfiguredRelayIngress, type ConfiguredRelayIngress, type ForwardHolder } from '../relay/ingress/ingress-from-config.ts'
import type { MoIngress } from '../relay/ingress/mo-forward.ts'
import type { PublishContent } from '../relay/ingress/publish-content.ts'
import { FORWARDER_KEY_HEADER, forwarderAuthorization } from '../relay/gateway-clients/forwarder-key.ts'
import { recordForward } from '../relay/gateway-clients/reliability.ts'
import type { EmbeddedStore } from '../store/embedded-store.ts'

/**
 * The relay's ingress in `smsgw run` (relay.ingress; docs/relay.md, "Ingress"), and in `smsgw
 * gateway` with the ingress topic as the forwards' `holder` (kafka-relay-ingress.ts). Made over the store
 * when the embedded gateway has opened it (`mo`, which the gateway's MO path asks: an MO for a
 * relay number is stored from the first bind on), started once the publisher exists (`start`:
 * the publisher is made over the same store after the gateway, and the forwards stored meanwhile
 * are processed then), then giving the HTTP front its routes and the segments gauge. Closes before
 * the store does.
 */
export class EmbeddedRelayIngress {
  readonly #config: GatewayConfig
  readonly #log: Logger
  readonly #holder: ForwardHolder | undefined
  #running: ConfiguredRelayIngress | undefined
  #publishContent: PublishContent | undefined

  constructor (config: GatewayConfig, log: Logger, holder?: ForwardHolder) {
    this.#config = config
    this.#log = log
    this.#holder = holder
  }

  /** Makes the ingress over `store` when relay.ingress is set; its MO path for the relay numbers. */
  readonly mo = (store: EmbeddedStore): MoIngress | undefined => {
    // Nothing is processed before `start` gave the publisher (RelayIngress.accept stores only).
    const publishContent: PublishContent = async request => await (this.#publishContent ?? assertStarted())(request)
    this.#running = startConfiguredRelayIngress(this.#config.relay, store.relayIngress, publishContent, this.#log, {
      required: this.#config.relay.requireForwarderKey,
      header: FORWARDER_KEY_HEADER,
      authorize: forwarderAuthorization(store.gatewayClients.clients),
      recordPublished: async (msisdn, atMs) => { await recordForward(store.gatewayClients, msisdn, atMs) }
    }, this.#holder)
    return this.#running?.mo
  }

  /** Hands the forwards to `publishContent` (the publisher's, in this process) from now on. */
  start (publishContent: PublishContent | undefined): void {
    if (this.#running === undefined) return
    // The configuration requires the publisher with the ingress (config-rules.ts).
    this.#publishContent = publishContent ?? assertStarted()
    this.#running.start()
  }

  /** The HTTP front's relay options: the relay's `routes` and the ingress's (when it runs), and the segments gauge. */
  httpFront (routes: readonly FastifyPluginAsync[]): { relayRoutes: FastifyPluginAsync[], relaySegments?: () => Awaitable<number> } {
    const running = this.#running
    return running === undefined ? { relayRoutes: [...routes] } : { relayRoutes: [...routes, running.routes], relaySegments: running.segmentsPending }
  }

  async close (): Promise<void> {
    await this.#running?.close()
  }
}

function assertStarted (): never {
  throw new Error('the relay ingress has no publisher: relay.ingress needs relay.publisherGrpcPort')
}
