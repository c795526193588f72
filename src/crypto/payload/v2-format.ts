import { constants, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto'
import { SmsgwError, errorCodes } from '../../errors.ts'
import { openGcm, sealGcm, TAG_BYTES } from './aes-gcm.ts'
import { HOLDER_SEED_BYTES, holderPayloadKey } from './holder-key.ts'
import { hpkeAeads, setupBaseReceiver, setupBaseSender } from './hpke.ts'

// Our authenticated format, "v2" (docs/sealed-payload-v2.md has the byte map):
//   0   3  magic "SGW"
//   3   1  version 0x02
//   4   1  suite (below)
//   5   8  key id: SHA-256(recipient SPKI DER)[0..8], so a client can rotate keys
//   13  2  E, the length of the encapsulated key, big-endian
//   15  E  encapsulated key
//   15+E   AEAD ciphertext || 16-byte tag
// The AEAD's associated data is the whole header (bytes 0 to 15+E), so no header byte can
// change without the tag failing.

export const V2_MAGIC = Buffer.from('SGW')
export const V2_VERSION = 0x02
export const v2Suites = {
  /** RSA-OAEP(SHA-256) wraps a fresh AES-256 key; AES-256-GCM seals the text. */
  rsaOaepAes256Gcm: 0x01,
  /** HPKE base mode: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM. */
  hpkeX25519Aes256Gcm: 0x02,
  /** Sealed by the holder of the recipient's private key: HKDF-SHA256 from that key and a random seed, AES-256-GCM. */
  holderAes256Gcm: 0x03
} as const
export type V2Suite = typeof v2Suites[keyof typeof v2Suites]

const FIXED_HEADER_BYTES = 15
const KEY_ID_OFFSET = 5
const KEY_ID_BYTES = 8
const ENC_LENGTH_OFFSET = 13
const AES_KEY_BYTES = 32
// The RSA and holder suites' AES keys are fresh for every payload and used once, so a constant nonce is safe.
const SINGLE_USE_NONCE = Buffer.alloc(12)
const HPKE_INFO = Buffer.from('smsgw sealed payload v2')
const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const

export interface V2Payload {
  suite: V2Suite
  keyId: Buffer
  enc: Buffer
  ciphertext: Buffer
  /** The header bytes, authenticated as associated data. */
  aad: Buffer
}

export function isV2Payload (sealed: Buffer): boolean {
  return sealed.length >= 4 && sealed.subarray(0, 3).equals(V2_MAGIC) && sealed[3] === V2_VERSION
}

export function decodeV2 (sealed: Buffer): V2Payload {
  if (!isV2Payload(sealed)) throw new SmsgwError(errorCodes.badMagic, 'payload has an unknown format (bad magic)')
  if (sealed.length < FIXED_HEADER_BYTES) throw new SmsgwError(errorCodes.truncated, 'payload is truncated')
  const suite = sealed[4]
  if (suite !== v2Suites.rsaOaepAes256Gcm && suite !== v2Suites.hpkeX25519Aes256Gcm && suite !== v2Suites.holderAes256Gcm) {
    throw new SmsgwError(errorCodes.badMagic, `payload names an unknown suite ${suite}`)
  }
  const ciphertextStart = FIXED_HEADER_BYTES + sealed.readUInt16BE(ENC_LENGTH_OFFSET)
  if (sealed.length < ciphertextStart + TAG_BYTES) throw new SmsgwError(errorCodes.truncated, 'payload is truncated')
  return {
    suite,
    keyId: sealed.subarray(KEY_ID_OFFSET, KEY_ID_OFFSET + KEY_ID_BYTES),
    enc: sealed.subarray(FIXED_HEADER_BYTES, ciphertextStart),
    ciphertext: sealed.subarray(ciphertextStart),
    aad: sealed.subarray(0, ciphertextStart)
  }
}

function encodeHeader (suite: V2Suite, keyId: Buffer, enc: Buffer): Buffer {
  const header = Buffer.alloc(FIXED_HEADER_BYTES + enc.length)
  V2_MAGIC.copy(header, 0)
  header[3] = V2_VERSION
  header[4] = suite
  keyId.copy(header, KEY_ID_OFFSET, 0, KEY_ID_BYTES)
  header.writeUInt16BE(enc.length, ENC_LENGTH_OFFSET)
  enc.copy(header, FIXED_HEADER_BYTES)
  return header
}

export function sealV2Rsa (publicKey: KeyObject, keyId: Buffer, plaintext: Buffer): Buffer {
  const key = randomBytes(AES_KEY_BYTES)
  const header = encodeHeader(v2Suites.rsaOaepAes256Gcm, keyId, publicEncrypt({ key: publicKey, ...OAEP }, key))
  return Buffer.concat([header, sealGcm('aes-256-gcm', key, SINGLE_USE_NONCE, header, plaintext)])
}

export function openV2Rsa (privateKey: KeyObject, payload: V2Payload): Buffer {
  let key: Buffer
  try {
    key = privateDecrypt({ key: privateKey, ...OAEP }, payload.enc)
  } catch (cause) {
    throw new SmsgwError(errorCodes.wrongKey, 'payload was not sealed to this key', { cause })
  }
  if (key.length !== AES_KEY_BYTES) throw new SmsgwError(errorCodes.wrongKey, 'payload carries a key of the wrong size')
  return openGcm('aes-256-gcm', key, SINGLE_USE_NONCE, payload.aad, payload.ciphertext)
}

export function sealV2X25519 (publicKey: KeyObject, keyId: Buffer, plaintext: Buffer): Buffer {
  const { enc, context } = setupBaseSender(publicKey, HPKE_INFO, hpkeAeads.aes256gcm)
  const header = encodeHeader(v2Suites.hpkeX25519Aes256Gcm, keyId, enc)
  return Buffer.concat([header, sealGcm(context.cipher, context.key, context.nonce, header, plaintext)])
}

export function openV2X25519 (privateKey: KeyObject, publicKey: KeyObject, payload: V2Payload): Buffer {
  const context = setupBaseReceiver(payload.enc, privateKey, publicKey, HPKE_INFO, hpkeAeads.aes256gcm)
  return openGcm(context.cipher, context.key, context.nonce, payload.aad, payload.ciphertext)
}

/** Suite 03: `privateKey` is the recipient's own, held by the sealer; `seed` is given only by known-answer tests. */
export function sealV2Holder (privateKey: KeyObject, keyId: Buffer, plaintext: Buffer, seed: Buffer = randomBytes(HOLDER_SEED_BYTES)): Buffer {
  const header = encodeHeader(v2Suites.holderAes256Gcm, keyId, seed)
  const key = holderPayloadKey(privateKey, seed)
  try {
    return Buffer.concat([header, sealGcm('aes-256-gcm', key, SINGLE_USE_NONCE, header, plaintext)])
  } finally {
    key.fill(0)
  }
}

export function openV2Holder (privateKey: KeyObject, payload: V2Payload): Buffer {
  // The sealer always sends 16 bytes: another length is a changed header, as a failed tag would say.
  if (payload.enc.length !== HOLDER_SEED_BYTES) throw new SmsgwError(errorCodes.tampered, 'payload failed authentication (its seed is not 16 bytes)')
  const key = holderPayloadKey(privateKey, payload.enc)
  try {
    return openGcm('aes-256-gcm', key, SINGLE_USE_NONCE, payload.aad, payload.ciphertext)
  } finally {
    key.fill(0)
  }
}
