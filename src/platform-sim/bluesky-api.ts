import { createHash } from 'node:crypto'
import type { Grant } from './oauth-authority.ts'
import type { PlatformContext, PlatformError, SimulatedPlatform } from './simulated-platform.ts'
import { json, jsonObject, type SimRequest, type SimResponse } from './sim-http.ts'

// A Bluesky PDS as `@atproto/api` (0.21) calls it for the relay (atproto.com/specs/xrpc): the
// session of the token (com.atproto.server.getSession: did and handle), creating a post record
// (com.atproto.repo.createRecord of app.bsky.feed.post), a reply's `reply.root`/`reply.parent`
// pointing at earlier posts for a thread, and reading one back (com.atproto.repo.getRecord). A
// record key the caller chose that the repository already holds is refused as Bluesky's PDS
// refuses it: HTTP 500 InternalServerError (its repository's tree throws "There is already a value
// at key"; no error name of the lexicon's says so), and nothing is recorded. Answers pass the library's lexicon checks (a handle, an
// at:// URI, a CID). The token is the simulator's OAuth2 bearer token, where a real PDS wants
// atproto OAuth's DPoP-bound one (docs/relay.md, "Platforms").

/** Bluesky's post limit in graphemes (relay.md §6), which a PDS enforces. */
export const BLUESKY_POST_LIMIT_GRAPHEMES = 300
const POST_COLLECTION = 'app.bsky.feed.post'
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

export const blueskyApi: SimulatedPlatform = {
  name: 'bluesky',
  routes: [
    { method: 'GET', path: '/xrpc/com.atproto.server.getSession', handle: (_request, grant) => json(200, { did: didOf(grant.account), handle: blueskyHandleOf(grant.account), active: true }) },
    { method: 'POST', path: '/xrpc/com.atproto.repo.createRecord', handle: createRecord },
    { method: 'GET', path: '/xrpc/com.atproto.repo.getRecord', handle: getRecord }
  ],
  errorResponse
}

/** The account's handle: its consent-page name as a DNS label (handles allow no `_`). */
export function blueskyHandleOf (account: string): string {
  const label = account.toLowerCase().replaceAll('_', '-').replace(/^-+|-+$/g, '')
  return `${label === '' ? 'account' : label}.bsky.simulator`
}

/** A did:plc of the account: 24 base32 characters, stable for a name. */
function didOf (account: string): string {
  return `did:plc:${base32(createHash('sha256').update(account).digest()).slice(0, 24)}`
}

function createRecord (request: SimRequest, grant: Grant, context: PlatformContext): SimResponse {
  const body = jsonObject(request)
  const did = didOf(grant.account)
  if (body?.repo !== did && body?.repo !== blueskyHandleOf(grant.account)) return invalidRequest('InvalidRequest', 'Input/repo must be the authenticated account')
  if (body.collection !== POST_COLLECTION) return invalidRequest('InvalidRequest', `Input/collection must be ${POST_COLLECTION} here`)
  if (body.rkey !== undefined && (typeof body.rkey !== 'string' || !isRecordKey(body.rkey))) return invalidRequest('InvalidRequest', 'Input/rkey must be a valid Record Key')
  const record = body.record as Record<string, unknown> | undefined
  const text = record?.text
  if (typeof text !== 'string' || typeof record?.createdAt !== 'string') return invalidRequest('InvalidRecord', 'Record/text and Record/createdAt are required')
  if (Array.from(graphemes.segment(text)).length > BLUESKY_POST_LIMIT_GRAPHEMES) return invalidRequest('InvalidRecord', `Record/text must not be longer than ${BLUESKY_POST_LIMIT_GRAPHEMES} graphemes`)
  let inReplyTo: string | undefined
  if (record.reply !== undefined) {
    const reply = record.reply as { root?: { uri?: unknown }, parent?: { uri?: unknown } }
    const parent = postIdOf(reply.parent?.uri)
    if (parent === undefined || postIdOf(reply.root?.uri) === undefined) return invalidRequest('InvalidRecord', 'Record/reply must have root and parent strong refs')
    inReplyTo = parent
  }
  // The record key is the post's id in the record of posts: the caller's, else a fresh one.
  const id = typeof body.rkey === 'string' ? body.rkey : context.nextPostId()
  const uri = `at://${did}/${POST_COLLECTION}/${id}`
  const nowMs = context.now().getTime()
  if (context.records.get(uri, nowMs) !== undefined) return json(500, { error: 'InternalServerError', message: 'Internal Server Error' })
  const cid = cidOf(JSON.stringify(record))
  context.records.set(uri, { uri, cid, value: record }, nowMs)
  context.posts.record({ id, platform: 'bluesky', account: grant.account, text, ...(inReplyTo === undefined ? {} : { inReplyTo }), at: context.now().toISOString() })
  return json(200, { uri, cid, validationStatus: 'valid' })
}

