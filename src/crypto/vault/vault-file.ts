import { createPrivateKey, createPublicKey, generateKeyPair } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { errorCodes, SmsgwError } from '../../errors.ts'
import { writeFileAtomic } from './atomic-write.ts'
import { createSelfSignedCertificate } from './certificate.ts'
import { decodePkcs12, encodePkcs12 } from './pkcs12.ts'
import type { Pkcs12Contents, Pkcs12KeyEntry } from './pkcs12.ts'
import { retiredAlias, toVaultKey } from './vault-index.ts'
import { keyIdOf, keyTypes } from './vault-key.ts'
import type { KeyType, VaultKey } from './vault-key.ts'

// Changes to a vault file: read it whole, change the entry list, write it whole with fresh
// salts through writeFileAtomic. Other entries keep their key, alias, localKeyId and
// certificate byte for byte. Nothing serializes two writers: run one change at a time.

const generateKeyPairAsync = promisify(generateKeyPair)

export const RSA_MODULUS_BITS = 2048

export interface RotatedKey {
  /** The new current key, under the client's alias. */
  readonly key: VaultKey
  /** Where the previous key now lives: `<alias>~<its key id hex>`. */
  readonly retiredAlias: string
}

async function readContents (file: string, password: string, allowMissing: boolean): Promise<Pkcs12Contents> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code
    if (allowMissing && reason === 'ENOENT') return { keys: [], otherBags: [] }
    throw new SmsgwError(errorCodes.vaultUnreadable, `Cannot read vault file ${file}: ${reason ?? String(error)}`, { cause: error })
  }
  return await decodePkcs12(bytes, password)
}

async function writeContents (file: string, password: string, contents: Pkcs12Contents): Promise<void> {
  await writeFileAtomic(file, await encodePkcs12(contents, password))
}

function findEntry (contents: Pkcs12Contents, alias: string): Pkcs12KeyEntry | undefined {
  const wanted = alias.toLowerCase()
  return contents.keys.find(entry => entry.alias.toLowerCase() === wanted)
}

function checkNewAlias (contents: Pkcs12Contents, alias: string, file: string): void {
  if (findEntry(contents, alias) !== undefined) {
    throw new SmsgwError(errorCodes.vaultEntryExists, `${file} already has an entry '${alias.toLowerCase()}'`)
  }
}

function checkClientAlias (alias: string): void {
  // '~' separates client-id and key id in retired aliases; a client-id with one would be ambiguous.
  if (alias.trim() === '' || alias.includes('~')) {
    throw new SmsgwError(errorCodes.usage, `'${alias}' cannot be a client-id: it must be non-empty and without '~'`)
  }
}

/**
 * keytool reads the creation date it lists out of a localKeyId of the form "Time <ms>", and
 * pairs keys with certificates by it, so it must also be unique in the file.
 */
function newLocalKeyId (contents: Pkcs12Contents): Buffer {
  const taken = new Set(contents.keys.map(entry => entry.localKeyId.toString('latin1')))
  let millis = Date.now()
  while (taken.has(`Time ${millis}`)) millis++
  return Buffer.from(`Time ${millis}`, 'latin1')
}

async function generatePrivateKey (type: KeyType): Promise<KeyObject> {
  if (type === keyTypes.x25519) return (await generateKeyPairAsync('x25519')).privateKey
  return (await generateKeyPairAsync('rsa', { modulusLength: RSA_MODULUS_BITS })).privateKey
}

async function newEntry (contents: Pkcs12Contents, alias: string, type: KeyType): Promise<Pkcs12KeyEntry> {
  const privateKey = await generatePrivateKey(type)
  const storedAlias = alias.toLowerCase()
  return {
    alias: storedAlias,
    localKeyId: newLocalKeyId(contents),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }),
    certificate: createSelfSignedCertificate(storedAlias, privateKey)
  }
}

/**
 * Adds a key pair for client `alias` (stored lower-case), with a self-signed certificate so
 * keytool lists it as a PrivateKeyEntry; creates `file` when missing. Resolves to the new key.
 * Rejects with SMSGW_VAULT_ENTRY_EXISTS when the alias is taken, SMSGW_VAULT_PASSWORD when the
 * existing file has another password, SMSGW_USAGE for an empty alias or one with '~'.
 */
export async function createKeyPair (file: string, password: string, alias: string, type: KeyType = keyTypes.rsa): Promise<VaultKey> {
  checkClientAlias(alias)
  const contents = await readContents(file, password, true)
  checkNewAlias(contents, alias, file)
  const entry = await newEntry(contents, alias, type)
  await writeContents(file, password, { ...contents, keys: [...contents.keys, entry] })
  return toVaultKey(entry)
}

/** Removes the entry `alias` (any case). Rejects with SMSGW_VAULT_ENTRY_MISSING when there is none. */
export async function removeEntry (file: string, password: string, alias: string): Promise<void> {
  const contents = await readContents(file, password, false)
  const entry = findEntry(contents, alias)
  if (entry === undefined) throw new SmsgwError(errorCodes.vaultEntryMissing, `${file} has no entry '${alias}'`)
  await writeContents(file, password, { ...contents, keys: contents.keys.filter(other => other !== entry) })
}

/**
 * Gives client `alias` a new key: the current entry is renamed `<alias>~<key id hex>` (so
 * payloads sealed to it still open, see Vault.keysFor) and a new one takes the alias. Both
 * happen in one write. Resolves to the new key and the retired alias. Rejects with
 * SMSGW_VAULT_ENTRY_MISSING when `alias` has no entry.
 */
export async function rotateKey (file: string, password: string, alias: string, type: KeyType = keyTypes.rsa): Promise<RotatedKey> {
  checkClientAlias(alias)
  const contents = await readContents(file, password, false)
  const current = findEntry(contents, alias)
  if (current === undefined) throw new SmsgwError(errorCodes.vaultEntryMissing, `${file} has no entry '${alias}'`)
  const publicKey = createPublicKey(createPrivateKey({ key: current.privateKey, format: 'der', type: 'pkcs8' }))
  const retired = retiredAlias(alias, keyIdOf(publicKey))
  checkNewAlias(contents, retired, file)
  const entry = await newEntry(contents, alias, type)
  const keys = [...contents.keys.map(other => other === current ? { ...current, alias: retired } : other), entry]
  await writeContents(file, password, { ...contents, keys })
  return { key: toVaultKey(entry), retiredAlias: retired }
}
