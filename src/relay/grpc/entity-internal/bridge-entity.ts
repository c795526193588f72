import { status } from '@grpc/grpc-js'
import { checkX25519PublicKeyField, findAccount } from '../../vault/index.ts'
import { checkPhoneCountry } from '../entity-inputs.ts'
import { invalidArgument, RpcFailure } from '../rpc-failure.ts'
import { requireFields, type InternalContext } from './account-of-request.ts'

// CreateBridgeEntity and AuthenticateBridgeEntity of vault.v1.EntityInternal (relay-wire.md §2),
// for upstream's Bridge Server (RelaySMS over SMS without an app sign-up). smsgw has no bridges:
// it holds no static server keys (relay-wire.md §5.2) and no account of its is bridge-enabled. So
// both answer what upstream answers in that case, after upstream's checks of the request:
// CreateBridgeEntity NOT_FOUND "The server public key identifier … is not found." (no static key
// of that kid), AuthenticateBridgeEntity NOT_FOUND when no account has the number, else
// UNAUTHENTICATED "Bridges are not enabled …". Nothing is stored (docs/relay.md, "Bridges").

export interface CreateBridgeEntityRequest {
  readonly country_code: string
  readonly phone_number: string
  readonly client_publish_pub_key: string
  readonly ownership_proof_response: string
  readonly server_pub_key_identifier: string
  readonly server_pub_key_version: string
  readonly language: string
}

export interface AuthenticateBridgeEntityRequest {
  readonly phone_number: string
  readonly language: string
}

export interface BridgeEntityResponse {
  readonly message: string
  readonly success: boolean
  readonly language?: string
}

export async function createBridgeEntity (_context: InternalContext, request: CreateBridgeEntityRequest): Promise<BridgeEntityResponse> {
  requireFields(request, ['country_code', 'phone_number'])
  checkPhoneCountry(request.phone_number, request.country_code)
  requireFields(request, ['client_publish_pub_key', 'server_pub_key_identifier'])
  const key = checkX25519PublicKeyField('client_publish_pub_key', request.client_publish_pub_key)
  if (!key.ok) throw invalidArgument(key.error.message)
  // Upstream's text names the version as the request gave it (empty when absent), though it looks up "v1" then.
  throw new RpcFailure(status.NOT_FOUND, `The server public key identifier '${request.server_pub_key_identifier}' for version ${request.server_pub_key_version} is not found.`)
}

export async function authenticateBridgeEntity (context: InternalContext, request: AuthenticateBridgeEntityRequest): Promise<BridgeEntityResponse> {
  requireFields(request, ['phone_number'])
  const account = await findAccount(context.vault, { identifier: request.phone_number })
  if (!account.ok) throw new RpcFailure(status.NOT_FOUND, 'Bridge Entity with this phone number not found.')
  throw new RpcFailure(status.UNAUTHENTICATED, 'Bridges are not enabled for Entity with this phone number.')
}
