import { status } from '@grpc/grpc-js'
import type { RelayPublishOutcome } from '../../domain/relay-diagnostics-channels.ts'
import { MAX_PUBLICATION_RESPONSE_CHARS, publicationStates, type PublicationSettlement, type RelayPublication } from '../../store/relay-publications.ts'
import { INTERNAL_DETAILS, invalidArgument, missingField, RpcFailure } from '../grpc/rpc-failure.ts'
import { decodeContent, type Content, type EmailContent, type MessageContent, type TextContent } from '../payload/content.ts'
import { decodePlatformPayload, type PlatformPayload } from '../payload/platform-payload.ts'
import { platformByShortcode, type Platform } from '../payload/platforms.ts'
import { PlatformFailure, type PlatformToken, type PostedParts, type Published } from '../platforms/platform-adapter.ts'
import { publishPublication } from '../relay-diagnostics.ts'
import { refreshAlert } from './delivery-notice.ts'
import type { PublishIdempotency } from '../platforms/publish-idempotency.ts'
import { platformIdempotencyKey, publicationDigest } from './publication-key.ts'
import { publishWithRetries } from './publish-retries.ts'
import type { PublisherParts } from './publisher-parts.ts'
import { noPlatformForShortcode, prefixed, publishedMessage, publisherTexts, unsupportedPlatform, unsupportedServiceType } from './publisher-texts.ts'

// PublishContent (relay-wire.md §3), the pipeline of relay.md §6 for one payload, as upstream's
// grpc_publisher_service.py runs it: decode the envelope, find the platform by shortcode, decrypt
// through the vault (by device id when the envelope has one, else by the sender's number), decode
// the content, fetch the platform token, publish, store a refreshed token, record, send the
// delivery notice. Every failure is upstream's code and text.
//
// Ours: at most one post per payload, across crashes and instances. The payload's record
// (src/store/relay-publications.ts) is claimed, durably, before the payload is decrypted (the
// decryption uses its ratchet key for good), and settled with the answer after the platform; a
// payload seen before finds the record claimed and is answered from it. A
// record left `publishing` (a crash after the claim, or an answer lost by a platform that cannot
// deduplicate) is never published again: its outcome is unknown. Within the attempt, retries carry
// keys derived from the record's to the platforms that deduplicate by them (publish-idempotency.ts).
// A payload refused before the platform is called has its claim released: nothing was
// posted, and the ratchet refuses a second decryption of it anyway.

export interface PublishContentRequest {
  /** The SMS text exactly as received: base64 of the platform payload. */
  readonly content: string
  /** `From` (the sender's number), `Date` and `Date_sent` (Unix seconds as text). */
  readonly metadata: Readonly<Record<string, string>>
}

