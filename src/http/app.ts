import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import type { InboundFeed } from '../gateway/inbound/inbound-feed.ts'
import type { RequestIngress } from '../gateway/request-ingress.ts'
import { MAX_REQUEST_BYTES } from '../gateway/stages/parse-request.ts'
import { MAX_CORREL_ID_BYTES } from '../domain/request-ids.ts'
import type { StatusFeed } from '../gateway/status/status-feed.ts'
import type { Logger } from '../log/logger.ts'
import { redactSecrets } from '../log/secret-redaction.ts'
import type { ApiKeyStore } from './api-keys/api-key-store.ts'
import type { HttpServices } from './api/http-services.ts'
import { messageRoutes } from './api/message-routes.ts'
import { registerOpenApi } from './api/openapi.ts'
import { inboundRoutes } from './api/inbound-routes.ts'
import { handleError } from './api/problem.ts'
import { ClientRateLimiter, type RateLimit } from './api/rate-limiter.ts'
import { DEFAULT_HEARTBEAT_MS, statusStreamRoutes } from './api/status-stream-routes.ts'
import { startWebhookDelivery, type WebhookDelivery, type WebhookDeliveryOptions } from './webhooks/webhook-delivery.ts'

export interface HttpAppOptions {
  /** Where accepted requests go (the embedded queue, or send-sms). */
  readonly ingress: RequestIngress
  /** Statuses for GET /v1/messages/{correlId}, the status stream and webhooks. */
  readonly statuses: StatusFeed
  /** Inbound SMS stored for their owners (embedded mode): GET /v1/inbound, its stream, and webhooks. */
  readonly inbound?: InboundFeed
  readonly apiKeys: ApiKeyStore
  /** Per client, over every /v1 request (a batch counts each of its messages). */
  readonly rateLimit: RateLimit
  /** Request logs go here. Fastify logs method, URL (secret parameters redacted) and status code; never a body or a header. */
  readonly log: Logger
  /**
   * Further route groups (dashboard, metrics, health), registered after the API, each in its own
   * encapsulated context; they reach the shared services as `app.smsgw`. A plugin that takes
   * options is passed as a closure: `async app => { await dashboardPlugin(app, options) }`.
   */
  readonly plugins?: readonly FastifyPluginAsync[]
  /** When given, statuses are posted to the clients' webhooks from the time the app is ready until it closes. */
  readonly webhooks?: Omit<WebhookDeliveryOptions, 'statuses' | 'log'>
  /** Between heartbeat comments on the status stream; DEFAULT_HEARTBEAT_MS (15 s) by default. */
  readonly heartbeatMs?: number
}

/**
 * The HTTP API as a Fastify instance, not listening: the caller listens (or tests inject).
 * Routes: POST /v1/messages, POST /v1/messages/batch, GET /v1/messages/{correlId},
 * GET /v1/statuses/stream, with `inbound` GET /v1/inbound and GET /v1/inbound/stream, GET /openapi.json, GET /docs (docs/http-api.md). Rejects with
 * SMSGW_CONFIG for a rate limit that admits nothing, or with the error of a plugin that fails to load.
 */
export async function buildHttpApp (options: HttpAppOptions): Promise<FastifyInstance> {
  const services: HttpServices = {
    ingress: options.ingress,
    statuses: options.statuses,
    apiKeys: options.apiKeys,
    rateLimiter: new ClientRateLimiter(options.rateLimit),
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
  }
  const app: FastifyInstance = Fastify({
    // pino's Logger is a FastifyBaseLogger with more type parameters than Fastify's generics carry.
    loggerInstance: options.log.child({}, { serializers: { req: requestLogValue } }) as FastifyBaseLogger,
    // The default for routes without their own; POST /v1/messages/batch sets a larger one.
    bodyLimit: MAX_REQUEST_BYTES,
    // A path parameter is measured percent-encoded: a correl-id of the longest kind (3 characters
    // a byte) must reach GET /v1/messages/{correlId}, whose check answers a longer one with a 400.
    routerOptions: { maxParamLength: 3 * MAX_CORREL_ID_BYTES },
    // A path that cannot be decoded exactly (`%FF`, a lone surrogate) gets the API's problem shape too.
    frameworkErrors: handleError
  })
  // The route groups are typed for TypeBox (FastifyPluginAsyncTypebox); this makes it true at run time.
  app.setValidatorCompiler(TypeBoxValidatorCompiler)
  app.setErrorHandler(handleError)
  // Shared services: decorated once on the root, so every route group (ours and the plugins') sees them.
  app.decorate('smsgw', services)
  app.decorateRequest('apiClient', null)
  await registerOpenApi(app)
  await app.register(messageRoutes, { prefix: '/v1' })
  await app.register(statusStreamRoutes, { prefix: '/v1' })
  if (options.inbound !== undefined) await app.register(inboundRoutes(options.inbound), { prefix: '/v1' })
  for (const plugin of options.plugins ?? []) await app.register(plugin)
  const webhookOptions = options.webhooks
  if (webhookOptions !== undefined) {
    let delivery: WebhookDelivery | undefined
    app.addHook('onReady', async () => {
      delivery = startWebhookDelivery({ ...webhookOptions, statuses: options.statuses, ...(options.inbound === undefined ? {} : { inbound: options.inbound }), log: options.log.child({ component: 'webhooks' }) })
    })
    app.addHook('onClose', async () => { await delivery?.close() })
  }
  return app
}

/**
 * What the request lines of the log say about a request: Fastify's own fields, with the values
 * of secret-looking query parameters (`?api_key=`, `?token=`) cut out of the URL. A key sent
 * there is refused, but the request is logged before it is refused. Headers are never logged.
 */
function requestLogValue (request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactSecrets(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}
