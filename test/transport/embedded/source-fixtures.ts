import { mock } from 'node:test'
import { setImmediate } from 'node:timers/promises'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'

/**
 * Resolves once the store answered the first queuedAfter after this call, and the request
 * source acted on the answer (in the microtasks after it): from then on the source is idle.
 */
export async function firstRead (store: EmbeddedStore): Promise<void> {
  const reads = mock.method(store.requests, 'queuedAfter')
  while (reads.mock.callCount() === 0) await setImmediate()
  await (reads.mock.calls[0] as { result?: unknown }).result
  reads.mock.restore()
  await setImmediate()
}
