import type { GatewayConfig } from '../config/index.ts'
import type { Logger } from '../log/logger.ts'
import type { EmbeddedStore } from '../store/embedded-store.ts'
import { openStore } from '../store/open-store.ts'

/**
 * The store at `location` (a SQLite file, or a PostgreSQL URL: see openStore) with the `store.*`
 * settings; connection failures it retries are logged as warnings.
 */
export async function openConfiguredStore (config: GatewayConfig, location: string, log: Logger): Promise<EmbeddedStore> {
  return await openStore(location, { poolSize: config.store.poolSize, synchronous: config.store.synchronous, busyTimeoutMs: config.store.busyTimeoutMs, onError: error => { log.warn({ err: error }, 'store connection failed; retrying') } })
}
