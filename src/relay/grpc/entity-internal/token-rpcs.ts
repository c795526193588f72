import { status } from '@grpc/grpc-js'
import { errorCodes } from '../../../errors.ts'
import type { Platform } from '../../payload/platforms.ts'
import type { Outcome } from '../../outcome.ts'
import { deletePlatformToken, knownPlatformOf, platformTokenOf, storePlatformToken, updatePlatformToken } from '../../vault/index.ts'
import { invalidArgument, RpcFailure } from '../rpc-failure.ts'
import { accountOfRequest, entityIdOfRequest, requireFields, type InternalContext } from './account-of-request.ts'
import type { DeleteEntityTokenRequest, GetEntityAccessTokenRequest, GetEntityAccessTokenResponse, StoreEntityTokenRequest, TokenChangeResponse, UpdateEntityTokenRequest } from './entity-internal.ts'

// The token RPCs of vault.v1.EntityInternal (relay-wire.md §2, §4), in upstream's order of checks:
// required fields, the account, the platform (of the known list; UpdateEntityToken does not check
// it and answers NOT_FOUND, as upstream), then the token. Texts as upstream's handlers have them;
// a token or account identifier over its bound, or a token that is not a JSON object, is ours
// (INVALID_ARGUMENT, docs/relay.md "EntityInternal").

export async function storeEntityToken (context: InternalContext, request: StoreEntityTokenRequest): Promise<TokenChangeResponse> {
  requireFields(request, ['long_lived_token', 'token', 'platform', 'account_identifier'])
  const account = await accountOfRequest(context, { long_lived_token: request.long_lived_token })
  const platform = supportedPlatform(request.platform)
  answerOf(await storePlatformToken(context.vault, account.entityId, platform, request.account_identifier, request.token))
  return { message: 'Token stored successfully.', success: true }
}

export async function getEntityAccessToken (context: InternalContext, request: GetEntityAccessTokenRequest): Promise<GetEntityAccessTokenResponse> {
  requireFields(request, [['device_id', 'long_lived_token', 'phone_number'], 'platform', 'account_identifier'])
  const entityId = await entityIdOfRequest(context, request)
  supportedPlatform(request.platform)
  const token = answerOf(await platformTokenOf(context.vault, entityId, request.platform, request.account_identifier))
  if (token === undefined) throw noToken(request)
  return { token, message: 'Successfully fetched tokens.', success: true }
}

export async function updateEntityToken (context: InternalContext, request: UpdateEntityTokenRequest): Promise<TokenChangeResponse> {
  requireFields(request, [['device_id', 'phone_number'], 'token', 'platform', 'account_identifier'])
  const account = await accountOfRequest(context, { device_id: request.device_id, phone_number: request.phone_number })
  if (!answerOf(await updatePlatformToken(context.vault, account.entityId, request.platform, request.account_identifier, request.token))) throw noToken(request)
  return { message: 'Token updated successfully.', success: true }
}

export async function deleteEntityToken (context: InternalContext, request: DeleteEntityTokenRequest): Promise<TokenChangeResponse> {
  requireFields(request, ['long_lived_token', 'platform', 'account_identifier'])
  const account = await accountOfRequest(context, { long_lived_token: request.long_lived_token })
  supportedPlatform(request.platform)
  if (!await deletePlatformToken(context.vault, account.entityId, request.platform, request.account_identifier)) throw noToken(request)
  return { message: 'Token deleted successfully.', success: true }
}

function supportedPlatform (name: string): Platform {
  const platform = knownPlatformOf(name)
  if (platform !== undefined) return platform
  throw new RpcFailure(status.UNIMPLEMENTED, `The platform '${name}' is currently not supported. Please contact the developers for more information on when this platform will be implemented.`)
}

function noToken (request: { readonly platform: string, readonly account_identifier: string }): RpcFailure {
  return new RpcFailure(status.NOT_FOUND, `No token found with account identifier ${request.account_identifier} for ${request.platform}`)
}

/** A refused input is its INVALID_ARGUMENT text; anything else (a sealed value that does not open) is the catch-all. */
function answerOf<T> (outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value
  if (outcome.error.code === errorCodes.relayInvalidInput) throw invalidArgument(outcome.error.message)
  throw outcome.error
}
