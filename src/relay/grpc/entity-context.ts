import { status } from '@grpc/grpc-js'
import type { RelayAccount } from '../../store/relay-accounts.ts'
import { deviceSecretOfAccount, findAccount, issueLongLivedToken, parseLongLivedToken, verifyLongLivedToken, type CreatedAccount, type RelayVault } from '../vault/index.ts'
import type { RelayLimitStore } from '../../store/relay-limits.ts'
import type { BreachLookup } from './breach-lookup.ts'
import type { CaptchaVerifier } from './captcha.ts'
import type { OtpSender } from './otp-sender.ts'
import { rateLimitedOtpSender, type Limits } from './rate-limited.ts'
import { INVALID_TOKEN_DETAILS, missingField, RpcFailure } from './rpc-failure.ts'

// What every Entity RPC works with: the vault over the store (sealing key ring, identifier key),
// the password pepper and the rate limits (relay.md §7), and the OTP sender (relay.md §2).

export interface EntityContext {
  readonly vault: RelayVault
  readonly pepper: Buffer
  /** The OTP sender behind the request windows (rateLimitedOtpSender). */
  readonly otp: OtpSender
  readonly limits: Limits
  /** The breach lookup of new passwords (relay.breachLookupUrl); none, no lookup. */
  readonly breachLookup?: BreachLookup | undefined
  /** The captcha of step 1 (relay.captchaUrl); none, no captcha. */
  readonly captcha?: CaptchaVerifier | undefined
}

export interface EntityParts {
  readonly vault: RelayVault
  readonly pepper: Buffer
  /** The sender itself; the request windows of relay.md §7 are put in front of it here. */
  readonly otpSender: OtpSender
  readonly limitStore: RelayLimitStore
  readonly nowMs?: () => number
  readonly breachLookup?: BreachLookup | undefined
  readonly captcha?: CaptchaVerifier | undefined
}

/** The context of the Entity RPCs from its parts: the one place the rate limits are put in. */
export function composeEntityContext (parts: EntityParts): EntityContext {
  const limits: Limits = { store: parts.limitStore, identifierKey: parts.vault.identifierKey, nowMs: parts.nowMs ?? Date.now }
  return { vault: parts.vault, pepper: parts.pepper, otp: rateLimitedOtpSender(parts.otpSender, limits), limits, breachLookup: parts.breachLookup, captcha: parts.captcha }
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
export async function accountOfToken (context: Pick<EntityContext, 'vault'>, plain: string): Promise<RelayAccount> {
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
