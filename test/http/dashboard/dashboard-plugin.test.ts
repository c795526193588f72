import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { dashboardPlugin } from '../../../src/http/dashboard/dashboard-plugin.ts'
import type { DashboardFrame } from '../../../src/http/dashboard/dashboard-plugin.ts'
import { DashboardState } from '../../../src/http/dashboard/dashboard-state.ts'
import type { RelayPanel } from '../../../src/http/dashboard/relay-panel.ts'
import { ApiKeyFile } from '../../../src/http/api-keys/index.ts'
import { GatewayMetrics } from '../../../src/http/observability/gateway-metrics.ts'
import { OperatorSessions } from '../../../src/http/operator/index.ts'
import { temporaryFolder } from '../api/http-fakes.ts'
import { StatusFeedFake } from './status-feed-fake.ts'

const at = new Date('2026-11-21T10:00:00Z')

// The operators: a real key file (read afresh on every check, so a revocation shows at once) with
// one operator key and one client key, and the login sessions on a clock the tests can move.
const keyFile = await ApiKeyFile.open(join(await temporaryFolder(), 'keys.json'), { recheckIntervalMs: 0 })
const operatorKey = (await keyFile.createOperatorKey()).key
const clientKey = (await keyFile.create('acme')).key
const clock = { ms: Date.now() }
const sessions = new OperatorSessions({ now: () => clock.ms })
const asOperator = { authorization: `Bearer ${operatorKey}` }

async function dashboardApp (options: { maxViewers?: number, operatorRecheckMs?: number, relay?: () => Promise<RelayPanel> } = {}): Promise<{ app: FastifyInstance, state: DashboardState, metrics: GatewayMetrics, feed: StatusFeedFake, url: string, routes: string[] }> {
  const metrics = new GatewayMetrics({ clients: ['acme'], processMetrics: false })
  const state = new DashboardState({ requestsTotal: () => metrics.requestsTotal })
  const feed = new StatusFeedFake()
  const app = Fastify()
  const routes: string[] = []
  app.addHook('onRoute', route => { routes.push(`${String(route.method)} ${route.url}`) })
  await app.register(dashboardPlugin, { statuses: feed, metrics, snapshot: () => state.snapshot(), operators: { keys: keyFile, sessions }, frameIntervalMs: 50, ...options })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, state, metrics, feed, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, routes }
}

/** Opens /dashboard/events (as an operator, unless other `headers` are given); resolves with the response once its headers came. */
async function openEvents (url: string, headers: OutgoingHttpHeaders = asOperator): Promise<IncomingMessage> {
  return await new Promise((resolve, reject) => {
    httpRequest(`${url}/dashboard/events`, { headers }, resolve).on('error', reject).end()
  })
}

/** The next `count` frames of an event stream. */
async function frames (response: IncomingMessage, count: number): Promise<DashboardFrame[]> {
  const found: DashboardFrame[] = []
  let text = ''
  response.setEncoding('utf8')
  for await (const chunk of response) {
    text += chunk as string
    for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n')) {
      const message = text.slice(0, end)
      text = text.slice(end + 2)
      if (message.startsWith('data: ')) found.push(JSON.parse(message.slice('data: '.length)) as DashboardFrame)
      if (found.length === count) return found
    }
  }
  return found
}

