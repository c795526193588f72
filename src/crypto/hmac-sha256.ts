import { hash } from 'node:crypto'

// HMAC-SHA256 (RFC 2104) over node's one-shot crypto.hash. createHmac builds an OpenSSL
// context per call, which costs ~25 µs on this machine against ~1.5 µs for a one-shot hash;
// the HPKE key schedule runs five HMACs per payload, so this matters on the hot path.

const BLOCK_BYTES = 64
const INNER_PAD = 0x36
const OUTER_PAD = 0x5c

/** HMAC-SHA256 of the concatenated `parts` under `key`. */
export function hmacSha256 (key: Buffer, ...parts: Buffer[]): Buffer {
  const block = Buffer.alloc(BLOCK_BYTES)
  if (key.length > BLOCK_BYTES) hash('sha256', key, 'buffer').copy(block)
  else key.copy(block)
  const inner = Buffer.allocUnsafe(BLOCK_BYTES)
  const outer = Buffer.allocUnsafe(BLOCK_BYTES + 32)
  for (let i = 0; i < BLOCK_BYTES; i++) {
    inner[i] = (block[i] as number) ^ INNER_PAD
    outer[i] = (block[i] as number) ^ OUTER_PAD
  }
  hash('sha256', Buffer.concat([inner, ...parts]), 'buffer').copy(outer, BLOCK_BYTES)
  return hash('sha256', outer, 'buffer')
}
