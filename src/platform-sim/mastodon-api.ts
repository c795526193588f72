import type { Grant } from './oauth-authority.ts'
import { accountIdOf, type PlatformContext, type PlatformError, type SimulatedPlatform } from './simulated-platform.ts'
import { escapeHtml, formFields, json, type SimRequest, type SimResponse } from './sim-http.ts'

// Mastodon's REST API as `masto` (v8) calls it (docs.joinmastodon.org/methods/): the account of
// the token and posting a status, in reply to another for a thread. The OAuth paths are the
// simulator's own, /oauth/authorize, /oauth/token and /oauth/revoke, as on an instance. A status
// posted with an Idempotency-Key is answered again, unposted, for the same key of the same account
// within an hour, as Mastodon's PostStatusService does (it checks the key first, and keeps it,
// with the status, once the status is made).

/** A Mastodon instance's default status length limit (relay.md §6). */
export const MASTODON_STATUS_LIMIT = 500
/** How long Mastodon keeps a status's Idempotency-Key (PostStatusService: 3600 s). */
export const MASTODON_IDEMPOTENCY_TTL_MS = 3_600_000

const instance = 'mastodon.simulator'

export const mastodonApi: SimulatedPlatform = {
  name: 'mastodon',
  routes: [
    { method: 'GET', path: '/api/v1/accounts/verify_credentials', handle: (_request, grant) => json(200, credentialAccount(grant.account)) },
    { method: 'POST', path: '/api/v1/statuses', handle: postStatus }
  ],
  errorResponse
}

async function postStatus (request: SimRequest, grant: Grant, context: PlatformContext): Promise<SimResponse> {
  const idempotencyKey = request.headers['idempotency-key']
  const kept = typeof idempotencyKey === 'string' && idempotencyKey !== '' ? `${grant.account}\0${idempotencyKey}` : undefined
  const earlier = kept === undefined ? undefined : context.idempotentAnswers.get(kept, context.now().getTime())
  if (earlier !== undefined) return earlier
  const fields = await formFields(request)
  const text = fields.status ?? ''
  if (text.trim() === '') return errorResponse({ status: 422, message: 'Validation failed: Text can\'t be blank' })
  if ([...text].length > MASTODON_STATUS_LIMIT) return errorResponse({ status: 422, message: `Validation failed: Text character limit of ${MASTODON_STATUS_LIMIT} exceeded` })
  const inReplyTo = fields.in_reply_to_id === undefined || fields.in_reply_to_id === '' ? undefined : fields.in_reply_to_id
  const id = context.nextPostId()
  const at = context.now().toISOString()
  context.posts.record({ id, platform: 'mastodon', account: grant.account, text, ...(inReplyTo === undefined ? {} : { inReplyTo }), at })
  const answer = json(200, {
    id,
    created_at: at,
    in_reply_to_id: inReplyTo ?? null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    visibility: fields.visibility ?? 'public',
    language: fields.language ?? null,
    uri: `https://${instance}/users/${grant.account}/statuses/${id}`,
    url: `https://${instance}/@${grant.account}/${id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    content: `<p>${escapeHtml(text)}</p>`,
    reblog: null,
    account: account(grant.account),
    media_attachments: [],
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null
  })
  if (kept !== undefined) context.idempotentAnswers.set(kept, answer, context.now().getTime(), MASTODON_IDEMPOTENCY_TTL_MS)
  return answer
}

function account (name: string): Record<string, unknown> {
  return {
    id: accountIdOf(name),
    username: name,
    acct: name,
    display_name: name,
    locked: false,
    bot: false,
    group: false,
    discoverable: true,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '',
    url: `https://${instance}/@${name}`,
    avatar: `https://${instance}/avatars/original/missing.png`,
    avatar_static: `https://${instance}/avatars/original/missing.png`,
    header: `https://${instance}/headers/original/missing.png`,
    header_static: `https://${instance}/headers/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: 0,
    last_status_at: null,
    emojis: [],
    fields: [],
    roles: []
  }
}

function credentialAccount (name: string): Record<string, unknown> {
  return { ...account(name), source: { privacy: 'public', sensitive: false, language: null, note: '', fields: [], follow_requests_count: 0 } }
}

/** Mastodon's error body `{"error": ...}`, with its X-RateLimit headers on a 429. */
function errorResponse (error: PlatformError): SimResponse {
  if (error.retryAfterSeconds === undefined) return json(error.status, { error: error.message })
  return json(error.status, { error: error.message }, {
    'x-ratelimit-limit': '300',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': new Date(Date.now() + error.retryAfterSeconds * 1000).toISOString()
  })
}
