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

/** The key id of a public key: the first 8 bytes of SHA-256 over its SPKI DER. */
export function keyIdOf (publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(spki).digest().subarray(0, KEY_ID_BYTES)
}
