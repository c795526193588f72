import { createPrivateKey, createPublicKey } from 'node:crypto'
import { errorCodes, isSmsgwError, SmsgwError } from '../../errors.ts'
import type { Pkcs12KeyEntry } from './pkcs12.ts'
import { allowedKeyTypes, KEY_ID_BYTES, keyIdOf } from './vault-key.ts'
import type { KeyType, VaultKey } from './vault-key.ts'

/** An entry of the file that the gateway cannot use, and why; the vault lists these. */
export interface SkippedEntry {
  readonly alias: string
  readonly reason: string
}

/** The lookup tables of one vault file, built once per (re)load so lookups do no work. */
export interface VaultIndex {
  /** By lower-cased alias. */
  readonly keysByAlias: ReadonlyMap<string, VaultKey>
  /** By lower-cased client-id: the current key first, then its retired keys in file order. Frozen arrays. */
  readonly keysByClient: ReadonlyMap<string, VaultKey[]>
  readonly skipped: readonly SkippedEntry[]
}

/** `<client-id>~<key id in hex>`: the alias a rotated-out key keeps (see rotateKey). */
const RETIRED_ALIAS = new RegExp(`^(.+)~([0-9a-f]{${KEY_ID_BYTES * 2}})$`, 'i')

/** The alias under which `rotateKey` keeps a retired key. */
export function retiredAlias (clientId: string, keyId: Buffer): string {
  return `${clientId}~${keyId.toString('hex')}`.toLowerCase()
}

/** The client a retired alias belongs to, or undefined for a current key's alias. */
export function clientOfRetiredAlias (alias: string): string | undefined {
  return RETIRED_ALIAS.exec(alias)?.[1]
}

/**
 * The key of one PKCS#12 entry, checked: SMSGW_UNSUPPORTED_KEY when it is not RSA or X25519
 * (say an EC key made with keytool's default -keyalg) or when the PKCS#8 does not parse.
 */
export function toVaultKey (entry: Pkcs12KeyEntry): VaultKey {
  let privateKey
  try {
    privateKey = createPrivateKey({ key: entry.privateKey, format: 'der', type: 'pkcs8' })
  } catch (error) {
    throw new SmsgwError(errorCodes.unsupportedKey, `entry '${entry.alias}' holds a key that does not parse`, { cause: error })
  }
  const type = privateKey.asymmetricKeyType
  if (!(allowedKeyTypes as readonly (string | undefined)[]).includes(type)) {
    throw new SmsgwError(errorCodes.unsupportedKey,
      `entry '${entry.alias}' holds a key of type ${type ?? 'unknown'}; the gateway uses ${allowedKeyTypes.join(' or ')} keys`)
  }
  const publicKey = createPublicKey(privateKey)
  return Object.freeze({ alias: entry.alias, type: type as KeyType, privateKey, publicKey, keyId: keyIdOf(publicKey) })
}

/**
 * Builds the lookup tables. An entry we cannot use is skipped and listed, not fatal: one EC
 * key someone added with keytool must not take every client of the gateway down with it, and
 * the files we write keep it untouched. Of two aliases equal but for case, the first counts.
 */
export function indexVaultKeys (entries: readonly Pkcs12KeyEntry[]): VaultIndex {
  const keysByAlias = new Map<string, VaultKey>()
  const skipped: SkippedEntry[] = []
  for (const entry of entries) {
    const alias = entry.alias.toLowerCase()
    if (keysByAlias.has(alias)) {
      skipped.push({ alias: entry.alias, reason: 'another entry has the same alias' })
      continue
    }
    try {
      keysByAlias.set(alias, toVaultKey(entry))
    } catch (error) {
      if (!isSmsgwError(error, errorCodes.unsupportedKey)) throw error
      skipped.push({ alias: entry.alias, reason: error.message })
    }
  }
  const current = new Map<string, VaultKey>()
  const retired = new Map<string, VaultKey[]>()
  for (const [alias, key] of keysByAlias) {
    const client = clientOfRetiredAlias(alias)
    if (client === undefined) current.set(alias, key)
    else retired.set(client, [...(retired.get(client) ?? []), key])
  }
  const keysByClient = new Map<string, VaultKey[]>()
  for (const client of new Set([...current.keys(), ...retired.keys()])) {
    const own = current.get(client)
    keysByClient.set(client, Object.freeze([...(own === undefined ? [] : [own]), ...(retired.get(client) ?? [])]) as VaultKey[])
  }
  return { keysByAlias, keysByClient, skipped }
}
