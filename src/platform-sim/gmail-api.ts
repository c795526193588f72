import { decodeEmailMessage } from './email-reader.ts'
import type { Grant } from './oauth-authority.ts'
import { accountIdOf, type PlatformContext, type PlatformError, type SimulatedPlatform } from './simulated-platform.ts'
import { json, jsonObject, type SimRequest, type SimResponse } from './sim-http.ts'

// Google's side of Gmail as the relay's Gmail adapter calls it over fetch (the REST API; no
// client library): the OpenID userinfo endpoint for the account's e-mail
// (www.googleapis.com/oauth2/v3/userinfo) and users.messages.send with the RFC 5322 message
// base64url in `raw` (developers.google.com/gmail/api/reference/rest/v1/users.messages/send).
// Google's OAuth paths (accounts.google.com/o/oauth2/auth, oauth2.googleapis.com/token and
// /revoke) are answered too, on this one host. What was sent is recorded as its decoded To,
// Subject and body.

/** The simulated account's address: the name chosen on the consent page, at a domain of its own. */
export function gmailAddressOf (account: string): string {
  return `${account}@gmail.simulator`
}

export const gmailApi: SimulatedPlatform = {
  name: 'gmail',
  oauthPaths: { authorize: ['/o/oauth2/auth'], token: ['/token'], revoke: ['/revoke'] },
  routes: [
    { method: 'GET', path: '/oauth2/v3/userinfo', handle: (_request, grant) => json(200, userinfo(grant.account)) },
    { method: 'POST', path: '/gmail/v1/users/me/messages/send', handle: sendMessage }
  ],
  errorResponse
}

function userinfo (account: string): Record<string, unknown> {
  // Google's `sub` is a decimal string, stable for the account.
  return { sub: accountIdOf(account), name: account, email: gmailAddressOf(account), email_verified: true }
}

function sendMessage (request: SimRequest, grant: Grant, context: PlatformContext): SimResponse {
  const raw = jsonObject(request)?.raw
  if (typeof raw !== 'string' || raw === '') return badRequest('Recipient address required')
  // Gmail takes base64url, padded or not; standard base64 characters are refused as it refuses them.
  if (!/^[A-Za-z0-9_-]+=*$/.test(raw)) return badRequest('Invalid value at \'message.raw\' (TYPE_BYTES), Base64 decoding failed')
  const message = decodeEmailMessage(Buffer.from(raw, 'base64url'))
  if (message === undefined) return badRequest('Invalid message: no header block')
  if (message.to.trim() === '') return badRequest('Invalid To header')
  const id = context.nextPostId()
  context.posts.record({ id, platform: 'gmail', account: grant.account, to: message.to, subject: message.subject, text: message.body, at: context.now().toISOString() })
  return json(200, { id: BigInt(id).toString(16), threadId: BigInt(id).toString(16), labelIds: ['SENT'] })
}

function badRequest (message: string): SimResponse {
  return errorResponse({ status: 400, message })
}

const statuses: Readonly<Record<number, string>> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 429: 'RESOURCE_EXHAUSTED', 503: 'UNAVAILABLE' }

/** Google's JSON error (cloud.google.com/apis/design/errors): {error: {code, message, status}}. */
function errorResponse (error: PlatformError): SimResponse {
  return json(error.status, { error: { code: error.status, message: error.message, status: statuses[error.status] ?? 'UNKNOWN' } })
}