export interface PublishContentResponse {
  readonly success: boolean
  readonly message: string
  readonly publisher_response: string
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * What an attempt that reached the platform (or the reliability tests) ended as. Outcome `unknown`
 * (an adapter's `unknown` failure: the post may have been made) leaves the record `publishing`.
 */
type Settled =
  | { readonly published: true, readonly response: PublishContentResponse, readonly notice?: string | undefined }
  | { readonly published: false, readonly failure: RpcFailure, readonly outcome: RelayPublishOutcome, readonly notice?: string | undefined }

export async function publishContent (parts: PublisherParts, request: PublishContentRequest): Promise<PublishContentResponse> {
  const startedMs = performance.now()
  if (request.content === '') throw missingField('content')
  if (!BASE64.test(request.content)) throw invalidArgument(`${publisherTexts.decodingPrefix}: Invalid base64-encoded string`)
  const payloadBytes = Buffer.from(request.content, 'base64')
  const envelope = decodePlatformPayload(payloadBytes)
  if (!envelope.ok) throw invalidArgument(`${publisherTexts.decodingPrefix}: ${envelope.error.message}`)
  const platform = platformByShortcode(envelope.value.platformShortcode)
  if (platform === undefined) throw noPlatformForShortcode(envelope.value.platformShortcode)
  const observe = (outcome: RelayPublishOutcome): void => { publishPublication(platform.name, outcome, performance.now() - startedMs) }

  const key = publicationDigest(parts.publicationKey, payloadBytes)
  // Claimed before the decryption, which uses the payload's ratchet key for good: a crash after it
  // leaves the record (unknown, reported), never a stored forward that can neither be decrypted
  // again nor is reported. Given up (released) when the payload is refused before the platform.
  // A payload seen before loses the claim (nothing written) and is answered from its record: the
  // claim is the lookup, so a new payload, nearly every one, costs no read of the record first.
  const claimedAtMs = parts.nowMs()
  const claimed = await parts.publications.claim(key, platform.name, claimedAtMs).catch((error: unknown) => { observe('error'); throw error })
  if (!claimed) return answerFromRecord(await parts.publications.get(key), observe)
  const sender = request.metadata.From ?? ''
  let settled: Settled
  try {
    let attempt: Attempt
    let publish: () => Promise<Settled>
    try {
      const content = await decryptContent(parts, envelope.value, platform, sender)
      attempt = { key, idempotency: { key: platformIdempotencyKey(key), claimedAtMs }, platform, content, metadata: request.metadata, envelope: envelope.value, sender }
      publish = await publishOf(parts, attempt)
    } catch (error) {
      await release(parts, key)
      throw error
    }
    settled = await publishClaimed(parts, attempt, publish)
  } catch (error) {
    observe(error instanceof RpcFailure ? 'refused' : 'error')
    throw error
  }
  observe(settled.published ? 'published' : settled.outcome)
  if (settled.published) return settled.response
  throw settled.failure
}

async function decryptContent (parts: PublisherParts, envelope: PlatformPayload, platform: Platform, sender: string): Promise<Content> {
  const decrypted = await parts.entityInternal.decryptPayload({
    device_id: envelope.deviceId.toString('hex'),
    phone_number: sender,
    payload_ciphertext: envelope.encryptedMessage.toString('base64')
  }).catch((error: unknown) => { throw prefixed(publisherTexts.decryptingPrefix, error) })
  if (!decrypted.success) throw new RpcFailure(status.INVALID_ARGUMENT, decrypted.message)
  const content = decodeContent(envelope.version, platform.serviceType, Buffer.from(decrypted.payload_plaintext, 'base64'))
  if (!content.ok) throw invalidArgument(content.error.message)
  return content.value
}

interface Attempt {
  readonly key: string
  /** What the adapters derive the platforms' idempotency keys from. */
  readonly idempotency: PublishIdempotency
  readonly platform: Platform
  readonly content: Content
  readonly metadata: PublishContentRequest['metadata']
  readonly envelope: PlatformPayload
  readonly sender: string
}

/** The publish of a decrypted payload (refusing what its platform cannot take), to be called once. */
async function publishOf (parts: PublisherParts, attempt: Attempt): Promise<() => Promise<Settled>> {
  const { platform, content } = attempt
  if (content.serviceType === 'test') {
    if (platform.protocol !== 'event') throw unsupportedServiceType(content.serviceType, platform.name)
    const tests = parts.reliabilityTests
    if (tests === undefined) throw unsupportedPlatform(platform.name, 'event')
    const sms = { sentAtMs: secondsToMs(attempt.metadata.Date_sent), receivedAtMs: secondsToMs(attempt.metadata.Date) }
    return async () => {
      const routed = await tests.recordRouted(content.testId, sms)
      return routed.success
        ? { published: true, response: { success: true, message: publishedMessage(platform.name), publisher_response: routed.message } }
        : { published: false, failure: invalidArgument(routed.message), outcome: 'rejected' }
    }
  }
  return await platformPublish(parts, attempt, content)
}

/** Publishes under the record's claim, settles the record, sends the notice. */
async function publishClaimed (parts: PublisherParts, attempt: Attempt, publish: () => Promise<Settled>): Promise<Settled> {
  const { platform } = attempt
  let settled: Settled
  try {
    settled = await publish()
  } catch (error) {
    // Unforeseen, once the platform was called: the sender is told it failed, as upstream tells
    // of any unforeseen failure. (Before the platform is called, the claim is released and
    // INTERNAL tells the ingress to try again later, which may yet succeed: no notice then.)
    await settle(parts, attempt.key, { state: publicationStates.failed, response: INTERNAL_DETAILS, code: status.INTERNAL })
    if (platform.protocol !== 'event') await parts.notify({ recipient: attempt.sender, platform, published: false, language: attempt.envelope.language })
    throw error
  }
  // The post may have been made (an answer lost on a platform that cannot deduplicate): the
  // record stays `publishing`, as a crash leaves it, so no copy is published again and the
  // operator's count of unknown publications shows it; no notice, which could only guess.
  if (!settled.published && settled.outcome === 'unknown') return settled
  await settle(parts, attempt.key, settled.published
    ? { state: publicationStates.published, response: settled.response.publisher_response, code: status.OK }
    : { state: publicationStates.failed, response: settled.failure.message, code: settled.failure.code })
  if (platform.protocol !== 'event') {
    await parts.notify({ recipient: attempt.sender, platform, published: settled.published, language: attempt.envelope.language, additional: settled.notice })
  }
  return settled
}

/** The publish through the platform's adapter, once the token is at hand (fetched before the claim: a vault refusal posts nothing). */
async function platformPublish (parts: PublisherParts, attempt: Attempt, content: EmailContent | TextContent | MessageContent): Promise<() => Promise<Settled>> {
  const { platform, envelope } = attempt
  const adapter = parts.adapters.get(platform.name)
  if (platform.protocol === 'event' || (platform.protocol === 'pnba' && content.serviceType !== 'message')) throw unsupportedServiceType(content.serviceType, platform.name)
  if (adapter === undefined || adapter.protocol !== platform.protocol) throw unsupportedPlatform(platform.name, platform.protocol)
  const from = content.from.replaceAll('\n', '')
  const fetched = await parts.entityInternal.getEntityAccessToken({ device_id: envelope.deviceId.toString('hex'), long_lived_token: '', platform: platform.name, account_identifier: from, phone_number: attempt.sender })
    .catch((error: unknown) => { throw prefixed(publisherTexts.tokenPrefix, error) })
  if (!fetched.success) throw new RpcFailure(status.INVALID_ARGUMENT, fetched.message)
  const stored = JSON.parse(fetched.token) as PlatformToken
  // Tokens in the content belong to a user who keeps them on the device (relay.md §4): they win.
  const onDevice = platform.protocol === 'oauth2' && content.accessToken !== undefined && content.accessToken !== '' && content.refreshToken !== undefined && content.refreshToken !== ''
  const token = onDevice ? { ...stored, access_token: content.accessToken, refresh_token: content.refreshToken } : stored
  const withFrom = { ...content, from }
  const { idempotency } = attempt
  const post = continuingPoster(token, adapter.protocol === 'pnba' ? async current => await adapter.publish(current, withFrom as MessageContent, idempotency) : async (current, posted) => await adapter.publish(current, withFrom, posted, idempotency))
  return async () => {
    try {
      const published = await publishWithRetries(post, parts.retry, parts.sleep)
      const notice = await keepRefreshedToken(parts, attempt, { from, onDevice, sentRefreshToken: content.refreshToken }, published.refreshedToken)
      return { published: true, response: { success: true, message: publishedMessage(platform.name), publisher_response: publisherTexts.messageSent }, notice }
    } catch (error) {
      if (!(error instanceof PlatformFailure)) throw error
      // A token refreshed before the failure replaced the one stored (rotating platforms retire the old refresh token).
      const notice = await keepRefreshedToken(parts, attempt, { from, onDevice, sentRefreshToken: content.refreshToken }, error.refreshedToken)
      return { published: false, failure: error.kind === 'unknown' ? new RpcFailure(status.UNKNOWN, error.message) : invalidArgument(error.message), outcome: error.kind, notice }
    }
  }
}

/**
 * The calls of one publish (its retries) go on from where the last one failed. A token a failed
 * call refreshed is the next call's (a rotating platform has retired the old refresh token), and
 * it goes back to be stored however the last call ends. The parts of a thread a failed call
 * posted are handed to the next, which posts the rest in reply to them: no part twice. (A crash
 * loses them with the rest of the attempt: the record stays `publishing`, and nothing of it is
 * posted again.)
 */
function continuingPoster (token: PlatformToken, publish: (token: PlatformToken, posted: PostedParts) => Promise<Published>): () => Promise<Published> {
  let current = token
  let refreshed: PlatformToken | undefined
  let posted: PostedParts = []
  return async () => {
    try {
      const published = await publish(current, posted)
      return published.refreshedToken === undefined && refreshed !== undefined ? { ...published, refreshedToken: refreshed } : published
    } catch (error) {
      if (!(error instanceof PlatformFailure)) throw error
      if (error.refreshedToken !== undefined) {
        current = error.refreshedToken
        refreshed = current
      }
      if (error.postedParts.length > posted.length) posted = error.postedParts
      throw refreshed === undefined || error.refreshedToken !== undefined ? error : new PlatformFailure(error.kind, error.message, error.retryAfterMs, refreshed, error.postedParts)
    }
  }
}

/**
 * Gives the claim of a payload refused before the platform up: nothing was posted, and a copy is
 * refused again (its ratchet key is used). A release that fails leaves the record `publishing`:
 * the payload is then never published (unknown), which keeps at most one post.
 */
async function release (parts: PublisherParts, key: string): Promise<void> {
  try {
    await parts.publications.release(key)
  } catch (error) {
    parts.onError('publication claim not released', error)
  }
}

/**
 * Records the answer. A record that cannot be settled (the store failed) stays `publishing`, so a
 * copy is answered "unknown" and never published again; the answer to this call stands.
 */
async function settle (parts: PublisherParts, key: string, settlement: PublicationSettlement): Promise<void> {
  try {
    await parts.publications.settle(key, { ...settlement, response: settlement.response.slice(0, MAX_PUBLICATION_RESPONSE_CHARS) }, parts.nowMs())
  } catch (error) {
    parts.onError('publication record not settled', error)
  }
}

/**
 * A token the adapter refreshed: stored back through the vault (upstream), or, for a user who
 * keeps tokens on the device, the refresh alert for the notice (upstream's text) when the refresh
 * token changed. Resolves with that alert.
 */
async function keepRefreshedToken (parts: PublisherParts, attempt: Attempt, sent: { readonly from: string, readonly onDevice: boolean, readonly sentRefreshToken: string | undefined }, refreshed: PlatformToken | undefined): Promise<string | undefined> {
  if (refreshed === undefined) return undefined
  if (!sent.onDevice) {
    await storeRefreshedToken(parts, attempt, sent.from, refreshed)
    return undefined
  }
  const refreshToken = refreshed.refresh_token
  return typeof refreshToken === 'string' && refreshToken !== sent.sentRefreshToken ? refreshAlert(sent.from, refreshToken) : undefined
}

/** Upstream stores a refreshed token back and only logs a failure: the post is made either way. */
async function storeRefreshedToken (parts: PublisherParts, attempt: Attempt, accountIdentifier: string, token: PlatformToken): Promise<void> {
  try {
    const updated = await parts.entityInternal.updateEntityToken({ device_id: attempt.envelope.deviceId.toString('hex'), phone_number: attempt.sender, token: JSON.stringify(token), account_identifier: accountIdentifier, platform: attempt.platform.name })
    if (!updated.success) parts.onError('token update refused', new Error(updated.message))
  } catch (error) {
    parts.onError('token update failed', error)
  }
}

/** A payload seen before: its record's answer; a claim without an outcome is reported, never published again. */
function answerFromRecord (record: RelayPublication | undefined, observe: (outcome: RelayPublishOutcome) => void): PublishContentResponse {
  if (record === undefined || record.state === publicationStates.publishing) {
    observe('unknown')
    throw new RpcFailure(status.ALREADY_EXISTS, publisherTexts.outcomeUnknown)
  }
  observe('replayed')
  if (record.state === publicationStates.failed) throw new RpcFailure(record.code, record.response)
  return { success: true, message: publishedMessage(record.platform), publisher_response: record.response }
}

function secondsToMs (text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const seconds = Number(text)
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined
}
