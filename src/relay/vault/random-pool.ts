import { randomFillSync } from 'node:crypto'

// Random bytes for nonces and ids (not keys), drawn from a pool the CSPRNG refills 4 KiB at a
// time, as node:crypto's randomUUID does: randomBytes costs ~2 µs a call whatever the size (the
// call into OpenSSL), a draw from the pool ~0.2 µs (CPU time per call, this machine); a publish
// draws three (the forward's id, two sealing nonces). Each byte of the pool is handed out once.

const POOL_BYTES = 4096
const pool = Buffer.alloc(POOL_BYTES)
let used = POOL_BYTES

/** `size` (at most 4 KiB) fresh random bytes, a copy of the pool's. */
export function pooledRandomBytes (size: number): Buffer {
  if (size > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} pooled random bytes at once`)
  if (used + size > POOL_BYTES) {
    randomFillSync(pool)
    used = 0
  }
  const bytes = Buffer.from(pool.subarray(used, used + size))
  used += size
  return bytes
}
