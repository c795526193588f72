import type { RequestIngress } from '../../gateway/request-ingress.ts'
import type { StatusFeed } from '../../gateway/status/status-feed.ts'
import type { ApiKeyOwner, ApiKeyStore } from '../api-keys/api-key-store.ts'
import type { ClientRateLimiter } from './rate-limiter.ts'

/**
 * What the route groups share, decorated once on the root instance as `app.smsgw` (so the
 * plugins of other engineers, registered as children, can reach it too).
 */
export interface HttpServices {
  readonly ingress: RequestIngress
  readonly statuses: StatusFeed
  readonly apiKeys: ApiKeyStore
  readonly rateLimiter: ClientRateLimiter
  /** Milliseconds between heartbeat comments on the status stream. */
  readonly heartbeatMs: number
}

declare module 'fastify' {
  interface FastifyInstance {
    smsgw: HttpServices
  }
  interface FastifyRequest {
    /** Whom the request's API key belongs to; set by the guard of the /v1 routes, null elsewhere. */
    apiClient: ApiKeyOwner | null
  }
}
