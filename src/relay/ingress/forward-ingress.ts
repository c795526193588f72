import type { Forward } from './forward.ts'
import type { ForwardResult, IngressOrigin } from './forward-processing.ts'

/**
 * Where the ingress's forwards are held until their outcome is known (docs/relay.md, "Ingress"):
 * the store's forwards (relay-ingress.ts, `smsgw run`), or the ingress topic of a Kafka
 * deployment (topic-ingress.ts, `smsgw gateway`). Either way a forward is durable before it is
 * answered or acknowledged, and taken up again by another instance when its holder stops.
 */
export interface ForwardIngress {
  /** The HTTP path: holds `forward` durably and resolves with its answer once its outcome is known. Rejects only when it cannot be held. */
  publish: (forward: Forward, origin: IngressOrigin) => Promise<ForwardResult>
  /** The SMPP path: resolves once `forward` is held durably (the deliver_sm_resp may go); it is processed in the background. */
  accept: (forward: Forward, origin: IngressOrigin) => Promise<void>
  /** Starts the processing (once the publisher is there). */
  start: () => void
  /** Stops the processing, waiting a little for what is under way; the rest is taken up again. */
  close: () => Promise<void>
}
