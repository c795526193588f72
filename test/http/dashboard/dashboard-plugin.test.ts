import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { dashboardPlugin } from '../../../src/http/dashboard/dashboard-plugin.ts'
import type { DashboardFrame } from '../../../src/http/dashboard/dashboard-plugin.ts'
import { DashboardState } from '../../../src/http/dashboard/dashboard-state.ts'
import { GatewayMetrics } from '../../../src/http/observability/gateway-metrics.ts'
import { StatusFeedFake } from './status-feed-fake.ts'

const at = new Date('2026-11-21T10:00:00Z')

async function dashboardApp (options: { maxViewers?: number } = {}): Promise<{ app: FastifyInstance, state: DashboardState, metrics: GatewayMetrics, feed: StatusFeedFake, url: string }> {
  const metrics = new GatewayMetrics({ clients: ['acme'], processMetrics: false })
  const state = new DashboardState({ requestsTotal: () => metrics.requestsTotal })
  const feed = new StatusFeedFake()
  const app = Fastify()
  await app.register(dashboardPlugin, { statuses: feed, metrics, snapshot: () => state.snapshot(), frameIntervalMs: 50, ...options })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, state, metrics, feed, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` }
}

/** Opens /dashboard/events; resolves with the response once its headers came. */
async function openEvents (url: string): Promise<IncomingMessage> {
  return await new Promise((resolve, reject) => {
    httpRequest(`${url}/dashboard/events`, resolve).on('error', reject).end()
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
  const response = await app.inject({ url: '/dashboard/history', query: { 'client-id': 'acme', 'correl-id': 'C1' } })
  assert.deepStrictEqual([response.statusCode, response.json()], [200, {
    statuses: [{ status: 'SENT', time: at.toISOString(), recallId: '4711' }, { status: 'FAILED', time: at.toISOString() }]
  }])
  const missing = await app.inject({ url: '/dashboard/history', query: { 'client-id': 'acme' } })
  assert.deepStrictEqual(missing.statusCode, 400)
})

test('dashboardPlugin validates the history query under the TypeBox validator compiler the HTTP app uses', async t => {
  const metrics = new GatewayMetrics({ clients: [], processMetrics: false })
  const feed = new StatusFeedFake()
  feed.add({ clientId: 'acme', correlId: 'C1', timestamp: at, status: 'SENT' })
  const app = Fastify()
  app.setValidatorCompiler(TypeBoxValidatorCompiler)
  // As buildHttpApp registers further route groups: a closure in a context of its own.
  await app.register(async scope => { await dashboardPlugin(scope, { statuses: feed, metrics, snapshot: () => new DashboardState().snapshot() }) })
  t.after(async () => { await app.close() })
  const found = await app.inject({ url: '/dashboard/history', query: { 'client-id': 'acme', 'correl-id': 'C1' } })
  const invalid = await app.inject({ url: '/dashboard/history', query: { 'client-id': 'acme', 'correl-id': '' } })
  assert.deepStrictEqual([found.statusCode, found.json(), invalid.statusCode], [200, { statuses: [{ status: 'SENT', time: at.toISOString() }] }, 400])
})
