import { createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { SmsgwError, errorCodes } from '../../errors.ts'
import { hmacSha256 } from '../hmac-sha256.ts'
import { X25519_KEY_BYTES, x25519PublicKeyFromRaw } from '../x25519-key.ts'
import type { GcmCipher } from './aes-gcm.ts'

// HPKE (RFC 9180), base mode, single-shot: one message per context, so the nonce is
// base_nonce itself (sequence 0). KEM DHKEM(X25519, HKDF-SHA256), KDF HKDF-SHA256, AEAD
// AES-256-GCM; AES-128-GCM is kept so the RFC's appendix A.1 vectors test the construction.

const KEM_X25519_HKDF_SHA256 = 0x0020
const KDF_HKDF_SHA256 = 0x0001
export const hpkeAeads = {
  aes128gcm: { id: 0x0001, cipher: 'aes-128-gcm', keyBytes: 16 },
  aes256gcm: { id: 0x0002, cipher: 'aes-256-gcm', keyBytes: 32 }
} as const satisfies Record<string, { id: number, cipher: GcmCipher, keyBytes: number }>
export type HpkeAead = typeof hpkeAeads[keyof typeof hpkeAeads]

const NONCE_BYTES = 12
const SHARED_SECRET_BYTES = 32
const MODE_BASE = 0x00
const HPKE_V1 = Buffer.from('HPKE-v1')
const KEM_SUITE_ID = Buffer.concat([Buffer.from('KEM'), u16(KEM_X25519_HKDF_SHA256)])

/** The AEAD key and nonce of one single-shot HPKE context. */
export interface HpkeContext {
  cipher: GcmCipher
  key: Buffer
  nonce: Buffer
}

const rawPublicKeys = new WeakMap<KeyObject, Buffer>()

/** The 32 raw bytes of an X25519 public key, cached per KeyObject (the hot path asks often). */
export function rawX25519PublicKey (publicKey: KeyObject): Buffer {
  let raw = rawPublicKeys.get(publicKey)
  if (raw === undefined) {
    raw = publicKey.export({ format: 'raw-public' })
    rawPublicKeys.set(publicKey, raw)
  }
  return raw
}

/** SetupBaseS: a fresh ephemeral key (or the given one, for known-answer tests) and the context. */
export function setupBaseSender (recipient: KeyObject, info: Buffer, aead: HpkeAead, ephemeral?: KeyObject): { enc: Buffer, context: HpkeContext } {
  // A generated pair comes with its public KeyObject, whose raw export costs ~1 µs (the SPKI
  // export it replaced cost ~23 µs per seal).
  const pair = ephemeral === undefined ? generateKeyPairSync('x25519') : { privateKey: ephemeral, publicKey: createPublicKey(ephemeral) }
  const enc = pair.publicKey.export({ format: 'raw-public' })
  const dh = diffieHellman({ privateKey: pair.privateKey, publicKey: recipient })
  const sharedSecret = extractAndExpand(dh, Buffer.concat([enc, rawX25519PublicKey(recipient)]))
  return { enc, context: keySchedule(sharedSecret, info, aead) }
}

/** SetupBaseR for the key pair (`privateKey`, `publicKey`). Rejects on a malformed or low-order `enc`. */
export function setupBaseReceiver (enc: Buffer, privateKey: KeyObject, publicKey: KeyObject, info: Buffer, aead: HpkeAead): HpkeContext {
  if (enc.length !== X25519_KEY_BYTES) throw new SmsgwError(errorCodes.truncated, 'payload has a malformed encapsulated key')
  let dh: Buffer
  try {
    dh = diffieHellman({ privateKey, publicKey: x25519PublicKeyFromRaw(enc) })
  } catch (cause) {
    // OpenSSL refuses an all-zero shared secret from a low-order point (RFC 9180 §7.1.4).
    throw new SmsgwError(errorCodes.tampered, 'payload failed authentication (bad encapsulated key)', { cause })
  }
  const sharedSecret = extractAndExpand(dh, Buffer.concat([enc, rawX25519PublicKey(publicKey)]))
  return keySchedule(sharedSecret, info, aead)
}

function extractAndExpand (dh: Buffer, kemContext: Buffer): Buffer {
  const eaePrk = labeledExtract(KEM_SUITE_ID, EMPTY, 'eae_prk', dh)
  return labeledExpand(KEM_SUITE_ID, eaePrk, 'shared_secret', kemContext, SHARED_SECRET_BYTES)
}

const EMPTY = Buffer.alloc(0)
// key_schedule_context depends only on the suite and info, which are fixed per use: cache it.
const scheduleContexts = new Map<string, { suite: Buffer, context: Buffer }>()

function scheduleContext (info: Buffer, aead: HpkeAead): { suite: Buffer, context: Buffer } {
  const cacheKey = `${aead.id}:${info.toString('hex')}`
  let cached = scheduleContexts.get(cacheKey)
  if (cached === undefined) {
    const suite = Buffer.concat([Buffer.from('HPKE'), u16(KEM_X25519_HKDF_SHA256), u16(KDF_HKDF_SHA256), u16(aead.id)])
    const pskIdHash = labeledExtract(suite, EMPTY, 'psk_id_hash', EMPTY)
    const infoHash = labeledExtract(suite, EMPTY, 'info_hash', info)
    cached = { suite, context: Buffer.concat([Buffer.of(MODE_BASE), pskIdHash, infoHash]) }
    if (scheduleContexts.size < 16) scheduleContexts.set(cacheKey, cached)
  }
  return cached
}

function keySchedule (sharedSecret: Buffer, info: Buffer, aead: HpkeAead): HpkeContext {
  const { suite, context } = scheduleContext(info, aead)
  const secret = labeledExtract(suite, sharedSecret, 'secret', EMPTY)
  return {
    cipher: aead.cipher,
    key: labeledExpand(suite, secret, 'key', context, aead.keyBytes),
    nonce: labeledExpand(suite, secret, 'base_nonce', context, NONCE_BYTES)
  }
}

function labeledExtract (suite: Buffer, salt: Buffer, label: string, ikm: Buffer): Buffer {
  // HKDF-Extract with an empty salt is HMAC keyed with zeros, which HMAC's key padding gives.
  return hmacSha256(salt, HPKE_V1, suite, Buffer.from(label), ikm)
}

function labeledExpand (suite: Buffer, prk: Buffer, label: string, info: Buffer, lengthBytes: number): Buffer {
  // Every output here fits in one SHA-256 block, so HKDF-Expand is T(1) alone.
  return hmacSha256(prk, u16(lengthBytes), HPKE_V1, suite, Buffer.from(label), info, FIRST_BLOCK).subarray(0, lengthBytes)
}

const FIRST_BLOCK = Buffer.of(1)

function u16 (value: number): Buffer {
  const bytes = Buffer.allocUnsafe(2)
  bytes.writeUInt16BE(value)
  return bytes
}
