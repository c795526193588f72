import { createHmac, type Hmac } from 'node:crypto'
import { keyObjectOf } from './key-objects.ts'

// The relay's keyed digests (identifier hashes, the device and platform-account lookups, the
// publication key, OTP and rate-limit keys, segment keys) are HMAC-SHA512 under long-lived server
// keys, on their kept key objects (key-objects.ts): three to four digests a publish.

/** An HMAC-SHA512 under `key`, a long-lived key that is never changed in place. */
export function keyedHmac (key: Buffer): Hmac {
  return createHmac('sha512', keyObjectOf(key))
}
