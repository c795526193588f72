import type { Awaitable } from '../async/awaitable.ts'

// The relay vault's accounts as the store keeps them (relay.md §7): identifiers only as keyed
// digests, everything else sensitive sealed by the vault (src/relay/vault/sealing.ts) before it
// gets here. The store sees opaque sealed bytes and never a key: it cannot open what it holds.
//
// Every change of an account is a compare-and-set on `stateVersion`: the caller read the row at
// version v and writes only if it is still v. That is the lock of relay.md §3 ("updated under a
// lock; ours: the lock is in the database"): two instances advancing one account's ratchet state
// cannot both win, the loser reads again and redoes its step on the winner's state.

/** Bounds of what the store holds, in bytes: every value a client influences is bounded. */
export const relayAccountBounds = Object.freeze({
  /** Sealed values of the small fields (keys, device id, country code) with sealing's overhead. */
  smallSealedBytes: 256,
  /**
   * A sealed ratchet state: 208 bytes plus 68 per stored skipped key, at most 500 of them
   * (MAX_STORED_SKIPPED_KEYS), plus sealing's overhead, with room for one format change.
   */
  ratchetStateSealedBytes: 48 * 1024,
  /** A PHC string (the vault refuses longer ones when verifying, password.ts). */
  passwordHashChars: 256
})

export const ENTITY_ID_PATTERN = /^[0-9a-f]{32}$/
/** HMAC-SHA512 hex: identifier hashes and device lookup digests. */
export const DIGEST_PATTERN = /^[0-9a-f]{128}$/

/** The sealed fields of an account, each sealed by the vault with its name and the entity id. */
export interface RelaySealedFields {
  readonly countryCode: Buffer
  /** Private ‖ public half (64 bytes before sealing). */
  readonly serverPublishKeyPair: Buffer
  readonly serverDeviceIdKeyPair: Buffer
  readonly clientPublishPublicKey: Buffer
  readonly clientDeviceIdPublicKey: Buffer
  readonly deviceId: Buffer
  readonly ratchetState: Buffer
}

export const relaySealedFieldNames: ReadonlyArray<keyof RelaySealedFields> = Object.freeze([
  'countryCode', 'serverPublishKeyPair', 'serverDeviceIdKeyPair', 'clientPublishPublicKey', 'clientDeviceIdPublicKey', 'deviceId', 'ratchetState'
])

/** What creating an account stores. */
export interface NewRelayAccount {
  /** UUIDv5 of the identifier hash, 32 hex. */
  readonly entityId: string
  /** HMAC-SHA512 hex of the identifier (relay.md §7). */
  readonly identifierHash: string
  /** A keyed digest of the device id (HMAC-SHA512 hex), so DecryptPayload finds the account by it. */
  readonly deviceLookup: string
  readonly passwordHash: string
  readonly sealed: RelaySealedFields
}

