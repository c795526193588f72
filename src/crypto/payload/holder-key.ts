import { createHmac, createSecretKey, type KeyObject } from 'node:crypto'

// The key of v2 suite 03, "sealed by the key's holder" (docs/sealed-payload-v2.md): the sealer
// holds the recipient's private key (the relay, inside the gateway with its vault), so no key
// agreement is needed. Each payload's single-use AES-256-GCM key is
//   HKDF-SHA256(IKM = the private key's PKCS#8 DER, salt = HOLDER_SALT, info = HOLDER_INFO || seed, L = 32)
// with a fresh random seed per payload. HKDF-Extract depends on the key alone, so it runs once
// per key and its result, the holder secret, is kept as a secret KeyObject; each payload then
// runs HKDF-Expand, which for 32 bytes is one HMAC (3.4 µs, against 7.5 µs for a whole hkdfSync
// of key and nonce; CPU per call, medians of five rounds).

export const HOLDER_SEED_BYTES = 16
export const HOLDER_SALT = Buffer.from('smsgw sealed payload v2 holder')
export const HOLDER_INFO = Buffer.from('smsgw sealed payload v2 holder key')
const FIRST_BLOCK = Buffer.of(1)

// Keyed by the private KeyObject: a vault reload makes new key objects, and the old ones' secrets go with them.
const holderSecrets = new WeakMap<KeyObject, KeyObject>()

function holderSecretOf (privateKey: KeyObject): KeyObject {
  let secret = holderSecrets.get(privateKey)
  if (secret === undefined) {
    const der = privateKey.export({ type: 'pkcs8', format: 'der' })
    const prk = createHmac('sha256', HOLDER_SALT).update(der).digest()
    secret = createSecretKey(prk)
    der.fill(0)
    prk.fill(0)
    holderSecrets.set(privateKey, secret)
  }
  return secret
}

/** The AES-256 key of the payload with `seed`, for the holder of `privateKey`. Used once; the caller zeroes it. */
export function holderPayloadKey (privateKey: KeyObject, seed: Buffer): Buffer {
  return createHmac('sha256', holderSecretOf(privateKey)).update(HOLDER_INFO).update(seed).update(FIRST_BLOCK).digest()
}
