import { randomBytes } from 'node:crypto'
import { invalidArgument, missingField } from '../grpc/rpc-failure.ts'
import type { PlatformProtocol } from '../payload/platforms.ts'
import { PlatformFailure, type OAuth2Adapter, type PnbaAdapter, type PlatformToken } from '../platforms/platform-adapter.ts'
import type { PublisherParts } from './publisher-parts.ts'
import { publisherTexts, unsupportedPlatform } from './publisher-texts.ts'

// Linking a platform account (relay.md §6, relay-wire.md §3) as upstream's
// grpc_publisher_service.py does: OAuth2 with PKCE S256 (authorization URL, code exchange, revoke)
// and phone-number based authentication for Telegram (code, 2FA password, revoke). Fields are
// checked in upstream's order, then the platform's adapter, then the long-lived token (through
// Vault's check, its code and text passed through), then the adapter's call: its failure is
// INVALID_ARGUMENT with its text. Tokens are stored, and fetched and deleted, through the vault,
// sealed there; a revoke the platform refuses is only logged, and our copy deleted anyway.

export interface GetOAuth2AuthorizationUrlRequest {
  readonly platform: string
  readonly state: string
  readonly code_verifier: string
  readonly autogenerate_code_verifier: boolean
  readonly redirect_url: string
  readonly request_identifier: string
}

export interface GetOAuth2AuthorizationUrlResponse {
  readonly authorization_url: string
  readonly state: string
  readonly code_verifier: string
  readonly message: string
  readonly scope: string
  readonly client_id: string
  readonly redirect_url: string
}

export interface ExchangeOAuth2CodeAndStoreRequest {
  readonly long_lived_token: string
  readonly platform: string
  readonly authorization_code: string
  readonly code_verifier: string
  readonly redirect_url: string
  readonly store_on_device: boolean
  readonly request_identifier: string
}

export interface ExchangeOAuth2CodeAndStoreResponse {
  readonly success: boolean
  readonly message: string
  readonly tokens: Readonly<Record<string, string>>
}

export interface RevokeAndDeleteTokenRequest {
  readonly long_lived_token: string
  readonly platform: string
  readonly account_identifier: string
}

export interface SuccessResponse {
  readonly success: boolean
  readonly message: string
}

export interface GetPNBACodeRequest {
  readonly platform: string
  readonly phone_number: string
  readonly request_identifier: string
}

export interface ExchangePNBACodeAndStoreRequest {
  readonly long_lived_token: string
  readonly platform: string
  readonly phone_number: string
  readonly authorization_code: string
  readonly password: string
  readonly request_identifier: string
}

export interface ExchangePNBACodeAndStoreResponse extends SuccessResponse {
  readonly two_step_verification_enabled: boolean
}

/** RFC 7636 §4.1: 32 random bytes, base64url, 43 characters. */
export function newCodeVerifier (): string {
  return randomBytes(32).toString('base64url')
}

export async function getOAuth2AuthorizationUrl (parts: PublisherParts, request: GetOAuth2AuthorizationUrlRequest): Promise<GetOAuth2AuthorizationUrlResponse> {
  requireFields(request, ['platform'])
  const adapter = oauth2AdapterOf(parts, request.platform)
  // The app asks for a verifier of ours; PKCE is never left out (a verifier is made when none is given).
  const codeVerifier = request.autogenerate_code_verifier || request.code_verifier === '' ? newCodeVerifier() : request.code_verifier
  const url = await adapterCall(async () => adapter.authorizationUrl({ state: request.state, codeVerifier, ...(request.redirect_url === '' ? {} : { redirectUrl: request.redirect_url }) }))
  return { authorization_url: url.url, state: request.state, code_verifier: codeVerifier, message: publisherTexts.authorizationUrl, scope: url.scope, client_id: url.clientId, redirect_url: url.redirectUrl }
}

export async function exchangeOAuth2CodeAndStore (parts: PublisherParts, request: ExchangeOAuth2CodeAndStoreRequest): Promise<ExchangeOAuth2CodeAndStoreResponse> {
  requireFields(request, ['long_lived_token', 'platform', 'authorization_code'])
  const adapter = oauth2AdapterOf(parts, request.platform)
  await parts.checkLongLivedToken(request.long_lived_token)
  const linked = await adapterCall(async () => await adapter.exchangeCode({ code: request.authorization_code, codeVerifier: request.code_verifier, ...(request.redirect_url === '' ? {} : { redirectUrl: request.redirect_url }) }))
  let token: PlatformToken = linked.token
  let tokens: Record<string, string> = {}
  if (request.store_on_device) {
    // The device keeps these three; our copy keeps the rest (upstream pops them from the token).
    const { access_token: access, refresh_token: refresh, id_token: id, ...rest } = token
    tokens = { access_token: textOf(access), refresh_token: textOf(refresh), id_token: textOf(id) }
    token = rest
  }
  const stored = await parts.entityInternal.storeEntityToken({ long_lived_token: request.long_lived_token, platform: request.platform.toLowerCase(), account_identifier: linked.accountIdentifier, token: JSON.stringify(token) })
  if (!stored.success) return { success: false, message: stored.message, tokens: {} }
  return { success: true, message: publisherTexts.tokenStored, tokens }
}

