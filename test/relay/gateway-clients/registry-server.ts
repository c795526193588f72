import Fastify from 'fastify'
import { gatewayClientRoutes } from '../../../src/relay/gateway-clients/gateway-client-routes.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import type { NewGatewayClient } from '../../../src/store/gateway-clients.ts'
import type { StoreKind } from '../../store/store-kind.ts'

/** A settable clock: the routes' and the port's `now`. */
export interface TestClock {
  nowMs: number
  readonly now: () => number
}

export function testClock (startMs: number): TestClock {
  const clock = { nowMs: startMs, now: () => clock.nowMs }
  return clock
}

export interface RegistryServer {
  /** http://127.0.0.1:<port> */
  readonly url: string
  readonly store: EmbeddedStore
  close: () => Promise<void>
}

/**
 * The registry's routes alone in a Fastify app listening on a free loopback port, over the store
 * of `kind` at `location` (made at the top of the test file: a PostgreSQL schema made in a hook
 * would be dropped when the hook ends), on `clock`. The whole HTTP front serves them in
 * test/app/embedded-app-relay.test.ts.
 */
export async function startRegistryServer (kind: StoreKind, location: string, clock: TestClock): Promise<RegistryServer> {
  const store = await kind.open(location)
  const app = Fastify()
  await app.register(gatewayClientRoutes({ registry: store.gatewayClients, now: clock.now }))
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url,
    store,
    close: async () => {
      await app.close()
      await store.close()
    }
  }
}

export function gatewayClient (msisdn: string, fields: Partial<NewGatewayClient> = {}): NewGatewayClient {
  return { msisdn, country: 'Cameroon', operator: 'MTN Cameroon', operatorCode: '62401', protocols: ['https', 'smtp', 'ftp'], registeredAtMs: Date.UTC(2024, 4, 27, 12), ...fields }
}
