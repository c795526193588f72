import { randomBytes } from 'node:crypto'
import type { PublishContent, PublishContentRequest, PublishContentResponse } from '../../../src/relay/ingress/publish-content.ts'
import { RelayIngress } from '../../../src/relay/ingress/relay-ingress.ts'
import { storedSegmentCache, type SegmentLimits } from '../../../src/relay/ingress/stored-segment-cache.ts'
import { createLogger, type Logger } from '../../../src/log/logger.ts'
import type { RelayIngressStore } from '../../../src/store/relay-ingress.ts'
import { parseSealingKeyRing, type SealingKeyRing } from '../../../src/relay/vault/index.ts'
import { unwrap } from '../relaysms-vectors.ts'

// What the ingress tests share: keys, image-text segments as the app writes them, and a stand-in
// for the publisher's PublishContent.

export function newKeyRing (): SealingKeyRing {
  return unwrap(parseSealingKeyRing(`k1 ${randomBytes(32).toString('base64')}`))
}

/** Image-text segments of `payloadText` in `parts` pieces, as the app writes them (relay-wire.md §5.1). */
export function imageTextSegments (session: number, payloadText: string, parts: number, imageLength = 0): string[] {
  const size = Math.ceil(payloadText.length / parts)
  return Array.from({ length: parts }, (_, index) => {
    const content = payloadText.slice(index * size, (index + 1) * size)
    if (index > 0) return Buffer.from([4, session, index]).toString('base64') + content
    const header = Buffer.from([4, session, 0, parts, 0, 0, 0, 0])
    header.writeUInt16LE(imageLength, 4)
    header.writeUInt16LE(payloadText.length, 6)
    return header.toString('base64') + content
  })
}

/**
 * A stand-in for the publisher's PublishContent (branch `publisher`, not merged into this one yet):
 * it records each request and answers with `answer` (default: success, as upstream's oauth2
 * adapters answer).
 */
export function recordingPublisher (answer: (request: PublishContentRequest) => Promise<PublishContentResponse> = async () => ({ success: true, message: 'Successfully published Twitter message', publisher_response: 'Successfully sent message' })): { publishContent: PublishContent, requests: PublishContentRequest[] } {
  const requests: PublishContentRequest[] = []
  return {
    requests,
    publishContent: async request => {
      requests.push(request)
      return await answer(request)
    }
  }
}

/** An ingress over `store` with fresh keys, its worker not started (tests start it when they mean to). */
export function newIngress (store: RelayIngressStore, publishContent: PublishContent, options: { holdMs?: number, keys?: SealingKeyRing, identifierKey?: Buffer, limits?: Partial<SegmentLimits>, log?: Logger } = {}): RelayIngress {
  const keys = options.keys ?? newKeyRing()
  const segments = storedSegmentCache({ store, keys, identifierKey: options.identifierKey ?? randomBytes(32), limits: { ttlMs: 60_000, maxPerSender: 10, maxTotal: 100, ...options.limits } })
  return new RelayIngress({ store, keys, segments, publishContent, holdMs: options.holdMs ?? 60_000, maxAttempts: 3, log: options.log ?? createLogger({ level: 'silent' }) })
}
