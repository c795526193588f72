import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../log/logger.ts'
import type { StatusEvent } from '../../domain/status-event.ts'
import type { DUPLICATE_STATUS, StatusSink } from './status-sink.ts'

const FIRST_RETRY_MS = 100
const MAX_RETRY_MS = 5_000

/**
 * Reports a status, retrying with back-off for as long as the sink fails (the broker is down):
 * a status is never dropped. Resolves as the sink does (DUPLICATE_STATUS: held already).
 * Rejects only when `signal` aborts (shutdown); the request then stays uncommitted and is
 * handled again after a restart.
 */
export async function reportDurably (sink: StatusSink, event: StatusEvent, log: Logger, signal?: AbortSignal): Promise<void | typeof DUPLICATE_STATUS> {
  for (let delayMs = FIRST_RETRY_MS; ; delayMs = Math.min(delayMs * 2, MAX_RETRY_MS)) {
    try {
      return await sink.report(event)
    } catch (error) {
      log.warn({ err: error, clientId: event.clientId, correlId: event.correlId, retryInMs: delayMs }, 'status not delivered, retrying')
      await sleep(delayMs, undefined, { signal })
    }
  }
}
