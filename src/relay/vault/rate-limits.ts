import { keyedHmac } from './keyed-hmac.ts'

// The rate limits of relay.md §7, as rules: OTP requests in growing windows, password attempts
// locking for growing times. The counts live in the store (src/store/relay-limits.ts) under a
// keyed digest of the purpose and the identifier, so no identifier is stored in clear.

const MINUTE_MS = 60_000
/** After the n-th OTP request no other is sent for this long (the last window repeats). */
const OTP_WINDOWS_MS = [5, 10, 30, 120, 1440].map(minutes => minutes * MINUTE_MS)
/** [failed attempts, lock]: 2 min after the 3rd, 15 after the 5th, 60 after the 7th, 24 h from the 9th on. */
const PASSWORD_LOCKS_MS: ReadonlyArray<readonly [number, number]> = [[9, 1440 * MINUTE_MS], [7, 60 * MINUTE_MS], [5, 15 * MINUTE_MS], [3, 2 * MINUTE_MS]]
/** Ours: a count whose block ended this long ago starts over, so old failures do not weigh forever. */
export const LIMIT_RESET_AFTER_MS = 1440 * MINUTE_MS

export type LimitPurpose = 'otp' | 'password'

export function otpWindowMs (requests: number): number {
  return OTP_WINDOWS_MS[Math.min(Math.max(requests, 1), OTP_WINDOWS_MS.length) - 1] as number
}

/** The lock that the `failures`-th failed attempt starts, if any (the 4th, 6th and 8th start none). */
export function passwordLockMs (failures: number): number | undefined {
  const found = PASSWORD_LOCKS_MS.find(([after]) => failures === after || (after === 9 && failures > 9))
  return found?.[1]
}

/** The store key of a limit: HMAC-SHA512 hex under the identifier key, over a label, the purpose and the identifier. */
export function limitKeyOf (identifierKey: Buffer, purpose: LimitPurpose, identifier: string): string {
  return keyedHmac(identifierKey).update(`smsgw-relay-limit\0${purpose}\0`).update(identifier).digest('hex')
}
