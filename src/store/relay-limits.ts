import type { Awaitable } from '../async/awaitable.ts'
import { DIGEST_PATTERN } from './relay-accounts.ts'

// The relay vault's rate limits as the store keeps them (relay.md §7): a count and a time before
// which the key is blocked, per key. Keys are keyed digests (HMAC-SHA512 hex of a purpose and an
// identifier, src/relay/vault/), so no phone number or e-mail address is stored. Kept in the store
// so that a restart or another instance does not reset them.

export interface RelayLimit {
  readonly count: number
  readonly blockedUntilMs: number
}

export interface RelayLimitStore {
  get: (key: string) => Awaitable<RelayLimit | undefined>
  /**
   * Adds one to the key's count (a new key starts at 1) in one statement, so instances counting at
   * once lose no count; resolves with the new count once durable.
   */
  bump: (key: string) => Promise<number>
  /** Blocks the key until `untilMs`; a later block already set stays. */
  block: (key: string, untilMs: number) => Promise<void>
  clear: (key: string) => Promise<void>
  /**
   * Deletes the rows neither changed nor blocked since `cutoffMs` (a count that old starts over
   * anyway), so keys made by requests for many identifiers do not pile up; resolves with how many.
   */
  prune: (cutoffMs: number) => Promise<number>
}

/** Throws a RangeError when a key is not a digest: the store then stores nothing. */
export function checkLimitKey (key: string): void {
  if (!DIGEST_PATTERN.test(key)) throw new RangeError('a rate-limit key must be 128 lowercase hex digits')
}
