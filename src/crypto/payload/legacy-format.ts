import { constants, createCipheriv, createDecipheriv, createSecretKey, hash, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto'
import { SmsgwError, errorCodes } from '../../errors.ts'

// The legacy "ENC" format of the Java gateway (spec §3):
//   4 bytes  big-endian word: top 18 bits = 0x4342 (magic), low 14 bits = N
//   N bytes  RSA-OAEP(SHA-256, MGF1-SHA-256, empty label) of a fresh 32-byte key K
//   rest     AES-256-CFB128 of the PKCS#7-padded plaintext, IV = MD5(K), no IV sent
// It has no integrity tag: a flipped bit in the body yields garbage or a padding error.

export const LEGACY_MAGIC = 0x4342
const LENGTH_BITS = 14
const HEADER_BYTES = 4
const AES_KEY_BYTES = 32
const AES_BLOCK_BYTES = 16

/** True when the bytes start with the legacy magic. */
export function isLegacyPayload (sealed: Buffer): boolean {
  return sealed.length >= HEADER_BYTES && sealed.readUInt32BE(0) >>> LENGTH_BITS === LEGACY_MAGIC
}

/** The RSA modulus size in bytes that the payload's wrapped key was made with. */
export function legacyWrappedKeyBytes (sealed: Buffer): number {
  return sealed.readUInt32BE(0) & ((1 << LENGTH_BITS) - 1)
}

export function sealLegacy (publicKey: KeyObject, plaintext: Buffer): Buffer {
  const key = randomBytes(AES_KEY_BYTES)
  const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, key)
  const header = Buffer.alloc(HEADER_BYTES)
  header.writeUInt32BE(((LEGACY_MAGIC << LENGTH_BITS) | wrapped.length) >>> 0)
  const cipher = createCipheriv('aes-256-cfb', createSecretKey(key), ivFor(key))
  const body = Buffer.concat([cipher.update(addPkcs7(plaintext)), cipher.final()])
  return Buffer.concat([header, wrapped, body])
}

/**
 * Opens a legacy payload with one RSA private key.
 * Rejects with SMSGW_BAD_MAGIC, SMSGW_TRUNCATED, SMSGW_WRONG_KEY or SMSGW_BAD_PADDING.
 */
export function openLegacy (privateKey: KeyObject, sealed: Buffer): Buffer {
  if (!isLegacyPayload(sealed)) throw new SmsgwError(errorCodes.badMagic, 'payload has an unknown format (bad magic)')
  const wrappedBytes = legacyWrappedKeyBytes(sealed)
  const bodyStart = HEADER_BYTES + wrappedBytes
  if (sealed.length < bodyStart + AES_BLOCK_BYTES) throw new SmsgwError(errorCodes.truncated, 'payload is truncated')
  let key: Buffer
  try {
    key = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, sealed.subarray(HEADER_BYTES, bodyStart))
  } catch (cause) {
    throw new SmsgwError(errorCodes.wrongKey, 'payload was not sealed to this key', { cause })
  }
  if (key.length !== AES_KEY_BYTES) throw new SmsgwError(errorCodes.wrongKey, 'payload carries a key of the wrong size')
  // A secret KeyObject, not the Buffer: ~13 µs less per cipher object (see aes-gcm.ts).
  const decipher = createDecipheriv('aes-256-cfb', createSecretKey(key), ivFor(key))
  const padded = Buffer.concat([decipher.update(sealed.subarray(bodyStart)), decipher.final()])
  return stripPkcs7(padded)
}

function ivFor (key: Buffer): Buffer {
  return hash('md5', key, 'buffer')
}

// CFB is a stream mode, so Node neither adds nor strips padding; Java's
// AES/CFB/PKCS5Padding pads to whole blocks, so we do it here.
function addPkcs7 (plaintext: Buffer): Buffer {
  const padBytes = AES_BLOCK_BYTES - (plaintext.length % AES_BLOCK_BYTES)
  return Buffer.concat([plaintext, Buffer.alloc(padBytes, padBytes)])
}

function stripPkcs7 (padded: Buffer): Buffer {
  const padBytes = padded.at(-1) ?? 0
  let valid = padded.length % AES_BLOCK_BYTES === 0 && padBytes >= 1 && padBytes <= AES_BLOCK_BYTES
  for (let i = 1; valid && i <= padBytes; i++) valid = padded[padded.length - i] === padBytes
  if (!valid) throw new SmsgwError(errorCodes.badPadding, 'payload has bad padding (wrong key or corrupted body)')
  return padded.subarray(0, padded.length - padBytes)
}
