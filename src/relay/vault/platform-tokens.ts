import { errorCodes } from '../../errors.ts'
import type { RelayToken, RelayTokenKey } from '../../store/relay-tokens.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { platforms, type Platform } from '../payload/platforms.ts'
import type { RelayVault } from './relay-vault.ts'
import { open, seal, sealingKeyIdOf, type SealedField } from './sealing.ts'
import { keyedHmac } from './keyed-hmac.ts'

// The platform tokens of an account (relay-wire.md §2: StoreEntityToken, GetEntityAccessToken,
// UpdateEntityToken, DeleteEntityToken; §1: ListEntityStoredTokens), over the store's rows
// (src/store/relay-tokens.ts). One token per account, platform and platform account identifier, as
// upstream keeps them: storing again replaces the token. The identifier is found by a keyed digest
// of it, stripped of surrounding whitespace as upstream hashes it, and kept sealed as given (for
// listing); the token JSON is kept sealed only. Both are sealed with their row as associated data
// (entity id, platform, identifier digest), so a sealed value copied to another row does not open.

/** Ours: far above any OAuth2 or PNBA token, so that a hostile one is refused before it is stored. */
export const MAX_PLATFORM_TOKEN_BYTES = 16 * 1024
/** Ours: far above any e-mail address, handle or phone number. */
export const MAX_ACCOUNT_IDENTIFIER_BYTES = 512
/**
 * Ours: how deep a token's JSON may nest. Real tokens nest two or three levels; 16 KiB of brackets
 * would nest 8,000 deep, and JSON.stringify (ListEntityStoredTokens writes the server's copy back)
 * runs out of stack on that.
 */
export const MAX_PLATFORM_TOKEN_DEPTH = 32

/** What the token functions need of the vault. */
export type TokenVault = Pick<RelayVault, 'tokens' | 'keys' | 'identifierKey'>

/** A stored token, opened. */
export interface PlatformToken {
  readonly platform: string
  /** As it was first stored (not stripped). */
  readonly accountIdentifier: string
  /** The token JSON text; never log it. */
  readonly token: string
  /** The row it was read from: a replacement compares its sealed token (replaceListedToken). */
  readonly row: RelayToken
}

/** The platform of the known list (relay-wire.md §6) a name names, case-insensitively as upstream compares it. */
export function knownPlatformOf (name: string): Platform | undefined {
  const lowered = name.toLowerCase()
  return platforms.find(platform => platform.name === lowered)
}

/**
 * The keyed digest a platform account identifier is found by: HMAC-SHA512 under the identifier
 * key over a domain label and the identifier without surrounding whitespace. The label keeps it
 * apart from account identifier hashes: a Telegram account's phone number does not digest to the
 * hash of the RelaySMS account of the same number.
 */
export function accountLookupOf (identifierKey: Buffer, accountIdentifier: string): string {
  return keyedHmac(identifierKey).update('smsgw-relay-platform-account\0').update(accountIdentifier.trim(), 'utf8').digest('hex')
}

/** A token's JSON text: at most MAX_PLATFORM_TOKEN_BYTES, a JSON object (ListEntityStoredTokens reads its keys). */
export function checkPlatformTokenJson (text: string): Outcome<Record<string, unknown>> {
  if (Buffer.byteLength(text, 'utf8') > MAX_PLATFORM_TOKEN_BYTES) return fail(errorCodes.relayInvalidInput, `The token field is longer than ${MAX_PLATFORM_TOKEN_BYTES} bytes.`)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return fail(errorCodes.relayInvalidInput, 'The token field is not a JSON object.')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail(errorCodes.relayInvalidInput, 'The token field is not a JSON object.')
  if (depthOf(parsed) > MAX_PLATFORM_TOKEN_DEPTH) return fail(errorCodes.relayInvalidInput, `The token field nests deeper than ${MAX_PLATFORM_TOKEN_DEPTH} levels.`)
  return succeed(parsed as Record<string, unknown>)
}

/** How deep a parsed JSON value nests (an object or array is one level), walked without recursion. */
function depthOf (value: object): number {
  let deepest = 0
  const pending: Array<[unknown, number]> = [[value, 1]]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next
    if (typeof item !== 'object' || item === null) continue
    deepest = Math.max(deepest, depth)
    if (deepest > MAX_PLATFORM_TOKEN_DEPTH) return deepest
    for (const child of Object.values(item)) pending.push([child, depth + 1])
  }
  return deepest
}

export function checkAccountIdentifier (text: string): Outcome<string> {
  if (Buffer.byteLength(text, 'utf8') > MAX_ACCOUNT_IDENTIFIER_BYTES) return fail(errorCodes.relayInvalidInput, `The account_identifier field is longer than ${MAX_ACCOUNT_IDENTIFIER_BYTES} bytes.`)
  return succeed(text)
}

/** Stores the token of the platform account, replacing the one stored for it. */
export async function storePlatformToken (vault: TokenVault, entityId: string, platform: Platform, accountIdentifier: string, tokenJson: string): Promise<Outcome<void>> {
  const identifier = checkAccountIdentifier(accountIdentifier)
  if (!identifier.ok) return identifier
  const token = checkPlatformTokenJson(tokenJson)
  if (!token.ok) return token
  const key = keyOf(vault, entityId, platform.name, accountIdentifier)
  await vault.tokens.put({
    ...key,
    sealedAccountIdentifier: sealOf(vault, 'platformAccountIdentifier', key, Buffer.from(accountIdentifier, 'utf8')),
    sealedToken: sealOf(vault, 'platformToken', key, Buffer.from(tokenJson, 'utf8'))
  })
  return succeed(undefined)
}

