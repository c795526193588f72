import type { UntypedServiceImplementation } from '@grpc/grpc-js'
import { authenticateEntity } from './authenticate-entity.ts'
import { createEntity } from './create-entity.ts'
import { deleteEntity } from './delete-entity.ts'
import type { EntityContext } from './entity-context.ts'
import { listEntityStoredTokens } from './list-stored-tokens.ts'
import { resetPassword } from './reset-password.ts'
import { unary } from './rpc-failure.ts'
import { updateEntityPassword } from './update-entity-password.ts'

// The handlers of vault.v1.Entity (relay-wire.md §1), one per RPC. A request grpc-js cannot
// decode, or one over the server's size bound, never reaches them (grpc-js answers it itself).

export function entityServiceHandlers (context: EntityContext, onInternalError: (error: unknown) => void): UntypedServiceImplementation {
  return {
    CreateEntity: unary('CreateEntity', async request => await createEntity(context, request), onInternalError),
    AuthenticateEntity: unary('AuthenticateEntity', async request => await authenticateEntity(context, request), onInternalError),
    ListEntityStoredTokens: unary('ListEntityStoredTokens', async request => await listEntityStoredTokens(context, request), onInternalError),
    DeleteEntity: unary('DeleteEntity', async request => await deleteEntity(context, request), onInternalError),
    ResetPassword: unary('ResetPassword', async request => await resetPassword(context, request), onInternalError),
    UpdateEntityPassword: unary('UpdateEntityPassword', async request => await updateEntityPassword(context, request), onInternalError)
  }
}
