import { hashPassword, retireDevice } from '../vault/index.ts'
import { checkPassword } from './account-of-identifier.ts'
import { accountOfToken, type EntityContext } from './entity-context.ts'
import { checkPasswordStrength, requireField } from './entity-inputs.ts'

// UpdateEntityPassword (relay-wire.md §1, §4): the long-lived token, the current password, a new
// one that keeps the strength rules. On success every device must log in again (retireDevice).

export interface UpdateEntityPasswordRequest {
  readonly long_lived_token: string
  readonly current_password: string
  readonly new_password: string
}

export interface UpdateEntityPasswordResponse {
  readonly message: string
  readonly success: boolean
}

export async function updateEntityPassword (context: EntityContext, request: UpdateEntityPasswordRequest): Promise<UpdateEntityPasswordResponse> {
  requireField(request.long_lived_token, 'long_lived_token')
  requireField(request.current_password, 'current_password')
  requireField(request.new_password, 'new_password')
  const account = await accountOfToken(context, request.long_lived_token)
  await checkPassword(context, account, request.current_password, 'The current password you entered is incorrect. Please try again.')
  await checkPasswordStrength(request.new_password, context.breachLookup)
  const retired = await retireDevice(context.vault, account.entityId, await hashPassword(context.pepper, request.new_password))
  // An account deleted meanwhile: the catch-all answer (unary()).
  if (!retired.ok) throw retired.error
  return { message: 'Password updated successfully.', success: true }
}
