import { createPublicKey, createSecretKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto'
import { X25519_KEY_BYTES, x25519PrivateKeyFromRaw, x25519PublicKeyFromRaw } from '../../crypto/x25519-key.ts'

// relay.md §2: every "DH" of RelaySMS, in the handshake and at each ratchet step, is
// HKDF-SHA256(ikm = X25519(priv, pub), salt = none, info = "x25591_key_exchange", 32 bytes).
// The misspelt info string is the protocol's (upstream libsig keypairs.py), not a typo of ours.
const DH_INFO = 'x25591_key_exchange'
const NO_SALT = Buffer.alloc(0)
export { X25519_KEY_BYTES }

/** An X25519 key pair as raw 32-byte strings, the form upstream stores and the wire carries. */
export interface X25519KeyPair {
  readonly privateKey: Buffer
  readonly publicKey: Buffer
}

/** Makes a fresh key pair. Injectable wherever keys are generated, so vectors can be replayed. */
export type GenerateKeyPair = () => X25519KeyPair

// The private KeyObject of each pair made here, keyed by the pair's own (never written) private
// Buffer: a DH ratchet step generates a pair and agrees with it at once, and importing a raw
// private key costs ~40 µs of CPU (OpenSSL derives its public half), as much as the agreement.
// The entry lives exactly as long as the Buffer that holds the same secret.
const privateKeyObjects = new WeakMap<Buffer, KeyObject>()

function remembered (privateKey: KeyObject, publicKey: KeyObject): X25519KeyPair {
  const pair = { privateKey: privateKey.export({ format: 'raw-private' }), publicKey: publicKey.export({ format: 'raw-public' }) }
  privateKeyObjects.set(pair.privateKey, privateKey)
  return pair
}

export function keyPairFromPrivate (privateKey: Buffer): X25519KeyPair {
  const keyObject = x25519PrivateKeyFromRaw(privateKey)
  return remembered(keyObject, createPublicKey(keyObject))
}

// generateKeyPairSync and two raw exports: ~42 µs, against ~93 µs for importing 32 random bytes
// as PKCS#8 and exporting the public half as SPKI (CPU time per call, docs/performance.md).
export const generateX25519KeyPair: GenerateKeyPair = () => {
  const pair = generateKeyPairSync('x25519')
  return remembered(pair.privateKey, pair.publicKey)
}

/**
 * The raw X25519 agreement. Throws (OpenSSL) for a low-order public key, whose result would be
 * all zeros; callers that take the public key from a client catch that (see `agree`).
 */
export function x25519 (privateKey: Buffer, publicKey: Buffer): Buffer {
  const ours = privateKeyObjects.get(privateKey) ?? x25519PrivateKeyFromRaw(privateKey)
  return diffieHellman({ privateKey: ours, publicKey: x25519PublicKeyFromRaw(publicKey) })
}

/**
 * The DH of relay.md §2, or undefined when the public key is not 32 bytes or is a low-order
 * point (upstream's `cryptography` refuses the same keys with an exception).
 */
export function agree (privateKey: Buffer, publicKey: Buffer): Buffer | undefined {
  if (publicKey.length !== X25519_KEY_BYTES || privateKey.length !== X25519_KEY_BYTES) return undefined
  let raw: Buffer
  try {
    raw = x25519(privateKey, publicKey)
  } catch {
    return undefined
  }
  // A secret KeyObject as the input key: ~5 µs less than a Buffer (see kdf.ts).
  return Buffer.from(hkdfSync('sha256', createSecretKey(raw), NO_SALT, DH_INFO, 32))
}
