import { randomInt } from 'node:crypto'
import type { RelayOtp } from '../../store/relay-otps.ts'
import { keyedHmac } from './keyed-hmac.ts'

// The one-time codes of relay.md §2 as rules, as upstream's Vault keeps its in-app codes
// (src/otp_service.py: create_inapp_otp, verify_inapp_otp): six random digits, valid for 10
// minutes, one code per identifier (a new request replaces it), remembering the action it was
// asked for; a verification counts as an attempt before the code is compared, and the 5th attempt
// invalidates the code whatever it carries. The store keeps a keyed digest of the identifier and
// of the code, never either in clear (src/store/relay-otps.ts).

export const OTP_CODE_DIGITS = 6
/** Upstream's in-app and e-mail codes expire after 10 minutes. */
export const OTP_LIFETIME_MS = 10 * 60_000
/** Upstream's MAX_OTP_VERIFY_ATTEMPTS: the attempt that reaches it invalidates the code. */
export const MAX_OTP_VERIFY_ATTEMPTS = 5

export type OtpAction = 'create' | 'authenticate' | 'reset'

/** Six digits drawn with the system's cryptographic randomness, leading zeros kept. */
export function generateOtpCode (): string {
  return String(randomInt(10 ** OTP_CODE_DIGITS)).padStart(OTP_CODE_DIGITS, '0')
}

/** The store key of an identifier's code: HMAC-SHA512 hex under the identifier key over a label and the identifier. */
export function otpKeyOf (identifierKey: Buffer, identifier: string): string {
  return keyedHmac(identifierKey).update('smsgw-relay-otp\0').update(identifier).digest('hex')
}

/**
 * The digest of a code as stored: HMAC-SHA512 hex under the identifier key over the row's key and
 * the code. A million codes are quickly tried against a plain hash; without the key, which is
 * never in the database, a copy of the table does not give the code away.
 */
export function otpCodeHashOf (identifierKey: Buffer, otpKey: string, code: string): string {
  return keyedHmac(identifierKey).update(`smsgw-relay-otp-code\0${otpKey}\0`).update(code).digest('hex')
}

/**
 * What a verification of `action` finds in the stored code before it counts an attempt, in
 * upstream's order: no code ever asked for (or one already used), a code invalidated (upstream
 * deletes it and then finds no record), another action's code, an expired one.
 */
export type OtpPrecheck =
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'expired', readonly codeHash: string }
  | { readonly kind: 'invalidated' }
  | { readonly kind: 'open', readonly codeHash: string }

export function precheckOtp (otp: RelayOtp | undefined, action: OtpAction, nowMs: number): OtpPrecheck {
  if (otp === undefined) return { kind: 'missing' }
  if (otp.codeHash === undefined) return { kind: 'invalidated' }
  if (otp.purpose !== action) return { kind: 'mismatch' }
  if (nowMs > otp.expiresAtMs) return { kind: 'expired', codeHash: otp.codeHash }
  return { kind: 'open', codeHash: otp.codeHash }
}
