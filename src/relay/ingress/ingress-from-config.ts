import type { GatewayConfig } from '../../config/index.ts'
import type { Logger } from '../../log/logger.ts'
import type { RelayIngressStore } from '../../store/relay-ingress.ts'
import type { SealingKeyRing } from '../vault/sealing-key-ring.ts'
import { identifierKeyOfConfig } from '../grpc/entity-context-from-config.ts'
import { publishIngressOutcome } from '../relay-diagnostics.ts'
import { loadSealingKeyRing } from '../vault/index.ts'
import { readForward } from './forward.ts'
import type { ForwardIngress } from './forward-ingress.ts'
import type { ProcessingParts } from './forward-processing.ts'
import { forwardBodyOfMo, type MoIngress } from './mo-forward.ts'
import type { PublishContent } from './publish-content.ts'
import { publishRoutes, type ForwarderKeys } from './publish-routes.ts'
import { RelayIngress } from './relay-ingress.ts'
import { storedSegmentCache } from './stored-segment-cache.ts'

/** Attempts after which a forward that keeps failing inside (not the publisher's refusal) is given up. */
export const MAX_FORWARD_ATTEMPTS = 10
/** How often expired segments are deleted (an add deletes them too). */
const SEGMENT_PRUNE_INTERVAL_MS = 60 * 60 * 1000

/**
 * Where the forwards are held (forward-ingress.ts): made from the parts that process them. The
 * store's forwards by default; a Kafka deployment's ingress topic (src/app/kafka-relay-ingress.ts).
 */
export type ForwardHolder = (parts: ProcessingParts & { readonly keys: SealingKeyRing, readonly maxAttempts: number, readonly log: Logger }) => ForwardIngress

export interface ConfiguredRelayIngress {
  readonly ingress: ForwardIngress
  /** POST /v3/publish and POST /sms/platform/<x>, for the HTTP front's relayRoutes. */
  readonly routes: ReturnType<typeof publishRoutes>
  /** The MO of relay.ingressNumbers on our own SMPP binds. */
  readonly mo: MoIngress
  /** Segments waiting in the store (every instance's), for the gauge. */
  readonly segmentsPending: () => ReturnType<RelayIngressStore['countSegments']>
  /** Starts the recovery worker and the pruning of expired segments: once the publisher is there. */
  start: () => void
  /** Stops the recovery worker and the pruning; waits a little for what is being processed. */
  close: () => Promise<void>
}

/**
 * The relay's ingress from the configuration (docs/relay.md, "Ingress") over the store, handing
 * each forward to `publishContent` once started (MO stored before then wait for the start).
 * `forwarders` are the gateway-client registry's forwarding keys, where it runs; `holder` where the
 * forwards are held (the store's forwards without one). Undefined when
 * relay.ingress is off. Throws SMSGW_RELAY_KEY_FILE naming the setting when the sealing key ring or the identifier
 * key is missing or malformed.
 */
export function startConfiguredRelayIngress (relay: GatewayConfig['relay'], store: RelayIngressStore, publishContent: PublishContent, log: Logger, forwarders?: ForwarderKeys, holder?: ForwardHolder): ConfiguredRelayIngress | undefined {
  if (!relay.ingress) return undefined
  const keys = loadSealingKeyRing({ keyFile: relay.sealingKeyFile, key: relay.sealingKey })
  if (!keys.ok) throw keys.error
  const identifierKey = identifierKeyOfConfig(relay)
  if (!identifierKey.ok) throw identifierKey.error
  const segments = storedSegmentCache({ store, keys: keys.value, identifierKey: identifierKey.value, limits: { ttlMs: relay.segmentTtlMs, maxPerSender: relay.maxSegmentsPerSender, maxTotal: relay.maxSegments } })
  const parts = { keys: keys.value, segments, publishContent, maxAttempts: MAX_FORWARD_ATTEMPTS, log }
  const ingress = holder?.(parts) ?? new RelayIngress({ ...parts, store, holdMs: relay.ingressRetryMs })
  const prune = (): void => { store.pruneSegments(Date.now() - relay.segmentTtlMs).catch((error: unknown) => { log.warn({ err: error }, 'relay segment pruning failed') }) }
  let pruning: NodeJS.Timeout | undefined
  const numbers = new Set(relay.ingressNumbers)
  return {
    ingress,
    routes: publishRoutes({ ingress, forwarders }),
    mo: {
      takes: sms => numbers.has(sms.recipient),
      accept: async sms => {
        // The field rules apply to an MO as to a phone's forward: one they refuse (an empty text)
        // is counted and acknowledged, since the SMSC delivering it again would change nothing.
        const reading = readForward(forwardBodyOfMo(sms))
        if (!reading.ok) {
          publishIngressOutcome('smpp', 'refused')
          return
        }
        await ingress.accept(reading.forward, 'smpp')
      }
    },
    segmentsPending: () => store.countSegments(),
    start: () => {
      ingress.start()
      prune()
      pruning ??= setInterval(prune, SEGMENT_PRUNE_INTERVAL_MS)
      pruning.unref()
      log.info({ numbers: numbers.size }, 'relay ingress started')
    },
    close: async () => {
      clearInterval(pruning)
      await ingress.close()
    }
  }
}
