import { keyedHmac } from './keyed-hmac.ts'
import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { DNS_NAMESPACE, uuidV5Hex } from './uuid-v5.ts'

// Identifiers at rest (relay.md §7): phone numbers, e-mail addresses and platform account
// identifiers are stored only as HMAC-SHA512 hex under a server key (upstream Vault utils.hash_data
// and crypto.generate_hmac); the entity id is UUIDv5(DNS namespace, that hex) without dashes
// (utils.generate_eid). E-mail addresses are hashed as given: upstream does not lower-case them,
// and a lower-cased hash would not find an imported account.

export const IDENTIFIER_KEY_BYTES = 32

/**
 * Upstream's HMAC key handling (utils.load_key): the key file's first line, stripped, its first
 * 32 characters taken as UTF-8 bytes, not base64-decoded; generate_hmac then needs 32 bytes. A
 * file made by `openssl rand -base64 32` thus gives 32 ASCII characters of its base64 as the key.
 * Importing upstream data needs exactly this.
 */
export function identifierKeyFromKeyFile (fileText: string): Outcome<Buffer> {
  const firstLine = fileText.split(/\r\n|\r|\n/, 1)[0] ?? ''
  const key = Buffer.from([...firstLine.trim()].slice(0, IDENTIFIER_KEY_BYTES).join(''), 'utf8')
  if (key.length !== IDENTIFIER_KEY_BYTES) return fail(errorCodes.relayKeyFile, `the identifier key file's first line must start with ${IDENTIFIER_KEY_BYTES} ASCII characters`)
  return succeed(key)
}

/** HMAC-SHA512(key, identifier UTF-8) as lowercase hex: the only form an identifier is stored in. */
export function hashIdentifier (key: Buffer, identifier: string): string {
  return keyedHmac(key).update(identifier, 'utf8').digest('hex')
}

/** The entity id: UUIDv5(DNS namespace, identifier hash hex), 32 hex characters. */
export function entityIdOf (identifierHash: string): string {
  return uuidV5Hex(DNS_NAMESPACE, identifierHash)
}
