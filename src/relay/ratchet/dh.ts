import { createPrivateKey, createPublicKey, diffieHellman, hkdfSync, randomBytes } from 'node:crypto'

// relay.md §2: every "DH" of RelaySMS, in the handshake and at each ratchet step, is
// HKDF-SHA256(ikm = X25519(priv, pub), salt = none, info = "x25591_key_exchange", 32 bytes).
// The misspelt info string is the protocol's (upstream libsig keypairs.py), not a typo of ours.
const DH_INFO = 'x25591_key_exchange'
export const X25519_KEY_BYTES = 32

// Raw 32-byte X25519 keys wrapped in the fixed DER prefixes of PKCS#8 and SPKI (RFC 8410), so
// that node:crypto takes them without a JWK round trip.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex')

/** An X25519 key pair as raw 32-byte strings, the form upstream stores and the wire carries. */
export interface X25519KeyPair {
  readonly privateKey: Buffer
  readonly publicKey: Buffer
}

/** Makes a fresh key pair. Injectable wherever keys are generated, so vectors can be replayed. */
export type GenerateKeyPair = () => X25519KeyPair

export function keyPairFromPrivate (privateKey: Buffer): X25519KeyPair {
  const keyObject = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, privateKey]), format: 'der', type: 'pkcs8' })
  const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' })
  return { privateKey: Buffer.from(privateKey), publicKey: spki.subarray(SPKI_PREFIX.length) }
}

export const generateX25519KeyPair: GenerateKeyPair = () => keyPairFromPrivate(randomBytes(X25519_KEY_BYTES))

/**
 * The raw X25519 agreement. Throws (OpenSSL) for a low-order public key, whose result would be
 * all zeros; callers that take the public key from a client catch that (see `agree`).
 */
export function x25519 (privateKey: Buffer, publicKey: Buffer): Buffer {
  const ours = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, privateKey]), format: 'der', type: 'pkcs8' })
  const theirs = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })
  return diffieHellman({ privateKey: ours, publicKey: theirs })
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
  return Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), DH_INFO, 32))
}
