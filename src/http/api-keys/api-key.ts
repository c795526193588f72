import { hash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

// An API key is `smsgw_<id>_<secret>`: a public id of 12 hex digits, which finds the stored entry
// in one map lookup, and a secret of 32 random bytes in base64url (43 characters). Only a scrypt
// hash of the whole key is stored; the key itself is shown once, when it is created.

export const API_KEY_PREFIX = 'smsgw_'
export const KEY_ID_BYTES = 6
export const KEY_SECRET_BYTES = 32
export const SALT_BYTES = 16
export const HASH_BYTES = 32

const API_KEY = /^smsgw_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/

// An operator key (the dashboard, and /metrics when protected) is `smsgw_op_<id>_<secret>`, made
// and stored the same way. The prefix keeps the two kinds apart: neither ever parses as the other.
export const OPERATOR_KEY_PREFIX = 'smsgw_op_'
const OPERATOR_KEY = /^smsgw_op_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/

/** scrypt's cost parameters (RFC 7914), kept beside each hash so they can change for new keys. */
export interface ScryptParams {
  readonly cost: number
  readonly blockSize: number
  readonly parallelization: number
}

/**
 * Node's defaults (N = 2^14, r = 8, p = 1): about 16 MiB and 50–100 ms a hash. The secret has
 * 256 random bits, so the cost is defence in depth rather than what protects it; the verified
 * cache of the store keeps it off the path of every request.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ cost: 16_384, blockSize: 8, parallelization: 1 })

/** A new key and its id; an operator key with `prefix` OPERATOR_KEY_PREFIX. */
export function generateApiKey (prefix = API_KEY_PREFIX): { id: string, key: string } {
  const id = randomBytes(KEY_ID_BYTES).toString('hex')
  return { id, key: `${prefix}${id}_${randomBytes(KEY_SECRET_BYTES).toString('base64url')}` }
}

/** The id of a well-formed client key, or null when `text` is not one (then no store lookup is needed). */
export function apiKeyIdOf (text: string): string | null {
  return API_KEY.exec(text)?.[1] ?? null
}

/** The id of a well-formed operator key, or null when `text` is not one. */
export function operatorKeyIdOf (text: string): string | null {
  return OPERATOR_KEY.exec(text)?.[1] ?? null
}

/** The scrypt hash of `key` under `salt`. Runs on libuv's thread pool. */
export async function hashApiKey (key: string, salt: Buffer, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<Buffer> {
  const { cost: N, blockSize: r, parallelization: p } = params
  // scrypt needs 128·N·r bytes; the default maxmem (32 MiB) would refuse N = 2^15 and up.
  const maxmem = 256 * N * r + 1024 * 1024
  return await new Promise((resolve, reject) => {
    scrypt(key, salt, HASH_BYTES, { N, r, p, maxmem }, (error, hash) => {
      if (error === null) resolve(hash)
      else reject(error)
    })
  })
}

/** A fresh salt for hashApiKey. */
export function newSalt (): Buffer {
  return randomBytes(SALT_BYTES)
}

/** SHA-256 of the key: what a verified key is remembered by in memory (never stored). */
export function digestApiKey (key: string): Buffer {
  // One-shot: no Hash object per request (1.5 -> 1.1 us CPU a key).
  return hash('sha256', key, 'buffer')
}

/** Constant-time equality of two hashes; false when their lengths differ. */
export function sameHash (a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}
