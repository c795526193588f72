import { openGcm, sealGcm, TAG_BYTES } from '../../crypto/payload/index.ts'
import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { keyObjectOf } from './key-objects.ts'
import { pooledRandomBytes } from './random-pool.ts'
import type { SealingKeyRing } from './sealing-key-ring.ts'

// Sealing at rest (relay.md §7, ours): AES-256-GCM under a key of the ring. A sealed value is
//
//   version u8 (= 1) ‖ key id length u8 ‖ key id (ASCII) ‖ nonce (12) ‖ ciphertext ‖ tag (16)
//
// and its associated data is that header ‖ "smsgw-relay-seal\0" ‖ field name ‖ "\0" ‖ entity id.
// The entity id binds the value to its account, the field name to its column: a value copied to
// another account or another field does not open. The nonce is random per seal (96 bits; a key
// seals far fewer than 2^32 values between rotations, so collisions are out of reach).

const SEAL_VERSION = 1
const NONCE_BYTES = 12
const CONTEXT = Buffer.from('smsgw-relay-seal\0')

/**
 * The fields that are sealed; the name is part of the associated data. The account's fields are
 * bound to the entity id; a platform token's two (platform-tokens.ts) to their row: the entity id,
 * platform and account digest joined by NULs in place of the entity id; the ingress's
 * (src/relay/ingress/) a forward and its answer to its id, an image-text segment's content to its session key and
 * segment number.
 */
export type SealedField = 'countryCode' | 'serverPublishKeyPair' | 'serverDeviceIdKeyPair' | 'clientPublishPublicKey' | 'clientDeviceIdPublicKey' | 'deviceId' | 'ratchetState' | 'platformToken' | 'platformAccountIdentifier' | 'ingressForward' | 'ingressResult' | 'ingressSegment'

export function seal (ring: SealingKeyRing, field: SealedField, entityId: string, plaintext: Buffer): Buffer {
  const { id, key } = ring.current
  const header = Buffer.concat([Buffer.from([SEAL_VERSION, id.length]), Buffer.from(id, 'ascii')])
  const nonce = pooledRandomBytes(NONCE_BYTES)
  return Buffer.concat([header, nonce, sealGcm('aes-256-gcm', keyObjectOf(key), nonce, associatedData(header, field, entityId), plaintext)])
}

/**
 * Opens a sealed value of `field` of `entityId`. A value of another account or field, under a key
 * the ring does not hold, tampered or truncated is SMSGW_RELAY_SEALED (the message names no value).
 */
export function open (ring: SealingKeyRing, field: SealedField, entityId: string, sealed: Buffer): Outcome<Buffer> {
  const header = headerOf(sealed)
  if (header === undefined) return fail(errorCodes.relaySealed, `the sealed ${field} is malformed`)
  const key = ring.byId.get(header.keyId)
  if (key === undefined) return fail(errorCodes.relaySealed, `the sealed ${field} names key ${header.keyId}, which the sealing key ring does not hold`)
  const nonce = sealed.subarray(header.bytes, header.bytes + NONCE_BYTES)
  try {
    return succeed(openGcm('aes-256-gcm', keyObjectOf(key.key), nonce, associatedData(sealed.subarray(0, header.bytes), field, entityId), sealed.subarray(header.bytes + NONCE_BYTES)))
  } catch {
    return fail(errorCodes.relaySealed, `the sealed ${field} does not open under key ${header.keyId} for this account`)
  }
}

/** The id of the key that sealed `sealed`, or undefined when it is malformed: for the re-seal pass. */
export function sealingKeyIdOf (sealed: Buffer): string | undefined {
  return headerOf(sealed)?.keyId
}

function headerOf (sealed: Buffer): { keyId: string, bytes: number } | undefined {
  if (sealed.length < 2 || sealed[0] !== SEAL_VERSION) return undefined
  const bytes = 2 + (sealed[1] as number)
  if (sealed.length < bytes + NONCE_BYTES + TAG_BYTES) return undefined
  return { keyId: sealed.toString('latin1', 2, bytes), bytes }
}

function associatedData (header: Buffer, field: SealedField, entityId: string): Buffer {
  return Buffer.concat([header, CONTEXT, Buffer.from(`${field}\0${entityId}`, 'utf8')])
}
