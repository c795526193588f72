import { listPlatformTokens, replaceListedToken, type PlatformToken } from '../vault/index.ts'
import { platforms } from '../payload/platforms.ts'
import { accountOfToken, type EntityContext } from './entity-context.ts'

// ListEntityStoredTokens (relay-wire.md §1): the platform tokens stored for the account
// (src/relay/vault/platform-tokens.ts), as upstream's list_tokens has them. The app calls it to
// check its long-lived token too (UNAUTHENTICATED = "logged in on another device"), and with
// `migrate_to_device` to take the OAuth2 tokens onto the phone: each OAuth2 token's
// access_token, refresh_token and id_token are handed over ("" when absent) and dropped from the
// server's copy, which keeps its other keys. `is_stored_on_device` is read from the copy as it was
// before this call, so the app stores a token handed over now and sees it as on the device later.

export interface ListEntityStoredTokensRequest {
  readonly long_lived_token: string
  readonly migrate_to_device: boolean
}

export interface StoredToken {
  readonly platform: string
  readonly account_identifier: string
  readonly account_tokens: Readonly<Record<string, string>>
  readonly is_stored_on_device: boolean
}

export interface ListEntityStoredTokensResponse {
  readonly stored_tokens: readonly StoredToken[]
  readonly message: string
}

/** What the app takes onto the phone, in the order upstream pops them. */
const DEVICE_TOKEN_KEYS = ['access_token', 'refresh_token', 'id_token'] as const
const OAUTH2_PLATFORMS: ReadonlySet<string> = new Set(platforms.filter(platform => platform.protocol === 'oauth2').map(platform => platform.name))

export async function listEntityStoredTokens (context: EntityContext, request: ListEntityStoredTokensRequest): Promise<ListEntityStoredTokensResponse> {
  const account = await accountOfToken(context, request.long_lived_token)
  const listed = await listPlatformTokens(context.vault, account.entityId)
  if (!listed.ok) throw listed.error
  const storedTokens: StoredToken[] = []
  for (const token of listed.value) storedTokens.push(await storedTokenOf(context, token, request.migrate_to_device))
  return { stored_tokens: storedTokens, message: 'Tokens retrieved successfully.' }
}

async function storedTokenOf (context: EntityContext, listed: PlatformToken, migrateToDevice: boolean): Promise<StoredToken> {
  // Stored tokens are JSON objects (checked when stored).
  const fields = JSON.parse(listed.token) as Record<string, unknown>
  const oauth2 = OAUTH2_PLATFORMS.has(listed.platform)
  const stored = { platform: listed.platform, account_identifier: listed.accountIdentifier, is_stored_on_device: oauth2 && !truthy(fields.access_token) && !truthy(fields.refresh_token) }
  if (!migrateToDevice || !oauth2) return { ...stored, account_tokens: {} }
  const handed = Object.fromEntries(DEVICE_TOKEN_KEYS.map(key => [key, mapValueOf(fields[key])]))
  if (DEVICE_TOKEN_KEYS.some(key => key in fields)) {
    const kept = Object.fromEntries(Object.entries(fields).filter(([key]) => !(DEVICE_TOKEN_KEYS as readonly string[]).includes(key)))
    // A publisher that replaced the token meanwhile wins: its new token stays on the server.
    await replaceListedToken(context.vault, listed, JSON.stringify(kept))
  }
  return { ...stored, account_tokens: handed }
}

/** Python's truthiness of a JSON value, as upstream's `not account_tokens.get(…)` tests it. */
function truthy (value: unknown): boolean {
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== ''
}

/** A map<string, string> value: strings as they are, absent or null as "", anything else as its JSON. */
function mapValueOf (value: unknown): string {
  if (typeof value === 'string') return value
  return value === undefined || value === null ? '' : JSON.stringify(value)
}
