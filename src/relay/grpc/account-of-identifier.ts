import { status } from '@grpc/grpc-js'
import type { RelayAccount } from '../../store/relay-accounts.ts'
import { findAccount, verifyPassword } from '../vault/index.ts'
import type { EntityContext } from './entity-context.ts'
import { MAX_PASSWORD_CHARS } from './entity-inputs.ts'
import type { OtpRecipient } from './otp-sender.ts'
import { passwordAttempt } from './rate-limited.ts'
import { RpcFailure } from './rpc-failure.ts'

// The account a login or reset names by its identifier (relay-wire.md §4: NOT_FOUND texts), and
// the password check of a login (UNAUTHENTICATED "Incorrect credentials…").

export async function accountOf (context: EntityContext, recipient: OtpRecipient): Promise<RelayAccount> {
  const account = await findAccount(context.vault, { identifier: recipient.identifier })
  if (!account.ok) throw new RpcFailure(status.NOT_FOUND, `Entity with this ${recipient.channel === 'email' ? 'email_address' : 'phone_number'} not found.`)
  return account.value
}

/**
 * A password check under the attempt locks of relay.md §7 (rate-limited.ts). A password longer
 * than any we accept (entity-inputs.ts) cannot match and is not hashed, but counts as a failure.
 */
export async function checkPassword (context: EntityContext, account: RelayAccount, password: string, incorrect: string): Promise<void> {
  const matches = await passwordAttempt(context.limits, account.entityId, async () => password.length <= MAX_PASSWORD_CHARS && (await verifyPassword(context.pepper, password, account.passwordHash)).matches)
  if (!matches) throw new RpcFailure(status.UNAUTHENTICATED, incorrect)
}

export const INCORRECT_CREDENTIALS = 'Incorrect credentials. Please double-check your details and try again.'