test('dashboardPlugin serves the page with a Content-Security-Policy that allows only its own inline code', async t => {
  const { app } = await dashboardApp()
  t.after(async () => { await app.close() })
  const response = await app.inject('/dashboard')
  assert.deepStrictEqual([response.statusCode, response.headers['content-type'], response.headers['cache-control']], [200, 'text/html; charset=utf-8', 'no-store'])
  const policy = String(response.headers['content-security-policy'])
  assert.match(policy, /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'; connect-src 'self'/)
  assert.match(response.body, /<script>[\s\S]*new EventSource[\s\S]*<\/script>/)
  assert.doesNotMatch(response.body, /(src|href)="https?:/)
})

test('dashboardPlugin streams a frame at once and then one per interval, with the state and the metrics', async t => {
  const { app, state, metrics, url } = await dashboardApp()
  t.after(async () => { await app.close() })
  metrics.connectionState('smsc-a', 'bound')
  await state.report({ clientId: 'acme', correlId: 'C1', timestamp: at, status: 'SENT', recallId: '4711' })
  const response = await openEvents(url)
  assert.deepStrictEqual([response.statusCode, response.headers['content-type']], [200, 'text/event-stream; charset=utf-8'])
  const [first, second] = await frames(response, 2)
  response.destroy()
  assert.deepStrictEqual(first?.requests, [{ clientId: 'acme', correlId: 'C1', status: 'SENT', time: at.toISOString(), recallId: '4711', statuses: ['SENT'] }])
  assert.deepStrictEqual(first?.metrics.connections.map(c => [c.name, c.state]), [['smsc-a', 'bound']])
  assert.ok(second !== undefined && second.atMs >= first.atMs)
})

/** A relay panel whose accounts count the calls. */
function relayPanel (accounts: number): RelayPanel {
  return {
    ingress: [],
    publishes: [],
    decryptions: 0,
    decryptFailures: [],
    publishLatency: { count: 0, p50Seconds: null, p90Seconds: null, p99Seconds: null },
    accounts,
    unknownPublications: null,
    segmentsPending: null,
    gatewayClients: { total: 0, listed: [] }
  }
}

test('dashboardPlugin streams the relay panel in every frame where the relay runs, and none without', async t => {
  let calls = 0
  const withRelay = await dashboardApp({ relay: async () => relayPanel(++calls) })
  const without = await dashboardApp()
  t.after(async () => { await Promise.all([withRelay.app.close(), without.app.close()]) })
  const response = await openEvents(withRelay.url)
  const [first, second] = await frames(response, 2)
  response.destroy()
  assert.deepStrictEqual([first?.relay?.accounts, second?.relay?.accounts], [1, 2])
  const plain = await openEvents(without.url)
  const [frame] = await frames(plain, 1)
  plain.destroy()
  assert.deepStrictEqual(frame !== undefined && 'relay' in frame, false)
})

test('dashboardPlugin makes no frame while the last is still being read, and shows the last relay panel when one could not be read', async t => {
  let calls = 0
  let pending = 0
  let mostPending = 0
  const { app, url } = await dashboardApp({
    relay: async () => {
      calls++
      if (calls === 2) throw new Error('the store is away')
      pending++
      mostPending = Math.max(mostPending, pending)
      // Slower than three intervals of 50 ms: the ticks meanwhile are skipped, not stacked.
      await new Promise(resolve => setTimeout(resolve, 160))
      pending--
      return relayPanel(calls)
    }
  })
  t.after(async () => { await app.close() })
  const response = await openEvents(url)
  const found = await frames(response, 3)
  response.destroy()
  assert.deepStrictEqual([mostPending, found.map(frame => frame.relay?.accounts)], [1, [1, 1, 3]])
})

test('dashboardPlugin refuses an event stream past maxViewers with 503', async t => {
  const { app, url } = await dashboardApp({ maxViewers: 1 })
  t.after(async () => { await app.close() })
  const first = await openEvents(url)
  const second = await openEvents(url)
  second.resume()
  assert.deepStrictEqual([first.statusCode, second.statusCode], [200, 503])
  first.destroy()
})

test('dashboardPlugin ends open event streams when the app closes', async () => {
  const { app, url } = await dashboardApp()
  const response = await openEvents(url)
  const ended = new Promise(resolve => response.on('close', resolve))
  response.resume()
  await app.close()
  await ended
})

test('dashboardPlugin gives a request\'s history without its error text', async t => {
  const { app, feed } = await dashboardApp()
  t.after(async () => { await app.close() })
  feed.add({ clientId: 'acme', correlId: 'C1', timestamp: at, status: 'SENT', recallId: '4711' })
  feed.add({ clientId: 'acme', correlId: 'C1', timestamp: at, status: 'FAILED', errorText: 'undeliverable to +255700111222' })
  const response = await app.inject({ url: '/dashboard/history', query: { 'client-id': 'acme', 'correl-id': 'C1' }, headers: asOperator })
  assert.deepStrictEqual([response.statusCode, response.json()], [200, {
    statuses: [{ status: 'SENT', time: at.toISOString(), recallId: '4711' }, { status: 'FAILED', time: at.toISOString() }]
  }])
  const missing = await app.inject({ url: '/dashboard/history', query: { 'client-id': 'acme' }, headers: asOperator })
  assert.deepStrictEqual(missing.statusCode, 400)
})

test('dashboardPlugin validates the history query under the TypeBox validator compiler the HTTP app uses', async t => {
  const metrics = new GatewayMetrics({ clients: [], processMetrics: false })
  const feed = new StatusFeedFake()
  feed.add({ clientId: 'acme', correlId: 'C1', timestamp: at, status: 'SENT' })
  const app = Fastify()
  app.setValidatorCompiler(TypeBoxValidatorCompiler)
  // As buildHttpApp registers further route groups: a closure in a context of its own.
  await app.register(async scope => { await dashboardPlugin(scope, { statuses: feed, metrics, snapshot: () => new DashboardState().snapshot(), operators: { keys: keyFile, sessions } }) })
  t.after(async () => { await app.close() })
  const found = await app.inject({ url: '/dashboard/history', query: { 'client-id': 'acme', 'correl-id': 'C1' }, headers: asOperator })
  const invalid = await app.inject({ url: '/dashboard/history', query: { 'client-id': 'acme', 'correl-id': '' }, headers: asOperator })
  assert.deepStrictEqual([found.statusCode, found.json(), invalid.statusCode], [200, { statuses: [{ status: 'SENT', time: at.toISOString() }] }, 400])
})

// Issue 9, item 3: /dashboard/history returned any client's statuses and /dashboard/events
// streamed every client's correl-ids to anyone.

/** The status code, WWW-Authenticate and message of a GET over a real connection. */
async function get (url: string, headers: Record<string, string> = {}): Promise<{ status: number, challenge: string | null, message: string | undefined }> {
  const response = await fetch(url, { headers })
  // An event stream that was let through never ends: its headers tell enough.
  if (response.headers.get('content-type')?.startsWith('text/event-stream') === true) {
    await response.body?.cancel()
    return { status: response.status, challenge: response.headers.get('www-authenticate'), message: undefined }
  }
  const body = await response.text()
  const message = response.headers.get('content-type')?.startsWith('application/json') === true ? (JSON.parse(body) as { message?: string }).message : undefined
  return { status: response.status, challenge: response.headers.get('www-authenticate'), message }
}

async function logIn (url: string, key: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Response> {
  return await fetch(`${url}/dashboard/session`, { method: 'POST', headers, body: headers['content-type']?.startsWith('application/json') === true ? JSON.stringify({ key }) : `key=${key}` })
}

test('dashboardPlugin answers 401 on every data route without an operator\'s credentials, and a client\'s API key is not one', async t => {
  const { app, url, feed, routes } = await dashboardApp()
  t.after(async () => { await app.close() })
  feed.add({ clientId: 'acme', correlId: 'C-SECRET-ORDER', timestamp: at, status: 'SENT' })
  // Every route the plugin has: the page and the login need no key; everything else is data.
  assert.deepStrictEqual(routes.filter(route => !route.startsWith('HEAD ')).sort(), [
    'DELETE /dashboard/session', 'GET /dashboard', 'GET /dashboard/events', 'GET /dashboard/history', 'GET /dashboard/session', 'POST /dashboard/session'
  ])
  const dataRoutes = [`${url}/dashboard/events`, `${url}/dashboard/history?client-id=acme&correl-id=C-SECRET-ORDER`]
  const revoked = await keyFile.createOperatorKey()
  const revokedSession = sessions.issue(revoked.id)
  assert.ok(await keyFile.revoke(revoked.id))
  const expiredSession = sessions.issue(operatorKey.slice(9, 21))
  clock.ms += 13 * 60 * 60 * 1000
  t.after(() => { clock.ms = Date.now() })
  const otherInstance = new OperatorSessions().issue(operatorKey.slice(9, 21))
  const cases: Array<[string, Record<string, string>, string]> = [
    ['no credentials', {}, 'operator key required: log in at /dashboard, or send the header Authorization: Bearer <operator key>'],
    ['a client\'s API key', { authorization: `Bearer ${clientKey}` }, 'a client\'s API key is not an operator key'],
    ['a made-up operator key', { authorization: `Bearer smsgw_op_0123456789ab_${'x'.repeat(43)}` }, 'unknown or revoked operator key'],
    ['a revoked operator key', { authorization: `Bearer ${revoked.key}` }, 'unknown or revoked operator key'],
    ['a client\'s key as the session', { cookie: `smsgw_operator=${clientKey}` }, 'the dashboard session expired or its operator key was revoked; log in again'],
    ['a forged session', { cookie: `smsgw_operator=${operatorKey.slice(9, 21)}.99999999999999.${'A'.repeat(43)}` }, 'the dashboard session expired or its operator key was revoked; log in again'],
    ['an expired session', { cookie: `smsgw_operator=${expiredSession}` }, 'the dashboard session expired or its operator key was revoked; log in again'],
    ['the session of a revoked key', { cookie: `smsgw_operator=${revokedSession}` }, 'the dashboard session expired or its operator key was revoked; log in again'],
    ['another instance\'s session', { cookie: `smsgw_operator=${otherInstance}` }, 'the dashboard session expired or its operator key was revoked; log in again']
  ]
  for (const route of dataRoutes) {
    for (const [what, headers, message] of cases) {
      assert.deepStrictEqual(await get(route, headers), { status: 401, challenge: 'Bearer realm="smsgw-operator"', message }, `${route} with ${what}`)
    }
    assert.deepStrictEqual((await get(route, asOperator)).status, 200, route)
  }
  // The page is served to anyone, and holds no data.
  const page = await fetch(`${url}/dashboard`)
  const html = await page.text()
  assert.deepStrictEqual([page.status, html.includes('C-SECRET-ORDER'), html.includes('id="login-form"')], [200, false, true])
})

test('dashboardPlugin logs an operator in with a JSON post, into an HttpOnly, SameSite=Strict session cookie that opens the data routes, and out again', async t => {
  const { app, url, feed } = await dashboardApp()
  t.after(async () => { await app.close() })
  feed.add({ clientId: 'acme', correlId: 'C1', timestamp: at, status: 'SENT' })
  const refused = await Promise.all([
    logIn(url, clientKey), logIn(url, 'not a key'),
    logIn(url, operatorKey, { 'content-type': 'application/x-www-form-urlencoded' }),
    logIn(url, operatorKey, { 'content-type': 'text/plain' }),
    logIn(url, operatorKey, { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })
  ])
  assert.deepStrictEqual(refused.map(response => [response.status, response.headers.get('set-cookie')]), [[401, null], [401, null], [415, null], [415, null], [403, null]])
  assert.match(await refused[0]?.text() ?? '', /not an operator key \(a client's API key is not one\)/)

  const login = await logIn(url, operatorKey)
  const setCookie = login.headers.get('set-cookie') ?? ''
  assert.deepStrictEqual(login.status, 204)
  assert.match(setCookie, /^smsgw_operator=[0-9a-f]{12}\.\d+\.[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/)
  assert.ok(!setCookie.includes(operatorKey.slice(22)), 'the cookie does not hold the key')
  const cookie = { cookie: setCookie.split(';')[0] as string }
  const session = await (await fetch(`${url}/dashboard/session`, { headers: cookie })).json()
  const anonymous = await (await fetch(`${url}/dashboard/session`)).json()
  assert.deepStrictEqual([session, anonymous], [{ operator: true }, { operator: false }])
  const history = await fetch(`${url}/dashboard/history?client-id=acme&correl-id=C1`, { headers: cookie })
  assert.deepStrictEqual([history.status, await history.json()], [200, { statuses: [{ status: 'SENT', time: at.toISOString() }] }])
  const events = await openEvents(url, cookie)
  events.destroy()
  assert.deepStrictEqual(events.statusCode, 200)

  const logout = await fetch(`${url}/dashboard/session`, { method: 'DELETE', headers: cookie })
  assert.deepStrictEqual([logout.status, logout.headers.get('set-cookie')], [204, 'smsgw_operator=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict'])
})

test('dashboardPlugin ends an open event stream once its operator key is revoked', async t => {
  const { app, url } = await dashboardApp({ operatorRecheckMs: 20 })
  t.after(async () => { await app.close() })
  const viewer = await keyFile.createOperatorKey()
  const login = await logIn(url, viewer.key)
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string
  const events = await openEvents(url, { cookie })
  assert.deepStrictEqual(events.statusCode, 200)
  const ended = new Promise(resolve => events.on('end', resolve))
  events.resume()
  assert.ok(await keyFile.revoke(viewer.id))
  await ended
  const again = await openEvents(url, { cookie })
  again.resume()
  assert.deepStrictEqual(again.statusCode, 401)
})
