import type { Awaitable } from '../async/awaitable.ts'
import { DIGEST_PATTERN } from './relay-accounts.ts'

// The relay vault's one-time codes as the store keeps them (relay.md §2, §7): one row per
// identifier, as upstream's OTP table has, holding the action the code was asked for, a keyed
// digest of the code, its expiry and the verifications tried. The row's key is a keyed digest of
// the identifier (src/relay/vault/otp-rules.ts), so neither the identifier nor the code is stored.
// Kept in the store so that a code sent by one instance is verified by another.

export interface RelayOtp {
  /** What the code proves: `create`, `authenticate` or `reset`. */
  readonly purpose: string
  /** HMAC-SHA512 hex of the code; undefined once the code was invalidated (expired, too many attempts). */
  readonly codeHash: string | undefined
  readonly expiresAtMs: number
  /** Verifications tried on this code. */
  readonly attempts: number
}

export interface NewRelayOtp {
  readonly purpose: string
  readonly codeHash: string
  readonly expiresAtMs: number
}

export interface RelayOtpStore {
  get: (key: string) => Awaitable<RelayOtp | undefined>
  /** Stores a new code for the key, replacing the one it had (attempts start at 0); resolves once durable. */
  put: (key: string, otp: NewRelayOtp) => Promise<void>
  /**
   * Adds one to the attempts of the key's code if it is still `codeHash` (not replaced nor
   * invalidated meanwhile), in one statement; resolves with the new count, or undefined.
   */
  countAttempt: (key: string, codeHash: string) => Promise<number | undefined>
  /**
   * Forgets the key's code if it is still `codeHash` (a new code sent meanwhile stays), keeping the
   * row, so that a later verification hears why it has none.
   */
  invalidate: (key: string, codeHash: string) => Promise<void>
  /**
   * Deletes the key's row if its code is still `codeHash`; resolves with whether it did, so that
   * of two verifications of one code at once exactly one succeeds.
   */
  consume: (key: string, codeHash: string) => Promise<boolean>
  /** Deletes rows that expired before `cutoffMs`; resolves with how many. */
  prune: (cutoffMs: number) => Promise<number>
}

/** Throws a RangeError when a key or code hash is not a digest: the store then stores nothing. */
export function checkOtpDigest (digest: string): void {
  if (!DIGEST_PATTERN.test(digest)) throw new RangeError('an OTP key or code hash must be 128 lowercase hex digits')
}

/** Purposes are short words of ours; the bound keeps a row's size fixed. */
export const MAX_OTP_PURPOSE_CHARS = 32
