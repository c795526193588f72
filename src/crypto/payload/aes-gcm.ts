import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto'
import { SmsgwError, errorCodes } from '../../errors.ts'

export const TAG_BYTES = 16
export type GcmCipher = 'aes-128-gcm' | 'aes-256-gcm'

// The key goes in as a secret KeyObject: node:crypto handed a Buffer key spends ~13 µs more per
// cipher object than createSecretKey (~1 µs) plus a cipher on the KeyObject (CPU time per call,
// docs/performance.md). The KeyObject lives only as long as the call, unless the caller hands in
// one it keeps for a long-lived key (the relay's sealing keys: ~2.4 µs less a value).

/** AES-GCM encryption; returns ciphertext || 16-byte tag. */
export function sealGcm (cipherName: GcmCipher, key: Buffer | KeyObject, nonce: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv(cipherName, secretKeyOf(key), nonce).setAAD(aad)
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
}

/** AES-GCM decryption of ciphertext || tag. Rejects with SMSGW_TAMPERED when the tag fails. */
export function openGcm (cipherName: GcmCipher, key: Buffer | KeyObject, nonce: Buffer, aad: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < TAG_BYTES) throw new SmsgwError(errorCodes.truncated, 'payload is truncated')
  const tagStart = sealed.length - TAG_BYTES
  const decipher = createDecipheriv(cipherName, secretKeyOf(key), nonce, { authTagLength: TAG_BYTES }).setAAD(aad)
  decipher.setAuthTag(sealed.subarray(tagStart))
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, tagStart)), decipher.final()])
  } catch (cause) {
    throw new SmsgwError(errorCodes.tampered, 'payload failed authentication (tampered, or sealed to another key)', { cause })
  }
}

function secretKeyOf (key: Buffer | KeyObject): KeyObject {
  return Buffer.isBuffer(key) ? createSecretKey(key) : key
}