export interface RelayAccount extends NewRelayAccount {
  /** Grows by one with every change; the compare-and-set of `update` checks it. */
  readonly stateVersion: number
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

/** What one update may change: some sealed fields, the device lookup, the password hash. */
export interface RelayAccountChanges {
  readonly sealed?: Partial<RelaySealedFields>
  readonly deviceLookup?: string
  readonly passwordHash?: string
}

export interface RelayAccountStore {
  /** Stores a new account; resolves with false (storing nothing) when the entity or identifier exists. */
  create: (account: NewRelayAccount) => Promise<boolean>
  get: (entityId: string) => Awaitable<RelayAccount | undefined>
  findByDeviceLookup: (deviceLookup: string) => Awaitable<RelayAccount | undefined>
  /**
   * The entity id of the account with this device lookup, reading nothing else of the row: for a
   * caller that needs only which account it is (a platform token's), and not its sealed fields.
   */
  entityIdByDeviceLookup: (deviceLookup: string) => Awaitable<string | undefined>
  /**
   * Applies `changes` if the account is still at `expectedVersion`; resolves, once durable, with
   * the new version, or undefined when the account changed or went in the meantime (nothing written).
   * With `expectedVersion` undefined the changes apply whatever the version (a new device replaces
   * the old one without reading it), still advancing it, so a compare-and-set that read before loses.
   */
  update: (entityId: string, expectedVersion: number | undefined, changes: RelayAccountChanges) => Promise<number | undefined>
  /** Deletes the account; resolves with whether there was one. */
  remove: (entityId: string) => Promise<boolean>
  /** Up to `limit` entity ids above `afterId`, ascending: for operators' listings and the re-seal pass. */
  entityIdsAfter: (afterId: string, limit: number) => Awaitable<string[]>
  count: () => Awaitable<number>
}

/** Throws a RangeError naming the field when a value is out of its bounds or form; the store then stores nothing. */
export function checkNewRelayAccount (account: NewRelayAccount): void {
  if (!ENTITY_ID_PATTERN.test(account.entityId)) throw new RangeError('entityId must be 32 lowercase hex digits')
  if (!DIGEST_PATTERN.test(account.identifierHash)) throw new RangeError('identifierHash must be 128 lowercase hex digits')
  checkRelayAccountChanges({ sealed: account.sealed, deviceLookup: account.deviceLookup, passwordHash: account.passwordHash })
  for (const name of relaySealedFieldNames) if (!Buffer.isBuffer(account.sealed[name])) throw new RangeError(`sealed.${name} is missing`)
}

export function checkRelayAccountChanges (changes: RelayAccountChanges): void {
  if (changes.deviceLookup !== undefined && !DIGEST_PATTERN.test(changes.deviceLookup)) throw new RangeError('deviceLookup must be 128 lowercase hex digits')
  if (changes.passwordHash !== undefined && (changes.passwordHash.length === 0 || changes.passwordHash.length > relayAccountBounds.passwordHashChars)) {
    throw new RangeError(`passwordHash must be 1 to ${relayAccountBounds.passwordHashChars} characters`)
  }
  for (const [name, value] of Object.entries(changes.sealed ?? {})) {
    if (!relaySealedFieldNames.includes(name as keyof RelaySealedFields)) throw new RangeError(`sealed.${name} is not an account field`)
    if (value === undefined) continue
    const max = name === 'ratchetState' ? relayAccountBounds.ratchetStateSealedBytes : relayAccountBounds.smallSealedBytes
    if (!Buffer.isBuffer(value) || value.length === 0 || value.length > max) throw new RangeError(`sealed.${name} must be 1 to ${max} bytes`)
  }
}

/** The column of each sealed field, the same in both stores. */
export const sealedColumns: Readonly<Record<keyof RelaySealedFields, string>> = Object.freeze({
  countryCode: 'country_code',
  serverPublishKeyPair: 'server_publish_key_pair',
  serverDeviceIdKeyPair: 'server_device_id_key_pair',
  clientPublishPublicKey: 'client_publish_public_key',
  clientDeviceIdPublicKey: 'client_device_id_public_key',
  deviceId: 'device_id',
  ratchetState: 'ratchet_state'
})

/** The columns of an account row, the same in both stores, in the order of newRelayAccountRow's values. */
export const relayAccountColumns: readonly string[] = Object.freeze([
  'entity_id', 'identifier_hash', 'device_lookup', 'password_hash', ...relaySealedFieldNames.map(name => sealedColumns[name]), 'state_version', 'created_at_ms', 'updated_at_ms'
])

/** The row of a new account, in the order of relayAccountColumns: version 1, created and updated at `atMs`. */
export function newRelayAccountRow (account: NewRelayAccount, atMs: number): Array<string | Buffer | number> {
  return [account.entityId, account.identifierHash, account.deviceLookup, account.passwordHash, ...relaySealedFieldNames.map(name => account.sealed[name]), 1, atMs, atMs]
}

/** A row of relayAccountColumns as a store's driver gives it, read column by column. */
export interface RelayAccountRow {
  text: (column: string) => string
  integer: (column: string) => number
  bytes: (column: string) => Buffer
}

export function relayAccountOf (row: RelayAccountRow): RelayAccount {
  const sealed = Object.fromEntries(relaySealedFieldNames.map(name => [name, row.bytes(sealedColumns[name])])) as unknown as RelaySealedFields
  return {
    entityId: row.text('entity_id'),
    identifierHash: row.text('identifier_hash'),
    deviceLookup: row.text('device_lookup'),
    passwordHash: row.text('password_hash'),
    sealed,
    stateVersion: row.integer('state_version'),
    createdAtMs: row.integer('created_at_ms'),
    updatedAtMs: row.integer('updated_at_ms')
  }
}

/** The changed columns and their values, in a fixed order (so equal shapes share a statement). */
export function changedColumns (changes: RelayAccountChanges): Array<[string, string | Buffer]> {
  const set: Array<[string, string | Buffer]> = []
  if (changes.deviceLookup !== undefined) set.push(['device_lookup', changes.deviceLookup])
  if (changes.passwordHash !== undefined) set.push(['password_hash', changes.passwordHash])
  for (const name of relaySealedFieldNames) {
    const value = changes.sealed?.[name]
    if (value !== undefined) set.push([sealedColumns[name], value])
  }
  return set
}
