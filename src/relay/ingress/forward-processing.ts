import type { relayIngressKinds, relayIngressOutcomes } from '../../domain/relay-diagnostics-channels.ts'
import { RpcFailure } from '../grpc/rpc-failure.ts'
import { metadataDateOf, type Forward, type Refusal } from './forward.ts'
import { isImageTextSegment, parseImageTextSegment } from './image-text-segment.ts'
import { ingressTexts, segmentCachedText } from './ingress-texts.ts'
import type { PublishContent } from './publish-content.ts'
import { decodeBase64AsPython } from './python-base64.ts'
import type { SegmentCache } from './segment-cache.ts'
import { maskSender } from './sender-mask.ts'

// What becomes of one forward (upstream payload_service.decode_and_publish), routed on its text
// (relay-wire.md §5.1): (a) an image-text segment is cached, and once its session is complete the
// joined text is routed again; (b) a text whose first decoded byte is 0x00 is a bridge payload,
// which has no bridge server to go to; (c) anything else is a platform payload for the publisher.

/** Where a forward came from: a gateway phone over HTTP, or an MO on our own SMPP binds. */
export type IngressOrigin = typeof relayIngressKinds[number]

/** What became of a forward, as metrics count it (a closed set: no content, no number). */
export type IngressOutcome = typeof relayIngressOutcomes[number]

export type ForwardResult =
  | { readonly ok: true, readonly publisherResponse: string, readonly outcome: IngressOutcome }
  | { readonly ok: false, readonly refusal: Refusal, readonly outcome: IngressOutcome }

export interface ProcessingParts {
  readonly segments: SegmentCache
  readonly publishContent: PublishContent
}

const refused = (error: string, outcome: IngressOutcome = 'refused'): ForwardResult => ({ ok: false, refusal: { status: 400, error }, outcome })

/**
 * Routes and hands on `forward`. Resolves with the answer (upstream's texts); rejects when the
 * segment store cannot be read or written, or the publisher fails other than with an RpcFailure:
 * the forward is then still stored, and tried again (relay-ingress.ts).
 */
export async function processForward (forward: Forward, origin: IngressOrigin, parts: ProcessingParts): Promise<ForwardResult> {
  if (isImageTextSegment(forward.text)) return await processSegment(forward, origin, parts)
  const decoded = decodeBase64AsPython(forward.text)
  if (decoded === undefined) return refused(ingressTexts.invalidBase64)
  if (decoded.length === 0) return refused(ingressTexts.emptyPayload)
  // Upstream hands bridge payloads to a bridge server (bridge.v1), and refuses them over HTTP
  // where DISABLE_BRIDGE_PAYLOADS_OVER_HTTP is set; there is no bridge server here.
  if (decoded[0] === 0x00) return refused(origin === 'http' ? ingressTexts.bridgeOverHttp : ingressTexts.noBridge, 'bridge-refused')
  const metadata = { From: forward.sender, Date: metadataDateOf(forward.date), Date_sent: metadataDateOf(forward.dateSent) }
  try {
    const response = await parts.publishContent({ content: forward.text, metadata })
    if (!response.success) return refused(response.message, 'publish-failed')
    return { ok: true, publisherResponse: response.publisher_response, outcome: 'published' }
  } catch (error) {
    if (error instanceof RpcFailure) return refused(error.message, 'publish-failed')
    throw error
  }
}

async function processSegment (forward: Forward, origin: IngressOrigin, parts: ProcessingParts): Promise<ForwardResult> {
  const segment = parseImageTextSegment(forward.text)
  if (segment === undefined) return refused(ingressTexts.imageTextUnparsable)
  if (!await parts.segments.add(forward.sender, segment)) return refused(ingressTexts.segmentNotStored)
  const cached = await parts.segments.session(forward.sender, segment.session)
  // Upstream's count: the segments held, against the total the lowest-numbered one carries (0
  // until segment 0 has arrived); none held (expired meanwhile) is never complete.
  const total = cached[0]?.total ?? 0
  if (cached.length === 0 || cached.length !== total) {
    return { ok: true, publisherResponse: segmentCachedText(cached.length, total, segment.session, maskSender(forward.sender)), outcome: 'segment-cached' }
  }
  const assembled: Forward = { ...forward, text: cached.map(part => part.content).join('') }
  const result = await processForward(assembled, origin, parts)
  // Upstream keeps a session whose bridge payload HTTP refused; it expires here.
  if (!result.ok && result.refusal.error === ingressTexts.bridgeOverHttp) return result
  await parts.segments.remove(forward.sender, segment.session)
  return result
}
