import { requestValuePrefix, type RequestIngress } from '../../gateway/request-ingress.ts'
import type { RequestQueueStore } from '../../store/embedded-store.ts'

/**
 * Accepts requests into the embedded durable queue: "accepted" means stored. A batch is stored
 * in one transaction, all of it or none, and the promise resolves only after the commit; the
 * source reading the same queue is woken at once.
 */
export class EmbeddedIngress implements RequestIngress {
  readonly #queue: RequestQueueStore

  constructor (queue: RequestQueueStore) {
    this.#queue = queue
  }

  async accept (values: readonly string[]): Promise<void> {
    await this.enqueue(values)
  }

  /** Whether the API's request of `clientId` and `correlId` waits in the queue. */
  async queued (clientId: string, correlId: string): Promise<boolean> {
    return await this.#queue.hasQueuedValue(requestValuePrefix(clientId, correlId))
  }

  /** As accept, resolving with the requests' seqs in the queue (their offsets on `embedded/0`). */
  async enqueue (values: readonly string[]): Promise<bigint[]> {
    const seqs = await this.#queue.enqueue(values)
    return seqs.map(seq => BigInt(seq))
  }
}
