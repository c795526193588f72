import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Static } from 'typebox'
import type { SmsStatus } from '../../domain/status-event.ts'
import type { StatusFeed } from '../../gateway/status/status-feed.ts'
import type { GatewayMetrics, MetricsView } from '../observability/gateway-metrics.ts'
import { operatorGuard, operatorOf, type OperatorAuth } from '../operator/operator-guard.ts'
import { registerDashboardLogin } from './dashboard-login.ts'
import { dashboardContentSecurityPolicy, dashboardPage } from './dashboard-page.ts'
import type { DashboardSnapshot } from './dashboard-state.ts'
import type { RelayPanel } from './relay-panel.ts'
import { SnapshotBroadcast } from './snapshot-broadcast.ts'

export interface DashboardPluginOptions {
  /** For the history of one request, when a row is clicked. */
  statuses: StatusFeed
  /** For connections, in-flight, lag, latency and totals. */
  metrics: GatewayMetrics
  /** The dashboard state's series and latest requests: `() => dashboardState.snapshot()`. */
  snapshot: () => DashboardSnapshot
  /** Who may see the data: operator keys and their login sessions. */
  operators: OperatorAuth
  /**
   * The relay panel's data, where the relay runs (`relayPanelOf`); without it the page shows no
   * relay panel. When it rejects (the store is away), frames go on with the last one read.
   */
  relay?: () => Promise<RelayPanel>
  /** Milliseconds between frames on /dashboard/events; 1 000 by default. */
  frameIntervalMs?: number
  /** Most open event streams; 32 by default. */
  maxViewers?: number
  /**
   * Milliseconds between checks that an open event stream's operator still may watch (the
   * session has not expired, the key was not revoked); 10 000 by default.
   */
  operatorRecheckMs?: number
}

export const DEFAULT_OPERATOR_RECHECK_MS = 10_000

/** One frame of /dashboard/events: the state's snapshot and the metrics' current values, and the relay's where it runs. */
export interface DashboardFrame extends DashboardSnapshot {
  readonly metrics: MetricsView
  readonly relay?: RelayPanel
}

/** One status in /dashboard/history; the error text is left out, as it can echo the recipient. */
export interface HistoryEntry {
  readonly status: SmsStatus
  readonly time: string
  readonly recallId?: string
}

const MAX_ID_LENGTH = 1024

// TypeBox, so that it validates under the app's TypeBox compiler and Fastify's default one alike.
const HistoryQuery = Type.Object({
  'client-id': Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }),
  'correl-id': Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH })
})
// Operator pages, not the client API: left out of the OpenAPI document.
const hidden = { hide: true }

/**
 * GET /dashboard (the page), GET /dashboard/events (a frame per second as server-sent events)
 * and GET /dashboard/history (one request's statuses). Ids and statuses only, never a recipient,
 * a body or an error text. The page holds no data and is served to anyone; the data routes
 * answer operators only (an operator key, or the session of a login at /dashboard/session).
 */
export async function dashboardPlugin (app: FastifyInstance, options: DashboardPluginOptions): Promise<void> {
  const { statuses, metrics, snapshot } = options
  const relay = options.relay === undefined ? undefined : keepingLast(options.relay, error => { app.log.warn({ err: error }, 'dashboard: the relay panel could not be read; the last one is shown') })
  const operatorsOnly = operatorGuard(options.operators)
  registerDashboardLogin(app, options.operators)
  const broadcast = new SnapshotBroadcast({
    frame: async (): Promise<DashboardFrame> => {
      // The relay's part reads the store: read first, so the outbound part is the newest.
      const relayPanel = await relay?.()
      return { ...snapshot(), metrics: metrics.view(), ...(relayPanel === undefined ? {} : { relay: relayPanel }) }
    },
    onError: error => { app.log.error({ err: error }, 'dashboard frame failed') },
    ...(options.frameIntervalMs === undefined ? {} : { intervalMs: options.frameIntervalMs }),
    ...(options.maxViewers === undefined ? {} : { maxViewers: options.maxViewers })
  })
  // Open event streams would keep close() waiting for ever: end them first.
  app.addHook('preClose', async () => { broadcast.close() })

  app.get('/dashboard', { schema: hidden }, async (_request, reply) => {
    return await reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', dashboardContentSecurityPolicy)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(dashboardPage)
  })

  const recheckMs = options.operatorRecheckMs ?? DEFAULT_OPERATOR_RECHECK_MS
  app.get('/dashboard/events', { schema: hidden, onRequest: operatorsOnly }, async (request, reply) => {
    reply.hijack()
    if (!broadcast.add(reply.raw)) {
      request.log.warn('dashboard event stream refused: too many viewers')
      reply.raw.writeHead(503, { 'content-type': 'application/json', 'retry-after': '10' })
      reply.raw.end(JSON.stringify({ error: 'too many dashboard viewers' }))
      return
    }
    // A stream outlives the check at its start: it ends once its session expires or its key is
    // revoked, and the browser's reconnect then meets the 401 (and the page, its login form).
    const recheck = setInterval(() => {
      operatorOf(options.operators, request).then(operator => { if ('refused' in operator) reply.raw.end() }, () => { reply.raw.end() })
    }, recheckMs)
    reply.raw.on('close', () => { clearInterval(recheck) })
  })

  app.get<{ Querystring: Static<typeof HistoryQuery> }>('/dashboard/history', { schema: { ...hidden, querystring: HistoryQuery }, onRequest: operatorsOnly }, async (request, reply) => {
    const history = await statuses.history(request.query['client-id'], request.query['correl-id'])
    const entries: HistoryEntry[] = history.map(event => ({
      status: event.status,
      time: event.timestamp.toISOString(),
      ...(event.recallId === undefined || event.recallId === '' ? {} : { recallId: event.recallId })
    }))
    return await reply.header('cache-control', 'no-store').send({ statuses: entries })
  })
}

/**
 * `read`, answering the last value it gave when it rejects (undefined before any), so that a store
 * away does not stop the whole frame; `onFailure` hears the first failure of each run of them.
 */
function keepingLast<T> (read: () => Promise<T>, onFailure: (error: unknown) => void): () => Promise<T | undefined> {
  let last: T | undefined
  let failing = false
  return async () => {
    try {
      last = await read()
      failing = false
    } catch (error) {
      if (!failing) onFailure(error)
      failing = true
    }
    return last
  }
}
