import assert from 'node:assert/strict'
import { test } from 'node:test'
import { clientsTexts } from '../../../src/relay/gateway-clients/gateway-client-routes.ts'
import { UNEXPECTED_ERROR_TEXT } from '../../../src/relay/http/v3-conventions.ts'
import { sqliteStoreKind } from '../../store/store-kind.ts'
import { call, describeRegistry, MAY_27_NOON } from './registry-cases.ts'
import { startRegistryServer, testClock } from './registry-server.ts'

// The gateway-client registry over real HTTP, and its ports, on SQLite (the cases: registry-cases.ts; on
// PostgreSQL: gateway-client-registry-postgres.test.ts), and a route whose store fails.

const sqlite = await sqliteStoreKind('gateway-client-routes')
await describeRegistry(sqlite)

test('a /v3 registry route whose store fails answers 500 with upstream\'s text, and the server keeps serving', async () => {
  const server = await startRegistryServer(sqlite, await sqlite.newLocation(), testClock(MAY_27_NOON))
  // The store closed under the server: every read and write fails.
  await server.store.close()
  const failed = await call(`${server.url}/v3/clients/countries`)
  assert.deepStrictEqual([failed.status, failed.body, failed.headers.get('x-content-type-options')], [500, { error: UNEXPECTED_ERROR_TEXT }, 'nosniff'])
  const again = await call(`${server.url}/v3/clients?page=0`)
  assert.deepStrictEqual([again.status, again.body], [400, { error: clientsTexts.badPage }])
  await server.close().catch(() => {})
})
