import type { Awaitable } from '../async/awaitable.ts'
import { DIGEST_PATTERN } from './relay-accounts.ts'

// The publisher's record of each payload it handed to a platform (relay.md §6; docs/relay.md,
// "Publisher"): at most one post per payload, across crashes and instances. The row's key is a
// keyed digest of the payload (src/relay/publisher/publication-key.ts), never the payload; the row
// holds the platform's name, the state and the answer given, so a payload seen again is answered
// from here. A row is claimed (`publishing`) and durable before the payload is decrypted (which
// uses its ratchet key) and the platform called; one left `publishing` by a crash is never
// published again: its outcome is unknown.

export const publicationStates = { publishing: 'publishing', published: 'published', failed: 'failed' } as const
export type PublicationState = typeof publicationStates[keyof typeof publicationStates]

export interface RelayPublication {
  readonly state: PublicationState
  readonly platform: string
  /** `published`: the publisher_response given; `failed`: the details given; `publishing`: empty. */
  readonly response: string
  /** `failed`: the gRPC status code given; 0 otherwise. */
  readonly code: number
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

export interface PublicationSettlement {
  readonly state: typeof publicationStates.published | typeof publicationStates.failed
  readonly response: string
  readonly code: number
}

export interface RelayPublicationStore {
  get: (key: string) => Awaitable<RelayPublication | undefined>
  /**
   * Records the key as `publishing` unless a row has it, in one statement; resolves once durable
   * with whether this call made the row (of two claims at once, exactly one does).
   */
  claim: (key: string, platform: string, atMs: number) => Promise<boolean>
  /** Deletes the key's row while it is `publishing`: a claim given up before the platform was called (the payload refused). */
  release: (key: string) => Promise<void>
  /** Moves the key's row from `publishing` to its outcome; a row not `publishing` stays as it is. */
  settle: (key: string, settlement: PublicationSettlement, atMs: number) => Promise<void>
  /** Rows still `publishing` that were claimed before `beforeMs`: the publications whose outcome is unknown. */
  countPublishing: (beforeMs: number) => Promise<number>
  /** Deletes settled rows last changed before `cutoffMs`; resolves with how many. */
  prune: (cutoffMs: number) => Promise<number>
}

/** Bounds of what a row holds: a platform's name, and the texts answered (adapter texts are short). */
export const MAX_PUBLICATION_PLATFORM_CHARS = 32
export const MAX_PUBLICATION_RESPONSE_CHARS = 1024

/** Throws a RangeError when a row would hold what is not a digest key or is over its bounds: the store then stores nothing. */
export function checkPublication (key: string, platform?: string, response?: string): void {
  if (!DIGEST_PATTERN.test(key)) throw new RangeError('a publication key must be 128 lowercase hex digits')
  if (platform !== undefined && platform.length > MAX_PUBLICATION_PLATFORM_CHARS) throw new RangeError(`a publication's platform has at most ${MAX_PUBLICATION_PLATFORM_CHARS} characters`)
  if (response !== undefined && response.length > MAX_PUBLICATION_RESPONSE_CHARS) throw new RangeError(`a publication's response has at most ${MAX_PUBLICATION_RESPONSE_CHARS} characters`)
}
