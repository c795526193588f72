import type { UntypedServiceImplementation } from '@grpc/grpc-js'
import { unary } from '../rpc-failure.ts'
import type { InternalContext } from './account-of-request.ts'
import { authenticateBridgeEntity, createBridgeEntity } from './bridge-entity.ts'
import type { EntityInternal } from './entity-internal.ts'
import { decryptPayloadRpc, encryptPayloadRpc } from './payload-rpcs.ts'
import { deleteEntityToken, getEntityAccessToken, storeEntityToken, updateEntityToken } from './token-rpcs.ts'

// vault.v1.EntityInternal twice over the same handlers: in one process (the publisher calls
// entityInternalOf) and as a gRPC service (entityInternalServiceHandlers, on its own port).

/** The EntityInternal calls over the vault's context; each fails with the contract's RpcFailure. */
export function entityInternalOf (context: InternalContext): EntityInternal {
  return {
    storeEntityToken: async request => await storeEntityToken(context, request),
    getEntityAccessToken: async request => await getEntityAccessToken(context, request),
    decryptPayload: async request => await decryptPayloadRpc(context, request),
    encryptPayload: async request => await encryptPayloadRpc(context, request),
    updateEntityToken: async request => await updateEntityToken(context, request),
    deleteEntityToken: async request => await deleteEntityToken(context, request)
  }
}

/** The handlers of vault.v1.EntityInternal (relay-wire.md §2), each answer counted by method and status. */
export function entityInternalServiceHandlers (context: InternalContext, onInternalError: (error: unknown) => void): UntypedServiceImplementation {
  const internal = entityInternalOf(context)
  return {
    StoreEntityToken: unary('StoreEntityToken', internal.storeEntityToken, onInternalError),
    GetEntityAccessToken: unary('GetEntityAccessToken', internal.getEntityAccessToken, onInternalError),
    DecryptPayload: unary('DecryptPayload', internal.decryptPayload, onInternalError),
    EncryptPayload: unary('EncryptPayload', internal.encryptPayload, onInternalError),
    UpdateEntityToken: unary('UpdateEntityToken', internal.updateEntityToken, onInternalError),
    DeleteEntityToken: unary('DeleteEntityToken', internal.deleteEntityToken, onInternalError),
    CreateBridgeEntity: unary('CreateBridgeEntity', async request => await createBridgeEntity(context, request), onInternalError),
    AuthenticateBridgeEntity: unary('AuthenticateBridgeEntity', async request => await authenticateBridgeEntity(context, request), onInternalError)
  }
}
