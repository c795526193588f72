import { errorCodes } from '../../errors.ts'
import { isStandardBase64 } from '../../crypto/base64.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { agree, X25519_KEY_BYTES } from '../ratchet/dh.ts'

// Checks of the vault's request fields (relay-wire.md §1 and §4, upstream Vault
// grpc_entity_services.handle_request_field_validation). Failures carry the exact details string
// the app shows. The phone number's country-code check needs libphonenumber and is the gRPC
// layer's; here only the whitespace rule of relay.md §2.

/** Ours: far above any real value, so that a hostile field is refused before work is done on it. */
export const MAX_EMAIL_CHARS = 320
export const MAX_BASE64_FIELD_CHARS = 1024
const EMAIL_PATTERN = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/
// Any private key serves to tell a usable public key from a low-order point.
const PROBE_PRIVATE_KEY = Buffer.alloc(X25519_KEY_BYTES, 0x42)

/** E.164 as upstream keeps it: the number with every whitespace character removed. */
export function normalizePhoneNumber (phoneNumber: string): string {
  return phoneNumber.replace(/\s+/gu, '')
}

/**
 * Upstream's e-mail pattern. Python's re.match lets `$` match before a final line feed; JavaScript's
 * does not, so "a@b.cd\n" is refused here (it would be hashed with its line feed upstream).
 */
export function checkEmailAddress (emailAddress: string): Outcome<string> {
  if (emailAddress.length > MAX_EMAIL_CHARS || !EMAIL_PATTERN.test(emailAddress)) return fail(errorCodes.relayInvalidInput, 'Invalid email address format.')
  return succeed(emailAddress)
}

/**
 * Lenient base64 of the app (relay-wire.md conventions): Android's Base64.DEFAULT appends a line
 * feed and wraps at 76 characters, so whitespace is ignored; the rest must be standard padded
 * base64. Upstream's decoder also drops any other non-alphabet character; we refuse those.
 */
export function decodeLenientBase64 (text: string): Buffer | undefined {
  if (text.length > MAX_BASE64_FIELD_CHARS) return undefined
  const compact = text.replace(/\s+/g, '')
  return isStandardBase64(compact) ? Buffer.from(compact, 'base64') : undefined
}

/**
 * A client X25519 public key field: base64 of the raw 32 bytes. Upstream's `cryptography` checks
 * only the length; we also refuse low-order points, on which every DH of relay.md §2 would fail
 * later (upstream answers those with an internal error).
 */
export function checkX25519PublicKeyField (fieldName: string, text: string): Outcome<Buffer> {
  const key = decodeLenientBase64(text)
  if (key === undefined) return fail(errorCodes.relayInvalidInput, `The ${fieldName} field has an Invalid base64 encoding.`)
  if (key.length !== X25519_KEY_BYTES) return fail(errorCodes.relayInvalidInput, `The ${fieldName} field has an Invalid X25519 public key: An X25519 public key is 32 bytes long.`)
  if (agree(PROBE_PRIVATE_KEY, key) === undefined) return fail(errorCodes.relayInvalidInput, `The ${fieldName} field has an Invalid X25519 public key: it is a low-order point.`)
  return succeed(key)
}
