import { createSecretKey, hkdfSync } from 'node:crypto'
import { hmacSha256 } from '../../crypto/hmac-sha256.ts'

// The key derivations of relay.md §3, as upstream libsig protocols.py computes them. hkdfSync
// takes its input key as a secret KeyObject: a Buffer costs ~5 µs more per call (node's key
// brand checks throw and catch; see crypto/x25519-key.ts).

const ENCRYPT_SALT = Buffer.alloc(80)
const CHAIN_STEP = Buffer.from([0x01])
const MESSAGE_STEP = Buffer.from([0x02])

/** KDF_RK(rk, dh) = HKDF-SHA512(ikm = dh, salt = rk, info = "KDF_RK", 64): new root key, chain key. */
export function kdfRootKey (rootKey: Buffer, dhOutput: Buffer): { rootKey: Buffer, chainKey: Buffer } {
  const okm = Buffer.from(hkdfSync('sha512', createSecretKey(dhOutput), rootKey, 'KDF_RK', 64))
  return { rootKey: okm.subarray(0, 32), chainKey: okm.subarray(32, 64) }
}

/** KDF_CK(ck): next chain key = HMAC-SHA256(ck, 0x01), message key = HMAC-SHA256(ck, 0x02). */
export function kdfChainKey (chainKey: Buffer): { chainKey: Buffer, messageKey: Buffer } {
  return {
    chainKey: hmacSha256(chainKey, CHAIN_STEP),
    messageKey: hmacSha256(chainKey, MESSAGE_STEP)
  }
}

/** The keys ENCRYPT derives from a message key: HKDF-SHA512(mk, salt = 80 zero bytes, "ENCRYPT", 80). */
export interface MessageCipherKeys {
  readonly aesKey: Buffer
  readonly macKey: Buffer
  readonly iv: Buffer
}

export function messageCipherKeys (messageKey: Buffer): MessageCipherKeys {
  const okm = Buffer.from(hkdfSync('sha512', createSecretKey(messageKey), ENCRYPT_SALT, 'ENCRYPT', 80))
  return { aesKey: okm.subarray(0, 32), macKey: okm.subarray(32, 64), iv: okm.subarray(64, 80) }
}
