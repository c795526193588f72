import { status } from '@grpc/grpc-js'
import type { RelayLimitStore } from '../../store/relay-limits.ts'
import { publishRateLimited } from '../relay-diagnostics.ts'
import { LIMIT_RESET_AFTER_MS, limitKeyOf, otpWindowMs, passwordLockMs } from '../vault/rate-limits.ts'
import type { OtpSender } from './otp-sender.ts'
import { RpcFailure } from './rpc-failure.ts'

// The rate limits of relay.md §7 at the RPCs, with relay-wire.md §4's texts; the counts are in the
// store, so a restart or another instance does not reset them.

export interface Limits {
  readonly store: RelayLimitStore
  readonly identifierKey: Buffer
  readonly nowMs: () => number
}

/** The OTP sender behind the request windows: a request inside the window is refused and sends nothing. */
export function rateLimitedOtpSender (inner: OtpSender, limits: Limits): OtpSender {
  return {
    send: async (recipient, purpose) => {
      const key = limitKeyOf(limits.identifierKey, 'otp', recipient.identifier)
      if (await blockedUntil(limits, key) > limits.nowMs()) {
        publishRateLimited('otp')
        throw new RpcFailure(status.INVALID_ARGUMENT, 'Too many OTP requests. Wait and try again.')
      }
      const until = limits.nowMs() + otpWindowMs(await limits.store.bump(key))
      await limits.store.block(key, until)
      const sent = await inner.send(recipient, purpose)
      return { ...sent, nextAttemptSeconds: Math.floor(until / 1000) }
    },
    verify: async (recipient, purpose, code) => {
      await inner.verify(recipient, purpose, code)
      await limits.store.clear(limitKeyOf(limits.identifierKey, 'otp', recipient.identifier))
    }
  }
}

/**
 * Runs a password check of the account `entityId` under the attempt locks: while locked it is
 * UNAVAILABLE without checking; a failure counts (and may lock), a success clears the count.
 */
export async function passwordAttempt (limits: Limits, entityId: string, check: () => Promise<boolean>): Promise<boolean> {
  const key = limitKeyOf(limits.identifierKey, 'password', entityId)
  if (await blockedUntil(limits, key) > limits.nowMs()) {
    publishRateLimited('password')
    throw new RpcFailure(status.UNAVAILABLE, 'Too many password attempts. Please wait and try again later.')
  }
  if (await check()) {
    await limits.store.clear(key)
    return true
  }
  const lock = passwordLockMs(await limits.store.bump(key))
  if (lock !== undefined) await limits.store.block(key, limits.nowMs() + lock)
  return false
}

/** The key's block; a count whose block ended a day ago starts over (rate-limits.ts). */
async function blockedUntil (limits: Limits, key: string): Promise<number> {
  const limit = await limits.store.get(key)
  if (limit === undefined) return 0
  if (limit.blockedUntilMs > 0 && limits.nowMs() > limit.blockedUntilMs + LIMIT_RESET_AFTER_MS) {
    await limits.store.clear(key)
    return 0
  }
  return limit.blockedUntilMs
}
