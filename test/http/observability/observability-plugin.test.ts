import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import Fastify from 'fastify'
import { ApiKeyFile } from '../../../src/http/api-keys/index.ts'
import { OperatorSessions } from '../../../src/http/operator/index.ts'
import { temporaryFolder } from '../api/http-fakes.ts'
import { GatewayMetrics } from '../../../src/http/observability/gateway-metrics.ts'
import { observabilityPlugin } from '../../../src/http/observability/observability-plugin.ts'
import type { ObservabilityPluginOptions, Readiness } from '../../../src/http/observability/observability-plugin.ts'

async function appWith (readiness: () => Promise<Readiness>, extra: Partial<ObservabilityPluginOptions> = {}): Promise<{ app: ReturnType<typeof Fastify>, metrics: GatewayMetrics }> {
  const metrics = new GatewayMetrics({ clients: ['acme'], processMetrics: false })
  const app = Fastify()
  await app.register(observabilityPlugin, { metrics, readiness, ...extra })
  return { app, metrics }
}

test('observabilityPlugin serves the Prometheus text on GET /metrics', async t => {
  const { app, metrics } = await appWith(async () => ({ ready: true, checks: {} }))
  t.after(async () => { await app.close() })
  metrics.requestIn()
  const response = await app.inject('/metrics')
  assert.deepStrictEqual([response.statusCode, response.headers['content-type']], [200, 'text/plain; version=0.0.4; charset=utf-8'])
  assert.match(response.body, /^# TYPE smsgw_requests_total counter\nsmsgw_requests_total 1$/m)
})

test('observabilityPlugin answers 200 on GET /healthz', async t => {
  const { app } = await appWith(async () => ({ ready: false, checks: {} }))
  t.after(async () => { await app.close() })
  const response = await app.inject('/healthz')
  assert.deepStrictEqual([response.statusCode, response.json()], [200, { status: 'ok' }])
})

test('observabilityPlugin answers 200 with the checks on GET /readyz when ready', async t => {
  const { app } = await appWith(async () => ({ ready: true, checks: { broker: true, 'smsc:smsc-a': true, 'smsc:smsc-b': false } }))
  t.after(async () => { await app.close() })
  const response = await app.inject('/readyz')
  assert.deepStrictEqual([response.statusCode, response.json()], [200, { ready: true, checks: { broker: true, 'smsc:smsc-a': true, 'smsc:smsc-b': false } }])
})

test('observabilityPlugin answers 503 with the checks on GET /readyz when not ready', async t => {
  const { app } = await appWith(async () => ({ ready: false, checks: { broker: true, 'smsc:smsc-a': false } }))
  t.after(async () => { await app.close() })
  const response = await app.inject('/readyz')
  assert.deepStrictEqual([response.statusCode, response.json()], [503, { ready: false, checks: { broker: true, 'smsc:smsc-a': false } }])
})

test('observabilityPlugin answers 503 on GET /readyz when the check rejects or takes too long', async t => {
  const failing = await appWith(async () => { throw new Error('store gone') })
  const hanging = await appWith(async () => await new Promise<Readiness>(() => {}), { readinessTimeoutMs: 20 })
  t.after(async () => { await failing.app.close(); await hanging.app.close() })
  for (const { app } of [failing, hanging]) {
    const response = await app.inject('/readyz')
    assert.deepStrictEqual([response.statusCode, response.json()], [503, { ready: false, checks: {} }])
  }
})

test('observabilityPlugin with protectMetricsWith answers /metrics to operators only, and keeps /healthz and /readyz open (issue 9, item 3)', async t => {
  const keys = await ApiKeyFile.open(join(await temporaryFolder(), 'keys.json'))
  const operatorKey = (await keys.createOperatorKey()).key
  const clientKey = (await keys.create('acme')).key
  const sessions = new OperatorSessions()
  const open = await appWith(async () => ({ ready: true, checks: {} }))
  const { app } = await appWith(async () => ({ ready: true, checks: {} }), { protectMetricsWith: { keys, sessions } })
  t.after(async () => { await app.close(); await open.app.close() })
  const status = async (url: string, authorization?: string, cookie?: string): Promise<number> =>
    (await app.inject({ url, headers: { ...(authorization === undefined ? {} : { authorization }), ...(cookie === undefined ? {} : { cookie }) } })).statusCode
  assert.deepStrictEqual({
    anonymous: await status('/metrics'),
    client: await status('/metrics', `Bearer ${clientKey}`),
    operator: await status('/metrics', `Bearer ${operatorKey}`),
    session: await status('/metrics', undefined, `smsgw_operator=${sessions.issue(operatorKey.slice(9, 21))}`),
    healthz: await status('/healthz'),
    readyz: await status('/readyz'),
    unprotected: (await open.app.inject('/metrics')).statusCode
  }, { anonymous: 401, client: 401, operator: 200, session: 200, healthz: 200, readyz: 200, unprotected: 200 })
})
