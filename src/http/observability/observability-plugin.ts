import type { FastifyInstance } from 'fastify'
import { operatorGuard, type OperatorAuth } from '../operator/operator-guard.ts'
import type { GatewayMetrics } from './gateway-metrics.ts'

/** The answer of a readiness check: ready, and the checks it was decided from by name. */
export interface Readiness {
  readonly ready: boolean
  readonly checks: Record<string, boolean>
}

/** How long /readyz waits for the readiness check before it answers 503. */
export const DEFAULT_READINESS_TIMEOUT_MS = 2_000

export interface ObservabilityPluginOptions {
  metrics: GatewayMetrics
  /**
   * Decides readiness, such as "the broker or the store is reachable and at least one SMSC is
   * bound"; a rejection or a timeout counts as not ready.
   */
  readiness: () => Promise<Readiness>
  /** Milliseconds /readyz waits for `readiness`; 2 000 by default. */
  readinessTimeoutMs?: number
  /** When given (config http.protectMetrics), /metrics answers operators only; /healthz and /readyz stay open. */
  protectMetricsWith?: OperatorAuth
}

const notReady: Readiness = { ready: false, checks: {} }
// Operator endpoints, not the client API: left out of the OpenAPI document.
const hidden = { schema: { hide: true } }

/**
 * GET /metrics (Prometheus text), GET /healthz (200 while the process serves HTTP) and
 * GET /readyz (200 when ready, 503 otherwise, with the checks either way). None needs a key,
 * so that scrapers and probes work as they are; /metrics does with `protectMetricsWith`.
 */
export async function observabilityPlugin (app: FastifyInstance, options: ObservabilityPluginOptions): Promise<void> {
  const { metrics, readiness } = options
  const timeoutMs = options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS

  const metricsRoute = options.protectMetricsWith === undefined ? hidden : { ...hidden, onRequest: operatorGuard(options.protectMetricsWith) }
  app.get('/metrics', metricsRoute, async (_request, reply) => {
    const text = await metrics.exposition()
    return await reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(text)
  })

  app.get('/healthz', hidden, async (_request, reply) => {
    return await reply.header('cache-control', 'no-store').send({ status: 'ok' })
  })

  app.get('/readyz', hidden, async (request, reply) => {
    let timer: NodeJS.Timeout | undefined
    let answer: Readiness
    try {
      answer = await Promise.race([
        readiness(),
        new Promise<Readiness>(resolve => { timer = setTimeout(() => resolve(notReady), timeoutMs) })
      ])
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed')
      answer = notReady
    } finally {
      clearTimeout(timer)
    }
    const body = { ready: answer.ready, checks: answer.checks }
    return await reply.code(answer.ready ? 200 : 503).header('cache-control', 'no-store').send(body)
  })
}
