import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto'
import { hmacSha256 } from '../../crypto/hmac-sha256.ts'
import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'

// Fernet (the spec of github.com/fernet/spec, as Python `cryptography` implements it), written on
// node:crypto for the long-lived token (relay.md §2). The key is 32 bytes: the first 16 sign
// (HMAC-SHA256), the last 16 encrypt (AES-128-CBC, PKCS#7). A token is URL-safe base64, with
// padding, of 0x80 ‖ timestamp (u64 BE seconds) ‖ IV (16) ‖ ciphertext ‖ HMAC over all before.

const VERSION = 0x80
const HEAD_BYTES = 1 + 8 + 16
const MAC_BYTES = 32
/** Ours: tokens we open are long-lived tokens, well under this. */
const MAX_TOKEN_CHARS = 4096

export interface FernetOptions {
  /** Seconds since the epoch; now by default. Pinned by tests to reproduce upstream tokens. */
  readonly nowSeconds?: number
  /** 16 bytes; random by default. */
  readonly iv?: Buffer
}

export function fernetEncrypt (key: Buffer, plaintext: Buffer, options: FernetOptions = {}): string {
  const iv = options.iv ?? randomBytes(16)
  const head = Buffer.alloc(9)
  head[0] = VERSION
  head.writeBigUInt64BE(BigInt(options.nowSeconds ?? Math.floor(Date.now() / 1000)), 1)
  const cipher = createCipheriv('aes-128-cbc', key.subarray(16, 32), iv)
  const body = Buffer.concat([head, iv, cipher.update(plaintext), cipher.final()])
  const mac = hmacSha256(key.subarray(0, 16), body)
  // URL-safe base64 with its padding, as Python's urlsafe_b64encode writes it.
  return Buffer.concat([body, mac]).toString('base64').replaceAll('+', '-').replaceAll('/', '_')
}

/** Opens a token (no time-to-live check: upstream's long-lived tokens are opened by the app). */
export function fernetDecrypt (key: Buffer, token: string): Outcome<Buffer> {
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+={0,2}$/.test(token)) return invalid()
  const bytes = Buffer.from(token, 'base64url')
  if (bytes.length < HEAD_BYTES + 16 + MAC_BYTES || bytes[0] !== VERSION || (bytes.length - HEAD_BYTES - MAC_BYTES) % 16 !== 0) return invalid()
  const body = bytes.subarray(0, bytes.length - MAC_BYTES)
  const expected = hmacSha256(key.subarray(0, 16), body)
  if (!timingSafeEqual(expected, bytes.subarray(bytes.length - MAC_BYTES))) return invalid()
  try {
    const decipher = createDecipheriv('aes-128-cbc', key.subarray(16, 32), body.subarray(9, HEAD_BYTES))
    return succeed(Buffer.concat([decipher.update(body.subarray(HEAD_BYTES)), decipher.final()]))
  } catch {
    return invalid()
  }
}

function invalid (): Outcome<Buffer> {
  return fail(errorCodes.relayTokenInvalid, 'Fernet token does not open with this key')
}
