import { status } from '@grpc/grpc-js'
import { listPlatformTokens } from '../vault/index.ts'
import { accountOfToken, type EntityContext } from './entity-context.ts'
import { RpcFailure } from './rpc-failure.ts'
import { pythonStringRepr } from './python-repr.ts'

// DeleteEntity (relay-wire.md §1, §4). Upstream refuses (FAILED_PRECONDITION) while platform
// tokens are stored, naming each as the str() of a Python dict, so that the user revokes them
// first (the app revokes every account, then deletes).

export interface DeleteEntityRequest {
  readonly long_lived_token: string
}

export interface DeleteEntityResponse {
  readonly message: string
  readonly success: boolean
}

export async function deleteEntity (context: EntityContext, request: DeleteEntityRequest): Promise<DeleteEntityResponse> {
  const account = await accountOfToken(context, request.long_lived_token)
  const tokens = await listPlatformTokens(context.vault, account.entityId)
  if (!tokens.ok) throw tokens.error
  if (tokens.value.length > 0) {
    const list = tokens.value.map(token => `{'account_identifier': ${pythonStringRepr(token.accountIdentifier)}, 'platform': ${pythonStringRepr(token.platform)}}`).join('; ')
    throw new RpcFailure(status.FAILED_PRECONDITION, `You cannot delete entity because it still has stored tokens. Revoke stored tokens with the following platforms and try again: ${list}.`)
  }
  await context.vault.accounts.remove(account.entityId)
  return { message: 'Entity deleted successfully.', success: true }
}
