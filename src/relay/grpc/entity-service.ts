import type { UntypedServiceImplementation } from '@grpc/grpc-js'
import { createEntity } from './create-entity.ts'
import type { EntityContext } from './entity-context.ts'
import { unary } from './rpc-failure.ts'

// The handlers of vault.v1.Entity (relay-wire.md §1). An RPC not listed here is not built yet:
// grpc-js answers it UNIMPLEMENTED by itself (docs/relay.md, "What is not built yet").

export function entityServiceHandlers (context: EntityContext, onInternalError: (error: unknown) => void): UntypedServiceImplementation {
  return {
    CreateEntity: unary(async request => await createEntity(context, request), onInternalError)
  }
}