export async function revokeAndDeleteOAuth2Token (parts: PublisherParts, request: RevokeAndDeleteTokenRequest): Promise<SuccessResponse> {
  requireFields(request, ['long_lived_token', 'platform', 'account_identifier'])
  return await revokeAndDelete(parts, request, oauth2AdapterOf(parts, request.platform))
}

export async function getPnbaCode (parts: PublisherParts, request: GetPNBACodeRequest): Promise<SuccessResponse> {
  requireFields(request, ['phone_number', 'platform'])
  const adapter = pnbaAdapterOf(parts, request.platform)
  const sent = await adapterCall(async () => await adapter.requestCode(request.phone_number))
  return { success: true, message: sent.message }
}

export async function exchangePnbaCodeAndStore (parts: PublisherParts, request: ExchangePNBACodeAndStoreRequest): Promise<ExchangePNBACodeAndStoreResponse> {
  requireFields(request, ['long_lived_token', 'phone_number', 'platform', 'authorization_code'])
  const adapter = pnbaAdapterOf(parts, request.platform)
  await parts.checkLongLivedToken(request.long_lived_token)
  const linked = await adapterCall(async () => await adapter.exchangeCode({ phoneNumber: request.phone_number, code: request.authorization_code, ...(request.password === '' ? {} : { password: request.password }) }))
  if ('twoStepVerificationRequired' in linked) return { success: true, message: publisherTexts.twoStepVerification, two_step_verification_enabled: true }
  const stored = await parts.entityInternal.storeEntityToken({ long_lived_token: request.long_lived_token, platform: request.platform.toLowerCase(), account_identifier: linked.accountIdentifier, token: JSON.stringify(linked.token) })
  if (!stored.success) return { success: false, message: stored.message, two_step_verification_enabled: false }
  return { success: true, message: publisherTexts.tokenStored, two_step_verification_enabled: false }
}

export async function revokeAndDeletePnbaToken (parts: PublisherParts, request: RevokeAndDeleteTokenRequest): Promise<SuccessResponse> {
  requireFields(request, ['long_lived_token', 'platform', 'account_identifier'])
  return await revokeAndDelete(parts, request, pnbaAdapterOf(parts, request.platform))
}

async function revokeAndDelete (parts: PublisherParts, request: RevokeAndDeleteTokenRequest, adapter: OAuth2Adapter | PnbaAdapter): Promise<SuccessResponse> {
  // The name as the token was stored under (lower-cased, as every RPC here reads it).
  const selector = { long_lived_token: request.long_lived_token, platform: request.platform.toLowerCase(), account_identifier: request.account_identifier }
  const fetched = await parts.entityInternal.getEntityAccessToken({ ...selector, device_id: '', phone_number: '' })
  if (!fetched.success) return { success: false, message: fetched.message }
  try {
    await adapter.revoke(JSON.parse(fetched.token) as PlatformToken)
  } catch (error) {
    parts.onError('platform revoke failed', error)
  }
  const deleted = await parts.entityInternal.deleteEntityToken(selector)
  if (!deleted.success) return { success: false, message: deleted.message }
  return { success: true, message: publisherTexts.tokenDeleted }
}

/** Upstream's check: the first of `fields` that is empty is "Missing required field: <field>". */
function requireFields<Request extends object> (request: Request, fields: ReadonlyArray<keyof Request & string>): void {
  for (const field of fields) {
    if (request[field] === '') throw missingField(field)
  }
}

function oauth2AdapterOf (parts: PublisherParts, platform: string): OAuth2Adapter {
  return adapterOf(parts, platform, 'oauth2') as OAuth2Adapter
}

function pnbaAdapterOf (parts: PublisherParts, platform: string): PnbaAdapter {
  return adapterOf(parts, platform, 'pnba') as PnbaAdapter
}

function adapterOf (parts: PublisherParts, platform: string, protocol: PlatformProtocol): OAuth2Adapter | PnbaAdapter {
  const name = platform.toLowerCase()
  const adapter = parts.adapters.get(name)
  if (adapter === undefined || adapter.protocol !== protocol) throw unsupportedPlatform(name, protocol)
  return adapter
}

/** An adapter's refusal is the user's answer (INVALID_ARGUMENT with its text); anything else is unforeseen. */
async function adapterCall<T> (call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof PlatformFailure) throw invalidArgument(error.message)
    throw error
  }
}

function textOf (value: unknown): string {
  return typeof value === 'string' ? value : ''
}