/** The token JSON stored for the platform account; undefined when none is (or the platform is not one of the list). */
export async function platformTokenOf (vault: TokenVault, entityId: string, platformName: string, accountIdentifier: string): Promise<Outcome<string | undefined>> {
  const platform = knownPlatformOf(platformName)
  if (platform === undefined) return succeed(undefined)
  const row = await vault.tokens.get(keyOf(vault, entityId, platform.name, accountIdentifier))
  if (row === undefined) return succeed(undefined)
  const token = openOf(vault, 'platformToken', row, row.sealedToken)
  return token.ok ? succeed(token.value.toString('utf8')) : token
}

/** Replaces the stored token of the platform account; resolves with false when none is stored. */
export async function updatePlatformToken (vault: TokenVault, entityId: string, platformName: string, accountIdentifier: string, tokenJson: string): Promise<Outcome<boolean>> {
  const platform = knownPlatformOf(platformName)
  if (platform === undefined) return succeed(false)
  const key = keyOf(vault, entityId, platform.name, accountIdentifier)
  if (await vault.tokens.get(key) === undefined) return succeed(false)
  const token = checkPlatformTokenJson(tokenJson)
  if (!token.ok) return token
  return succeed(await vault.tokens.update(key, { sealedToken: sealOf(vault, 'platformToken', key, Buffer.from(tokenJson, 'utf8')) }))
}

/** Deletes the stored token of the platform account; resolves with whether there was one. */
export async function deletePlatformToken (vault: TokenVault, entityId: string, platformName: string, accountIdentifier: string): Promise<boolean> {
  const platform = knownPlatformOf(platformName)
  if (platform === undefined) return false
  return await vault.tokens.remove(keyOf(vault, entityId, platform.name, accountIdentifier))
}

/** Every token of the account, opened, oldest first; a value that does not open is SMSGW_RELAY_SEALED. */
export async function listPlatformTokens (vault: TokenVault, entityId: string): Promise<Outcome<PlatformToken[]>> {
  const listed: PlatformToken[] = []
  for (const row of await vault.tokens.listOf(entityId)) {
    const identifier = openOf(vault, 'platformAccountIdentifier', row, row.sealedAccountIdentifier)
    if (!identifier.ok) return identifier
    const token = openOf(vault, 'platformToken', row, row.sealedToken)
    if (!token.ok) return token
    listed.push({ platform: row.platform, accountIdentifier: identifier.value.toString('utf8'), token: token.value.toString('utf8'), row })
  }
  return succeed(listed)
}

/**
 * Replaces a listed token with `tokenJson` if nobody replaced it since it was listed (a publisher
 * refreshing it meanwhile wins); resolves with whether it did.
 */
export async function replaceListedToken (vault: TokenVault, listed: PlatformToken, tokenJson: string): Promise<boolean> {
  return await vault.tokens.update(listed.row, { sealedToken: sealOf(vault, 'platformToken', listed.row, Buffer.from(tokenJson, 'utf8')) }, listed.row.sealedToken)
}

export interface TokenResealCounts {
  readonly resealed: number
  readonly current: number
  readonly unopenable: number
}

/**
 * Seals the account's tokens again under the current key (the re-seal pass of a key rotation,
 * reseal.ts), each row under a compare-and-set of its sealed token: a row replaced meanwhile is
 * read again.
 */
export async function resealPlatformTokens (vault: Pick<RelayVault, 'tokens' | 'keys'>, entityId: string): Promise<TokenResealCounts> {
  let resealed = 0
  let current = 0
  let unopenable = 0
  for (const listed of await vault.tokens.listOf(entityId)) {
    for (let row: RelayToken | undefined = listed; row !== undefined; row = await vault.tokens.get(row)) {
      if (sealingKeyIdOf(row.sealedToken) === vault.keys.current.id && sealingKeyIdOf(row.sealedAccountIdentifier) === vault.keys.current.id) {
        current++
        break
      }
      const identifier = openOf(vault, 'platformAccountIdentifier', row, row.sealedAccountIdentifier)
      const token = openOf(vault, 'platformToken', row, row.sealedToken)
      if (!identifier.ok || !token.ok) {
        unopenable++
        break
      }
      const changes = { sealedToken: sealOf(vault, 'platformToken', row, token.value), sealedAccountIdentifier: sealOf(vault, 'platformAccountIdentifier', row, identifier.value) }
      if (await vault.tokens.update(row, changes, row.sealedToken)) {
        resealed++
        break
      }
    }
  }
  return { resealed, current, unopenable }
}

function keyOf (vault: Pick<TokenVault, 'identifierKey'>, entityId: string, platform: string, accountIdentifier: string): RelayTokenKey {
  return { entityId, platform, accountLookup: accountLookupOf(vault.identifierKey, accountIdentifier) }
}

/** The associated data's binding of a token's sealed values: their row. Entity ids, platform names and digests hold no NUL. */
function bindingOf (key: RelayTokenKey): string {
  return `${key.entityId}\0${key.platform}\0${key.accountLookup}`
}

function sealOf (vault: Pick<TokenVault, 'keys'>, field: SealedField, key: RelayTokenKey, plaintext: Buffer): Buffer {
  return seal(vault.keys, field, bindingOf(key), plaintext)
}

function openOf (vault: Pick<TokenVault, 'keys'>, field: SealedField, key: RelayTokenKey, sealed: Buffer): Outcome<Buffer> {
  return open(vault.keys, field, bindingOf(key), sealed)
}
