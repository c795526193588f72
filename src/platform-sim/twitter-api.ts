import type { Grant } from './oauth-authority.ts'
import { accountIdOf, type PlatformContext, type PlatformError, type SimulatedPlatform } from './simulated-platform.ts'
import { json, jsonObject, type SimRequest, type SimResponse } from './sim-http.ts'

// X's API v2 as `twitter-api-v2` calls it (developer.x.com, "Manage Posts" and "Users lookup"):
// the user of the token and posting, in reply to another post for a thread. The library has the
// OAuth 2.0 paths of api.x.com built in (/2/oauth2/token, /2/oauth2/revoke) and x.com's
// authorize page (/i/oauth2/authorize); the simulator answers them too.

/** X's post length limit (relay.md §6), counted here in code points. */
export const X_POST_LIMIT = 280

export const twitterApi: SimulatedPlatform = {
  name: 'twitter',
  oauthPaths: { authorize: ['/i/oauth2/authorize'], token: ['/2/oauth2/token'], revoke: ['/2/oauth2/revoke'] },
  routes: [
    { method: 'GET', path: '/2/users/me', handle: (_request, grant) => json(200, { data: user(grant.account) }) },
    { method: 'POST', path: '/2/tweets', handle: postTweet }
  ],
  errorResponse
}

function postTweet (request: SimRequest, grant: Grant, context: PlatformContext): SimResponse {
  const body = jsonObject(request)
  const text = body?.text
  if (typeof text !== 'string' || text.trim() === '') return invalidRequest('text', 'The `text` field is required and must not be blank.')
  // A text of at most X_POST_LIMIT UTF-16 units has at most as many code points: counted only beyond.
  if (text.length > X_POST_LIMIT && [...text].length > X_POST_LIMIT) return invalidRequest('text', `Your Tweet text is too long (at most ${X_POST_LIMIT} characters).`)
  const reply = body?.reply
  let inReplyTo: string | undefined
  if (reply !== undefined) {
    const target = typeof reply === 'object' && reply !== null ? (reply as Record<string, unknown>).in_reply_to_tweet_id : undefined
    if (typeof target !== 'string' || !/^[0-9]{1,19}$/.test(target)) return invalidRequest('reply.in_reply_to_tweet_id', 'in_reply_to_tweet_id must be a post id.')
    inReplyTo = target
  }
  const id = context.nextPostId()
  context.posts.record({ id, platform: 'twitter', account: grant.account, text, ...(inReplyTo === undefined ? {} : { inReplyTo }), at: context.now().toISOString() })
  return json(201, { data: { id, text, edit_history_tweet_ids: [id] } })
}

function user (name: string): Record<string, string> {
  return { id: accountIdOf(name), name, username: name }
}

function invalidRequest (parameter: string, message: string): SimResponse {
  return json(400, {
    errors: [{ parameters: { [parameter]: [] }, message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request'
  })
}

const titles: Readonly<Record<number, string>> = { 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests', 503: 'Service Unavailable' }

/** X's problem body, with its x-rate-limit headers (the reset in Unix seconds) on a 429. */
function errorResponse (error: PlatformError): SimResponse {
  const title = titles[error.status] ?? 'Error'
  const body = { title, detail: error.message, type: 'about:blank', status: error.status }
  if (error.retryAfterSeconds === undefined) return json(error.status, body)
  return json(error.status, body, {
    'x-rate-limit-limit': '100',
    'x-rate-limit-remaining': '0',
    'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + error.retryAfterSeconds)
  })
}
