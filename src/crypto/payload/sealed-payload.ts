import type { KeyObject } from 'node:crypto'
import { SmsgwError, errorCodes } from '../../errors.ts'
import { decodeBase64 } from '../base64.ts'
import { keyIdOf, type VaultKey } from '../vault/vault-key.ts'
import { isLegacyPayload, legacyWrappedKeyBytes, openLegacy, sealLegacy } from './legacy-format.ts'
import { decodeV2, isV2Payload, openV2Holder, openV2Rsa, openV2X25519, sealV2Holder, sealV2Rsa, sealV2X25519, v2Suites } from './v2-format.ts'

export const payloadFormats = { legacy: 'legacy', v2: 'v2' } as const
export type PayloadFormat = typeof payloadFormats[keyof typeof payloadFormats]
export const allowedPayloadFormats: readonly PayloadFormat[] = Object.values(payloadFormats)

/**
 * Seals `plaintext` to a client's public key and returns standard base64 on one line.
 * The legacy format takes RSA keys only; v2 takes RSA and X25519.
 */
export function sealPayload (publicKey: KeyObject, plaintext: Buffer, format: PayloadFormat): string {
  const keyType = publicKey.asymmetricKeyType
  if (keyType !== 'rsa' && keyType !== 'x25519') {
    throw new SmsgwError(errorCodes.unsupportedKey, `cannot seal to a ${keyType ?? 'secret'} key (RSA or X25519 only)`)
  }
  if (format === payloadFormats.legacy) {
    if (keyType !== 'rsa') throw new SmsgwError(errorCodes.unsupportedKey, 'the legacy format takes RSA keys only; use --format v2')
    return sealLegacy(publicKey, plaintext).toString('base64')
  }
  const keyId = keyIdOf(publicKey)
  const sealed = keyType === 'rsa' ? sealV2Rsa(publicKey, keyId, plaintext) : sealV2X25519(publicKey, keyId, plaintext)
  return sealed.toString('base64')
}

/**
 * Seals `plaintext` as the holder of `key`'s private half (v2 suite 03) and returns standard
 * base64 on one line. For a sender that holds the recipient's vault key, as the relay does inside
 * the gateway: no key agreement, so ~15 µs of CPU against ~130 for an HPKE seal, and ~11 against
 * ~80 to open. Only a holder of the private key can make such a payload (clients hold public keys
 * only).
 */
export function sealPayloadAsHolder (key: VaultKey, plaintext: Buffer): string {
  return sealV2Holder(key.privateKey, key.keyId, plaintext).toString('base64')
}

/**
 * Opens a base64 payload in either format with one of a client's keys (current first, then
 * retired ones). Throws an SmsgwError whose code says what failed; its message never holds
 * plaintext.
 */
export function openPayload (text: string, keys: readonly VaultKey[]): Buffer {
  const sealed = decodeBase64(text)
  if (isLegacyPayload(sealed)) return openLegacyWithAny(sealed, keys)
  if (isV2Payload(sealed)) return openV2(sealed, keys)
  throw new SmsgwError(errorCodes.badMagic, 'payload has an unknown format (bad magic)')
}

// A legacy payload names no key: try each RSA key of the right size. OAEP tells a wrong key
// apart with overwhelming probability, so padding errors after it are real.
function openLegacyWithAny (sealed: Buffer, keys: readonly VaultKey[]): Buffer {
  const wrappedBytes = legacyWrappedKeyBytes(sealed)
  const candidates = keys.filter(key => key.type === 'rsa' && modulusBytes(key.privateKey) === wrappedBytes)
  if (candidates.length === 0) {
    throw new SmsgwError(errorCodes.wrongKey, `payload was sealed to a ${wrappedBytes * 8}-bit RSA key this client has not`)
  }
  let lastError: unknown
  for (const key of candidates) {
    try {
      return openLegacy(key.privateKey, sealed)
    } catch (error) {
      if (!(error instanceof SmsgwError) || error.code !== errorCodes.wrongKey) throw error
      lastError = error
    }
  }
  throw lastError
}

function openV2 (sealed: Buffer, keys: readonly VaultKey[]): Buffer {
  const payload = decodeV2(sealed)
  const key = keys.find(candidate => candidate.keyId.equals(payload.keyId))
  if (key === undefined) {
    throw new SmsgwError(errorCodes.unknownKey, `payload was sealed to key ${payload.keyId.toString('hex')}, which this client has not`)
  }
  if (payload.suite === v2Suites.holderAes256Gcm) return openV2Holder(key.privateKey, payload)
  if (payload.suite === v2Suites.rsaOaepAes256Gcm) {
    if (key.type !== 'rsa') throw new SmsgwError(errorCodes.unsupportedKey, 'payload suite needs an RSA key')
    return openV2Rsa(key.privateKey, payload)
  }
  if (key.type !== 'x25519') throw new SmsgwError(errorCodes.unsupportedKey, 'payload suite needs an X25519 key')
  return openV2X25519(key.privateKey, key.publicKey, payload)
}

const modulusSizes = new WeakMap<KeyObject, number>()

function modulusBytes (key: KeyObject): number {
  let bytes = modulusSizes.get(key)
  if (bytes === undefined) {
    bytes = (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8
    modulusSizes.set(key, bytes)
  }
  return bytes
}
