import type { FastifyReply, FastifyRequest } from 'fastify'
import type { OperatorKeyStore } from '../api-keys/operator-key-store.ts'
import { apiKeyIdOf } from '../api-keys/api-key.ts'
import { BEARER } from '../api/api-guard.ts'
import { sendProblem } from '../api/problem.ts'
import type { OperatorSessions } from './operator-session.ts'

/** The cookie of a dashboard login (operator-session.ts holds what is in it). */
export const OPERATOR_COOKIE = 'smsgw_operator'
const REALM = 'Bearer realm="smsgw-operator"'

/** What an operator proves themselves with: an operator key, or a session made by logging in with one. */
export interface OperatorAuth {
  readonly keys: OperatorKeyStore
  readonly sessions: OperatorSessions
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function cookieOf (header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=')
    if (at !== -1 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim()
  }
  return undefined
}

/**
 * The operator key id the request proves, or a reason it proves none: `Authorization: Bearer
 * <operator key>` (scripts, Prometheus), else the session cookie of a dashboard login, whose
 * key must still be stored. A client's API key is refused by name: it is never an operator key.
 */
export async function operatorOf (auth: OperatorAuth, request: FastifyRequest): Promise<{ keyId: string } | { refused: string }> {
  const bearer = BEARER.exec(request.headers.authorization ?? '')?.[1]
  if (bearer !== undefined) {
    const keyId = await auth.keys.verifyOperator(bearer)
    if (keyId !== undefined) return { keyId }
    return { refused: apiKeyIdOf(bearer) === null ? 'unknown or revoked operator key' : 'a client\'s API key is not an operator key' }
  }
  const session = cookieOf(request.headers.cookie, OPERATOR_COOKIE)
  if (session !== undefined) {
    const keyId = auth.sessions.verify(session)
    if (keyId !== undefined && await auth.keys.hasOperatorKey(keyId)) return { keyId }
    return { refused: 'the dashboard session expired or its operator key was revoked; log in again' }
  }
  return { refused: 'operator key required: log in at /dashboard, or send the header Authorization: Bearer <operator key>' }
}

/**
 * The onRequest hook of the operator routes (the dashboard's data, /metrics when protected):
 * 401 unless the request proves an operator key (operatorOf). Runs before any body is read.
 */
export function operatorGuard (auth: OperatorAuth) {
  return async function guard (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const operator = await operatorOf(auth, request)
    if ('keyId' in operator) return undefined
    reply.header('www-authenticate', REALM).header('cache-control', 'no-store')
    return sendProblem(reply, 401, operator.refused)
  }
}
