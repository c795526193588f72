import type { Awaitable } from '../async/awaitable.ts'
import { DIGEST_PATTERN } from './relay-accounts.ts'

// The relay's ingress as the store keeps it (docs/relay.md, "Ingress"): the forwards accepted
// and not yet handed to the publisher, and the image-text segments waiting for the rest of their
// session. Everything a phone sent is sealed by the relay before it gets here (the forward's text,
// sender and dates in one sealed value; a segment's content), and rows are found by keyed digests
// and random ids only: the store holds no phone number and no payload in clear.

export const relayIngressBounds = Object.freeze({
  /** A sealed forward: a /v3/publish body is at most 64 KiB, an MO's text less; with room for JSON escapes and sealing. */
  sealedForwardBytes: 96 * 1024,
  /** A sealed segment content: at most a forward's text. */
  sealedSegmentBytes: 96 * 1024
})

/** A forward's id: 32 random hex digits (it names no one). */
export const FORWARD_ID_PATTERN = /^[0-9a-f]{32}$/

/** A forward waiting to be handed on, as claimed. */
export interface StoredForward {
  readonly id: string
  readonly sealed: Buffer
  /** How many times it was taken up, this time included. */
  readonly attempts: number
}

export interface NewSegment {
  /** A keyed digest of the sender and the session number (128 hex digits). */
  readonly sessionKey: string
  /** A keyed digest of the sender alone, for the bound per sender. */
  readonly senderKey: string
  readonly segment: number
  readonly total: number
  readonly imageLength: number
  readonly sealed: Buffer
  /** When it was stored, by the relay's clock (expiry compares it with SegmentBounds.notBeforeMs). */
  readonly storedAtMs: number
}

export interface StoredSegment {
  readonly segment: number
  readonly total: number
  readonly imageLength: number
  readonly sealed: Buffer
}

export interface SegmentBounds {
  /** Segments stored before this are expired: deleted first, never counted nor read. */
  readonly notBeforeMs: number
  readonly maxPerSender: number
  readonly maxTotal: number
}

export type SegmentAddOutcome = 'stored' | 'duplicate' | 'full'

export interface RelayIngressStore {
  /** Stores a forward, taken up by its acceptor until `dueAtMs` (its first attempt); resolves once durable. */
  addForward: (id: string, sealed: Buffer, dueAtMs: number) => Promise<void>
  /**
   * Takes up to `limit` forwards due at `nowMs` (their holder's time ran out: it crashed, or never
   * finished), oldest first: each is held until `holdUntilMs` and its attempts counted, in one
   * statement, so that of instances claiming at once each forward goes to one.
   */
  claimDue: (nowMs: number, holdUntilMs: number, limit: number) => Promise<StoredForward[]>
  /** Deletes a forward once handed on (or given up); resolves once durable. */
  finishForward: (id: string) => Promise<void>
  /** Forwards stored and not finished. */
  countForwards: () => Awaitable<number>
  /**
   * Stores a segment after deleting the expired ones, unless its (session key, segment number) is
   * held ('duplicate', the first copy stays) or a bound is reached ('full'). Instances adding at
   * once may pass a bound by a few.
   */
  addSegment: (segment: NewSegment, bounds: SegmentBounds) => Promise<SegmentAddOutcome>
  /** The session's segments stored at or after `notBeforeMs`, in segment order. */
  segmentsOf: (sessionKey: string, notBeforeMs: number) => Awaitable<StoredSegment[]>
  removeSession: (sessionKey: string) => Promise<void>
  /** Deletes segments stored before `cutoffMs`; resolves with how many. */
  pruneSegments: (cutoffMs: number) => Promise<number>
  /** Segments stored (expired ones not yet pruned included). */
  countSegments: () => Awaitable<number>
}

/** Throws a RangeError for a value the tables must not hold: the store then stores nothing. */
export function checkForward (id: string, sealed: Buffer): void {
  if (!FORWARD_ID_PATTERN.test(id)) throw new RangeError('a forward id must be 32 lowercase hex digits')
  if (sealed.length > relayIngressBounds.sealedForwardBytes) throw new RangeError(`a sealed forward has at most ${relayIngressBounds.sealedForwardBytes} bytes`)
}

export function checkSegment (segment: NewSegment): void {
  if (!DIGEST_PATTERN.test(segment.sessionKey) || !DIGEST_PATTERN.test(segment.senderKey)) throw new RangeError('segment keys must be 128 lowercase hex digits')
  for (const [name, value, max] of [['segment', segment.segment, 255], ['total', segment.total, 255], ['imageLength', segment.imageLength, 65535]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`a segment's ${name} is an integer 0 to ${max}`)
  }
  if (segment.sealed.length > relayIngressBounds.sealedSegmentBytes) throw new RangeError(`a sealed segment has at most ${relayIngressBounds.sealedSegmentBytes} bytes`)
}
