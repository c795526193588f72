import { createHmac, createSecretKey, type Hmac, type KeyObject } from 'node:crypto'

// The relay's keyed digests (identifier hashes, the device and platform-account lookups, the
// publication key, OTP and rate-limit keys, segment keys) are HMAC-SHA512 under long-lived server
// keys. createHmac handed a key Buffer turns it into a key object on every call: about 12 µs of
// the 15 µs a digest costs on this machine (CPU time per call), three to four digests a publish.
// The key object is made once per key Buffer and kept as long as that Buffer is.

const keyObjects = new WeakMap<Buffer, KeyObject>()

/** An HMAC-SHA512 under `key`, a long-lived key that is never changed in place. */
export function keyedHmac (key: Buffer): Hmac {
  let keyObject = keyObjects.get(key)
  if (keyObject === undefined) {
    keyObject = createSecretKey(key)
    keyObjects.set(key, keyObject)
  }
  return createHmac('sha512', keyObject)
}
