import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { ledgerKey, ledgerStates } from '../../../src/domain/ledger-record.ts'
import { MemoryLedgerLog } from '../../../src/gateway/ledger/memory-ledger-log.ts'
import { UnknownOutcomes } from '../../../src/gateway/ledger/unknown-outcomes.ts'
import { ApiKeyFile } from '../../../src/http/api-keys/index.ts'
import { unknownOutcomeRoutes } from '../../../src/http/api/unknown-outcome-routes.ts'
import { buildHttpApp } from '../../../src/http/app.ts'
import { OperatorSessions } from '../../../src/http/operator/index.ts'
import { watchUnknownOutcomes } from '../../../src/http/observability/unknown-outcomes-metric.ts'
import { IngressFake, StatusFeedFake, capturingLogger, temporaryFolder } from './http-fakes.ts'

// GET /v1/operator/unknown-outcomes and DELETE …/{clientId}/{correlId} (issue 9, item 9): the
// requests that may have reached the SMSC and got no status, listed for operators, and the
// metric that counts them. Operators see every client's; a client's API key sees nothing.

const folder = await temporaryFolder()
const keys = await ApiKeyFile.open(join(folder, 'keys.json'))
const acmeKey = (await keys.create('acme')).key
const operatorKey = (await keys.createOperatorKey()).key
const CLAIMED_AT_MS = Date.parse('2026-11-21T10:00:00Z')

/** A ledger with an unknown outcome for acme and one for other, and a request of acme's still in flight. */
async function ledger (): Promise<MemoryLedgerLog> {
  const log = new MemoryLedgerLog()
  for (const [clientId, correlId, atMs, offset] of [['acme', 'A1', CLAIMED_AT_MS, 1n], ['other', 'O1', CLAIMED_AT_MS, 2n], ['acme', 'LIVE', Date.now(), 3n]] as const) {
    const key = ledgerKey(clientId, correlId)
    await log.append(key, { token: `${correlId}/1`, state: ledgerStates.claimed, source: { stream: 'embedded/0', offset }, atMs, marksWrites: true })
    await log.append(key, { token: `${correlId}/1`, state: ledgerStates.writing, source: { stream: 'embedded/0', offset }, atMs: atMs + 5 })
  }
  return log
}

async function appOver (t: test.TestContext, outcomes: UnknownOutcomes): Promise<Awaited<ReturnType<typeof buildHttpApp>>> {
  const app = await buildHttpApp({
    ingress: new IngressFake(),
    statuses: new StatusFeedFake(),
    apiKeys: keys,
    rateLimit: { requestsPerSecond: 100, burst: 100 },
    log: capturingLogger().log,
    plugins: [async app => { await unknownOutcomeRoutes(app, { unknownOutcomes: outcomes, operators: { keys, sessions: new OperatorSessions() } }) }]
  })
  t.after(async () => { await app.close() })
  return app
}

test('GET /v1/operator/unknown-outcomes lists every client\'s unknown outcomes to operators, not requests still in flight; a client\'s key gets 401', async t => {
  const app = await appOver(t, new UnknownOutcomes(await ledger(), { takeoverMs: 60_000 }))
  const response = await app.inject({ method: 'GET', url: '/v1/operator/unknown-outcomes', headers: { authorization: `Bearer ${operatorKey}` } })
  assert.equal(response.statusCode, 200)
  assert.deepStrictEqual(response.json(), {
    'unknown-outcomes': [
      { 'client-id': 'acme', 'correl-id': 'A1', source: 'embedded/0/1', 'claimed-at': '2026-11-21T10:00:00.000Z', 'writing-at': '2026-11-21T10:00:00.005Z' },
      { 'client-id': 'other', 'correl-id': 'O1', source: 'embedded/0/2', 'claimed-at': '2026-11-21T10:00:00.000Z', 'writing-at': '2026-11-21T10:00:00.005Z' }
    ]
  })
  const refused = [
    await app.inject({ method: 'GET', url: '/v1/operator/unknown-outcomes' }),
    await app.inject({ method: 'GET', url: '/v1/operator/unknown-outcomes', headers: { authorization: `Bearer ${acmeKey}` } })
  ]
  assert.deepStrictEqual(refused.map(answer => [answer.statusCode, (answer.json() as { message: string }).message]),
    [[401, 'operator key required: log in at /dashboard, or send the header Authorization: Bearer <operator key>'], [401, 'a client\'s API key is not an operator key']])
  const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> }
  assert.deepStrictEqual(Object.keys(openapi.paths).filter(path => path.startsWith('/v1/operator/')), ['/v1/operator/unknown-outcomes', '/v1/operator/unknown-outcomes/{clientId}/{correlId}'])
})

test('DELETE /v1/operator/unknown-outcomes/{clientId}/{correlId} resolves one unknown outcome for operators: 204, then 404; 401 for a client\'s key', async t => {
  const log = await ledger()
  const app = await appOver(t, new UnknownOutcomes(log, { takeoverMs: 60_000 }))
  const remove = async (path: string, key: string): Promise<number> => (await app.inject({ method: 'DELETE', url: `/v1/operator/unknown-outcomes/${path}`, headers: { authorization: `Bearer ${key}` } })).statusCode
  assert.deepStrictEqual([
    await remove('acme/A1', acmeKey),
    await remove('acme/LIVE', operatorKey),
    await remove('acme/A1', operatorKey),
    await remove('acme/A1', operatorKey),
    await remove('other/O1', operatorKey)
  ], [401, 404, 204, 404, 204])
  assert.deepStrictEqual(log.entries().map(({ key }) => key), [ledgerKey('acme', 'LIVE')])
})

test('watchUnknownOutcomes exposes smsgw_ledger_unknown_outcomes, read from the ledger on every scrape', async () => {
  const log = await ledger()
  const outcomes = new UnknownOutcomes(log, { takeoverMs: 60_000 })
  const registry = new Registry()
  const stop = watchUnknownOutcomes(registry, async () => await outcomes.count())
  assert.match(await registry.metrics(), /^smsgw_ledger_unknown_outcomes 2$/m)
  await outcomes.resolve('acme', 'A1')
  assert.match(await registry.metrics(), /^smsgw_ledger_unknown_outcomes 1$/m)
  stop()
  assert.doesNotMatch(await registry.metrics(), /smsgw_ledger_unknown_outcomes/)
})
