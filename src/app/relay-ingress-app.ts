import type { FastifyPluginAsync } from 'fastify'
import type { Awaitable } from '../async/awaitable.ts'
import type { GatewayConfig } from '../config/index.ts'
import type { Logger } from '../log/logger.ts'
import { startConfiguredRelayIngress, type ConfiguredRelayIngress } from '../relay/ingress/ingress-from-config.ts'
import type { MoIngress } from '../relay/ingress/mo-forward.ts'
import type { PublishContent } from '../relay/ingress/publish-content.ts'
import type { EmbeddedStore } from '../store/embedded-store.ts'

/**
 * The relay's ingress in `smsgw run` (relay.ingress; docs/relay.md, "Ingress"): started over the
 * store when the embedded gateway has opened it (`mo`, which the gateway's MO path asks), and
 * then giving the HTTP front its routes and the segments gauge. Closes before the store does.
 */
export class EmbeddedRelayIngress {
  readonly #config: GatewayConfig
  readonly #publishContent: PublishContent
  readonly #log: Logger
  #running: ConfiguredRelayIngress | undefined

  constructor (config: GatewayConfig, publishContent: PublishContent, log: Logger) {
    this.#config = config
    this.#publishContent = publishContent
    this.#log = log
  }

  /** Starts the ingress over `store` when relay.ingress is set; its MO path for the relay numbers. */
  readonly mo = (store: EmbeddedStore): MoIngress | undefined => {
    this.#running = startConfiguredRelayIngress(this.#config.relay, store.relayIngress, this.#publishContent, this.#log)
    return this.#running?.mo
  }

  /** The HTTP front's options for the ingress: its routes and the segments gauge (none when it does not run). */
  httpFront (): { relayRoutes?: FastifyPluginAsync[], relaySegments?: () => Awaitable<number> } {
    const running = this.#running
    return running === undefined ? {} : { relayRoutes: [running.routes], relaySegments: running.segmentsPending }
  }

  async close (): Promise<void> {
    await this.#running?.close()
  }
}
