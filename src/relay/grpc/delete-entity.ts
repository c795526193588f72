import { accountOfToken, type EntityContext } from './entity-context.ts'

// DeleteEntity (relay-wire.md §1, §4). Upstream refuses (FAILED_PRECONDITION) while platform
// tokens are stored; none can be stored yet (the publisher, next issue), so the account goes.

export interface DeleteEntityRequest {
  readonly long_lived_token: string
}

export interface DeleteEntityResponse {
  readonly message: string
  readonly success: boolean
}

export async function deleteEntity (context: EntityContext, request: DeleteEntityRequest): Promise<DeleteEntityResponse> {
  const account = await accountOfToken(context, request.long_lived_token)
  await context.vault.accounts.remove(account.entityId)
  return { message: 'Entity deleted successfully.', success: true }
}