/** com.atproto.repo.getRecord of a post of the account's repository; RecordNotFound (400) as a PDS answers. */
function getRecord (request: SimRequest, grant: Grant, context: PlatformContext): SimResponse {
  const { searchParams } = request.url
  const repo = searchParams.get('repo')
  const did = didOf(grant.account)
  const uri = `at://${repo === blueskyHandleOf(grant.account) ? did : repo ?? ''}/${searchParams.get('collection') ?? ''}/${searchParams.get('rkey') ?? ''}`
  const kept = context.records.get(uri, context.now().getTime())
  return kept === undefined ? invalidRequest('RecordNotFound', `Could not locate record: ${uri}`) : json(200, kept)
}

/** atproto's Record Key syntax (atproto.com/specs/record-key): 1 to 512 of A-Z a-z 0-9 . - _ : ~, neither "." nor "..". */
function isRecordKey (key: string): boolean {
  return /^[A-Za-z0-9._:~-]{1,512}$/.test(key) && key !== '.' && key !== '..'
}

/** The post id (record key) of an at:// URI of a post, or undefined. */
function postIdOf (uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined
  const match = new RegExp(`^at://did:plc:[a-z2-7]{24}/${POST_COLLECTION.replaceAll('.', '\\.')}/([A-Za-z0-9._:~-]+)$`).exec(uri)?.[1]
  return match !== undefined && isRecordKey(match) ? match : undefined
}

/** A CIDv1 (dag-cbor, sha2-256) in base32, the shape a PDS answers and the lexicon's `cid` format checks. */
function cidOf (content: string): string {
  const digest = createHash('sha256').update(content).digest()
  // version 1, codec dag-cbor 0x71, multihash sha2-256 0x12 of 32 bytes: each a one-byte varint.
  return `b${base32(Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), digest]))}`
}

/** RFC 4648 base32, lower case, no padding (multibase 'b'). */
function base32 (bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  return bits > 0 ? out + (alphabet[(value << (5 - bits)) & 31] as string) : out
}

function invalidRequest (error: string, message: string): SimResponse {
  return json(400, { error, message })
}

const errorNames: Readonly<Record<number, string>> = { 401: 'ExpiredToken', 429: 'RateLimitExceeded', 503: 'NotEnoughResources' }

/** XRPC's error body {error, message}, with the PDS's RateLimit headers on a 429. */
function errorResponse (error: PlatformError): SimResponse {
  const body = { error: error.status === 401 && !error.message.includes('expired') ? 'AuthenticationRequired' : errorNames[error.status] ?? 'InternalServerError', message: error.message }
  if (error.retryAfterSeconds === undefined) return json(error.status, body)
  return json(error.status, body, {
    'ratelimit-limit': '5000',
    'ratelimit-remaining': '0',
    'ratelimit-reset': String(Math.floor(Date.now() / 1000) + error.retryAfterSeconds),
    'ratelimit-policy': '5000;w=3600'
  })
}
