import type { ImageTextSegment } from './image-text-segment.ts'

/** A segment as the cache gives it back. */
export interface CachedSegment {
  readonly segment: number
  readonly total: number
  readonly imageLength: number
  readonly content: string
}

/**
 * Where image-text segments wait for the rest of their session, per (sender, session): in the
 * store (stored-segment-cache.ts), so that they survive a restart and instances share them.
 */
export interface SegmentCache {
  /**
   * Stores `segment` unless the session holds that segment number already (a phone's retry: the
   * first copy stays, as upstream keeps it). Resolves with false when the bounds refuse it (too
   * many segments for the sender, or in all); rejects when the store cannot be written.
   */
  add: (sender: string, segment: ImageTextSegment) => Promise<boolean>
  /** The session's segments that have not expired, in segment order. */
  session: (sender: string, session: number) => Promise<readonly CachedSegment[]>
  /** Forgets the session's segments. */
  remove: (sender: string, session: number) => Promise<void>
}
