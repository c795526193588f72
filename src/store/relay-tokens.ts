import type { Awaitable } from '../async/awaitable.ts'
import { DIGEST_PATTERN, ENTITY_ID_PATTERN } from './relay-accounts.ts'

// The platform tokens the relay vault keeps for its accounts (relay-wire.md §2, StoreEntityToken),
// one row per account, platform and platform account: the publisher's OAuth2 or PNBA tokens. The
// account identifier is held twice, as a keyed digest (the row's key, to find it) and sealed (to
// list it); the token JSON only sealed. The vault seals (src/relay/vault/platform-tokens.ts), so
// the store sees opaque bytes and cannot open what it holds. Rows go with their account (a foreign
// key that cascades), so deleting an account deletes its tokens.

/** Bounds of what the store holds, in bytes: every value a client influences is bounded. */
export const relayTokenBounds = Object.freeze({
  /** A platform name of the known list (relay-wire.md §6), lower case. */
  platformChars: 32,
  /** A sealed account identifier (at most 512 bytes before sealing) with sealing's overhead. */
  sealedAccountIdentifierBytes: 1024,
  /** A sealed token (at most 16 KiB of JSON before sealing) with sealing's overhead. */
  sealedTokenBytes: 17 * 1024
})

const PLATFORM_PATTERN = /^[a-z0-9_-]{1,32}$/

/** Which row: the account, the platform and the keyed digest of the platform account's identifier. */
export interface RelayTokenKey {
  readonly entityId: string
  readonly platform: string
  /** HMAC-SHA512 hex of the account identifier (the vault's accountLookupOf). */
  readonly accountLookup: string
}

export interface NewRelayToken extends RelayTokenKey {
  readonly sealedAccountIdentifier: Buffer
  readonly sealedToken: Buffer
}

export interface RelayToken extends NewRelayToken {
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

/** What an update writes: the sealed token, and the sealed identifier when it is sealed again (a key rotation). */
export interface RelayTokenChanges {
  readonly sealedToken: Buffer
  readonly sealedAccountIdentifier?: Buffer
}

export interface RelayTokenStore {
  /**
   * Stores a token, or, when the row exists, replaces its sealed token (the identifier stored first
   * stays, as upstream's store_entity_token keeps it); resolves once durable. Rejects when the
   * account does not exist (deleted meanwhile).
   */
  put: (token: NewRelayToken) => Promise<void>
  get: (key: RelayTokenKey) => Awaitable<RelayToken | undefined>
  /**
   * Writes `changes` to the row if it exists and, with `expectedSealedToken`, still holds exactly
   * that sealed token (a compare-and-set: nobody replaced the token since it was read); resolves
   * with whether it wrote.
   */
  update: (key: RelayTokenKey, changes: RelayTokenChanges, expectedSealedToken?: Buffer) => Promise<boolean>
  /** Deletes the row; resolves with whether there was one. */
  remove: (key: RelayTokenKey) => Promise<boolean>
  /** The account's rows, oldest first (the order upstream lists them in). */
  listOf: (entityId: string) => Awaitable<RelayToken[]>
}

/** Throws a RangeError naming the field when a key is not of its form; the store then stores nothing. */
export function checkRelayTokenKey (key: RelayTokenKey): void {
  if (!ENTITY_ID_PATTERN.test(key.entityId)) throw new RangeError('entityId must be 32 lowercase hex digits')
  if (!PLATFORM_PATTERN.test(key.platform)) throw new RangeError(`platform must be 1 to ${relayTokenBounds.platformChars} of a-z, 0-9, _ and -`)
  if (!DIGEST_PATTERN.test(key.accountLookup)) throw new RangeError('accountLookup must be 128 lowercase hex digits')
}

export function checkRelayTokenChanges (changes: RelayTokenChanges): void {
  checkSealed(changes.sealedToken, 'sealedToken', relayTokenBounds.sealedTokenBytes)
  if (changes.sealedAccountIdentifier !== undefined) checkSealed(changes.sealedAccountIdentifier, 'sealedAccountIdentifier', relayTokenBounds.sealedAccountIdentifierBytes)
}

export function checkNewRelayToken (token: NewRelayToken): void {
  checkRelayTokenKey(token)
  checkSealed(token.sealedAccountIdentifier, 'sealedAccountIdentifier', relayTokenBounds.sealedAccountIdentifierBytes)
  checkRelayTokenChanges(token)
}

function checkSealed (value: Buffer, name: string, max: number): void {
  if (!Buffer.isBuffer(value) || value.length === 0 || value.length > max) throw new RangeError(`${name} must be 1 to ${max} bytes`)
}
