import { createHash, type KeyObject } from 'node:crypto'

export const keyTypes = { rsa: 'rsa', x25519: 'x25519' } as const
export type KeyType = typeof keyTypes[keyof typeof keyTypes]
export const allowedKeyTypes: readonly KeyType[] = Object.values(keyTypes)

/** One private key of one client, as held in memory after the vault file is read. */
export interface VaultKey {
  /** The entry's alias as stored (Java stores it lower-case); equals the client-id for the current key. */
  readonly alias: string
  readonly type: KeyType
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  /** First 8 bytes of SHA-256 over the SubjectPublicKeyInfo DER: names the key inside v2 payloads. */
  readonly keyId: Buffer
}

export const KEY_ID_BYTES = 8

const keyIds = new WeakMap<KeyObject, Buffer>()

/**
 * The key id of a public key: the first 8 bytes of SHA-256 over its SPKI DER. Cached per KeyObject:
 * a sender sealing to the same key again and again (the relay's notices, one per publish) would
 * otherwise export and hash it each time, a fifth of a v2 X25519 seal.
 */
export function keyIdOf (publicKey: KeyObject): Buffer {
  let keyId = keyIds.get(publicKey)
  if (keyId === undefined) {
    keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest().subarray(0, KEY_ID_BYTES)
    keyIds.set(publicKey, keyId)
  }
  return Buffer.from(keyId)
}
