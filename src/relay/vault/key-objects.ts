import { createSecretKey, type KeyObject } from 'node:crypto'

// The key objects of the relay's long-lived server keys (the identifier key and what is derived
// from it once, the sealing key ring's keys), made once per key Buffer and kept as long as that
// Buffer is. node:crypto handed a key Buffer turns it into a key object on every call: about 12 µs
// of the 15 µs an HMAC-SHA512 digest costs, ~2.4 µs of the ~7 µs an AES-GCM seal of 300 bytes
// costs (CPU time per call, this machine). Never for per-message keys: theirs must not outlive
// their message.

const keyObjects = new WeakMap<Buffer, KeyObject>()

/** The key object of `key`, a long-lived key that is never changed in place. */
export function keyObjectOf (key: Buffer): KeyObject {
  let keyObject = keyObjects.get(key)
  if (keyObject === undefined) {
    keyObject = createSecretKey(key)
    keyObjects.set(key, keyObject)
  }
  return keyObject
}
