import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { sendProblem } from '../api/problem.ts'
import { OPERATOR_COOKIE, operatorOf, type OperatorAuth } from '../operator/operator-guard.ts'

// The dashboard's login: the page posts the operator key as JSON, once, and gets a session
// cookie (HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it, so no
// other site can read the dashboard's data or act as the operator). Login takes JSON only, with
// the media type said: a form of another site can post text/plain or a form encoding without
// asking, never application/json.

const MAX_KEY_LENGTH = 200
const LoginBody = Type.Object({ key: Type.String({ minLength: 1, maxLength: MAX_KEY_LENGTH }) }, { additionalProperties: false })
const hidden = { hide: true }

function sessionCookie (request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  // Secure only where the page is served over TLS; the default listener is plain HTTP on loopback.
  return `${OPERATOR_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${request.protocol === 'https' ? '; Secure' : ''}`
}

async function jsonOnly (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.headers['sec-fetch-site'] === 'cross-site') return sendProblem(reply, 403, 'a dashboard login from another site is refused')
  if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) return sendProblem(reply, 415, 'log in with Content-Type: application/json and {"key": "<operator key>"}')
  return undefined
}

/**
 * GET /dashboard/session (`{"operator": true|false}`: whether this browser is logged in),
 * POST /dashboard/session (`{"key": "<operator key>"}`: 204 with the session cookie, or 401),
 * DELETE /dashboard/session (204, the cookie cleared).
 */
export function registerDashboardLogin (app: FastifyInstance, auth: OperatorAuth): void {
  app.get('/dashboard/session', { schema: hidden }, async (request, reply) => {
    const operator = await operatorOf(auth, request)
    return await reply.header('cache-control', 'no-store').send({ operator: 'keyId' in operator })
  })

  app.post<{ Body: Static<typeof LoginBody> }>('/dashboard/session', { schema: { ...hidden, body: LoginBody }, onRequest: jsonOnly }, async (request, reply) => {
    const keyId = await auth.keys.verifyOperator(request.body.key)
    if (keyId === undefined) {
      request.log.info('dashboard login refused')
      return sendProblem(reply, 401, 'not an operator key (a client\'s API key is not one); make one with: smsgw api-key operator create')
    }
    request.log.info({ operatorKeyId: keyId }, 'dashboard login')
    return await reply.code(204).header('set-cookie', sessionCookie(request, auth.sessions.issue(keyId), auth.sessions.lifetimeSeconds)).send()
  })

  app.delete('/dashboard/session', { schema: hidden }, async (request, reply) => {
    return await reply.code(204).header('set-cookie', sessionCookie(request, '', 0)).send()
  })
}
