import { SmsgwError, errorCodes } from '../errors.ts'

// Standard alphabet, padded, on one line. Buffer.from(…, 'base64') silently skips junk,
// which would turn a mangled payload into a confusing decryption failure further down.
export const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Decodes standard padded base64, tolerating surrounding whitespace (a trailing newline, say). */
export function decodeBase64 (text: string, what = 'payload'): Buffer {
  const trimmed = text.trim()
  if (trimmed.length === 0 || !STANDARD_BASE64.test(trimmed)) {
    throw new SmsgwError(errorCodes.badBase64, `${what} is not valid base64`)
  }
  return Buffer.from(trimmed, 'base64')
}
