import assert from 'node:assert/strict'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ApiKeyOwner } from '../api-keys/api-key-store.ts'
import type { HttpServices } from './http-services.ts'
import { sendProblem } from './problem.ts'

// RFC 6750 §2.1: `Authorization: Bearer <token>`; the scheme is case-insensitive.
export const BEARER = /^Bearer +(\S+) *$/i
const REALM = 'Bearer realm="smsgw"'

/**
 * The onRequest hook of the /v1 routes, before the body is read: 401 without a key or with one
 * the store does not know, 429 (with Retry-After in seconds) when the key's client has no token
 * left; else the owner is put on request.apiClient. The key is never logged.
 */
export function apiGuard (services: Pick<HttpServices, 'apiKeys' | 'rateLimiter'>) {
  return async function guard (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const key = BEARER.exec(request.headers.authorization ?? '')?.[1]
    if (key === undefined) {
      reply.header('www-authenticate', REALM)
      return sendProblem(reply, 401, 'missing API key: send the header Authorization: Bearer <key>')
    }
    const owner = await services.apiKeys.verify(key)
    if (owner === undefined) {
      reply.header('www-authenticate', `${REALM}, error="invalid_token"`)
      return sendProblem(reply, 401, 'unknown or revoked API key')
    }
    const retryAfterSeconds = services.rateLimiter.take(owner.clientId)
    if (retryAfterSeconds > 0) {
      reply.header('retry-after', String(retryAfterSeconds))
      return sendProblem(reply, 429, `rate limit of client ${owner.clientId} exceeded; retry in ${retryAfterSeconds} s`)
    }
    request.apiClient = owner
    return undefined
  }
}

/** The owner of the request's key, on a route behind apiGuard. */
export function apiClientOf (request: FastifyRequest): ApiKeyOwner {
  assert.ok(request.apiClient !== null, 'a /v1 route runs behind apiGuard')
  return request.apiClient
}
