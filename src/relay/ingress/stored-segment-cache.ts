import { keyedHmac } from '../vault/keyed-hmac.ts'
import type { RelayIngressStore } from '../../store/relay-ingress.ts'
import { open, seal } from '../vault/sealing.ts'
import type { SealingKeyRing } from '../vault/sealing-key-ring.ts'
import type { ImageTextSegment } from './image-text-segment.ts'
import type { CachedSegment, SegmentCache } from './segment-cache.ts'

// Image-text segments in the store (docs/relay.md, "Ingress"), so that they survive a restart and
// every instance sharing the store completes a session whose segments reached different ones. A
// session is found by a keyed digest of its sender and number, and each content is sealed to it,
// so the store holds neither the sender's number nor the payload. Ours: segments expire (upstream
// keeps them until their session completes), and their count is bounded per sender and in all.

export interface SegmentLimits {
  /** How long a segment waits for the rest of its session (relay.segmentTtlMs). */
  readonly ttlMs: number
  /** Segments one sender may have waiting (relay.maxSegmentsPerSender). */
  readonly maxPerSender: number
  /** Segments waiting in all (relay.maxSegments). */
  readonly maxTotal: number
}

export interface StoredSegmentCacheOptions {
  readonly store: RelayIngressStore
  readonly keys: SealingKeyRing
  /** The identifier key (relay.md §7): the digests are keyed, so a guessed number cannot be tested against the store. */
  readonly identifierKey: Buffer
  readonly limits: SegmentLimits
  /** ms since the epoch (tests move it). */
  readonly nowMs?: () => number
}

export function storedSegmentCache (options: StoredSegmentCacheOptions): SegmentCache {
  const { store, keys, identifierKey, limits } = options
  const nowMs = options.nowMs ?? Date.now
  const digest = (label: string, ...parts: string[]): string => keyedHmac(identifierKey).update(`smsgw-relay-${label}\0${parts.join('\0')}`).digest('hex')
  const sessionKeyOf = (sender: string, session: number): string => digest('segment-session', sender, String(session))
  const sealedId = (sessionKey: string, segment: number): string => `${sessionKey}:${segment}`
  return {
    add: async (sender: string, segment: ImageTextSegment): Promise<boolean> => {
      const sessionKey = sessionKeyOf(sender, segment.session)
      const now = nowMs()
      const outcome = await store.addSegment({
        sessionKey,
        senderKey: digest('segment-sender', sender),
        segment: segment.segment,
        total: segment.total,
        imageLength: segment.imageLength,
        sealed: seal(keys, 'ingressSegment', sealedId(sessionKey, segment.segment), Buffer.from(segment.content, 'utf8')),
        storedAtMs: now
      }, { notBeforeMs: now - limits.ttlMs, maxPerSender: limits.maxPerSender, maxTotal: limits.maxTotal })
      return outcome !== 'full'
    },
    session: async (sender: string, session: number): Promise<readonly CachedSegment[]> => {
      const sessionKey = sessionKeyOf(sender, session)
      const stored = await store.segmentsOf(sessionKey, nowMs() - limits.ttlMs)
      return stored.map(row => {
        const content = open(keys, 'ingressSegment', sealedId(sessionKey, row.segment), row.sealed)
        if (!content.ok) throw content.error
        return { segment: row.segment, total: row.total, imageLength: row.imageLength, content: content.value.toString('utf8') }
      })
    },
    remove: async (sender: string, session: number): Promise<void> => { await store.removeSession(sessionKeyOf(sender, session)) }
  }
}
