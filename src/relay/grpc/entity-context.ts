import { status } from '@grpc/grpc-js'
import type { RelayAccount } from '../../store/relay-accounts.ts'
import { deviceSecretOfAccount, findAccount, issueLongLivedToken, parseLongLivedToken, verifyLongLivedToken, type CreatedAccount, type RelayVault } from '../vault/index.ts'
import type { OtpSender } from './otp-sender.ts'
import { INVALID_TOKEN_DETAILS, missingField, RpcFailure } from './rpc-failure.ts'

// What every Entity RPC works with: the vault over the store (sealing key ring, identifier key),
// the password pepper (relay.md §7) and the OTP sender (relay.md §2).

export interface EntityContext {
  readonly vault: RelayVault
  readonly pepper: Buffer
  readonly otp: OtpSender
}

/** The keys and token a completed step returns (relay-wire.md §1, LLT note). */
export async function completedFields (created: CreatedAccount): Promise<{ long_lived_token: string, server_publish_pub_key: string, server_device_id_pub_key: string }> {
  const { handshake } = created
  const token = await issueLongLivedToken(created.entityId, handshake.deviceSecret)
  return {
    long_lived_token: token.response,
    server_publish_pub_key: handshake.serverPublishKeyPair.publicKey.toString('base64'),
    server_device_id_pub_key: handshake.serverDeviceIdKeyPair.publicKey.toString('base64')
  }
}

/**
 * The account a request's "<eid>:<jwt>" long-lived token names, verified with the account's
 * device secret; every failure is relay-wire.md §4's one UNAUTHENTICATED text.
 */
export async function accountOfToken (context: EntityContext, plain: string): Promise<RelayAccount> {
  if (plain === '') throw missingField('long_lived_token')
  const parsed = parseLongLivedToken(plain)
  if (!parsed.ok) throw invalidToken()
  const account = await findAccount(context.vault, { entityId: parsed.value.eid })
  if (!account.ok) throw invalidToken()
  const secret = deviceSecretOfAccount(context.vault, account.value)
  if (!secret.ok) throw invalidToken()
  const verified = await verifyLongLivedToken(plain, secret.value)
  if (!verified.ok) throw invalidToken()
  return account.value
}

function invalidToken (): RpcFailure {
  return new RpcFailure(status.UNAUTHENTICATED, INVALID_TOKEN_DETAILS)
}
