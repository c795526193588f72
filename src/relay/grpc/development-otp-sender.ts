import { status } from '@grpc/grpc-js'
import { timingSafeEqual } from 'node:crypto'
import type { OtpSender } from './otp-sender.ts'
import { RpcFailure } from './rpc-failure.ts'

// relay.md §2 (ours): a development mode accepts a fixed code for configured test identifiers.
// Nothing is sent. The configuration refuses it outside relay.environment = development
// (config-rules.ts), so a production vault never accepts a known code.

/** Upstream's test-mode sender text (relay-wire.md §4). */
export const DEVELOPMENT_OTP_MESSAGE = 'OTP sent successfully. Please check for the code.'
/** The app counts down to next_attempt_timestamp; 60 s is its own default (relay-wire.md §1). */
const RESEND_WINDOW_SECONDS = 60

export interface DevelopmentOtpOptions {
  readonly code: string
  /** Normalised phone numbers and e-mail addresses that may use the code. */
  readonly identifiers: readonly string[]
  readonly nowSeconds?: () => number
}

export function developmentOtpSender (options: DevelopmentOtpOptions): OtpSender {
  const allowed = new Set(options.identifiers)
  const expected = Buffer.from(options.code, 'utf8')
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000))
  return {
    send: async recipient => {
      if (!allowed.has(recipient.identifier)) throw new RpcFailure(status.INVALID_ARGUMENT, recipient.channel === 'email' ? 'Failed to send OTP via email. Try again.' : 'Failed to send OTP. Try again.')
      return { message: DEVELOPMENT_OTP_MESSAGE, nextAttemptSeconds: now() + RESEND_WINDOW_SECONDS }
    },
    verify: async (recipient, _purpose, code) => {
      if (!allowed.has(recipient.identifier)) throw new RpcFailure(status.UNAUTHENTICATED, 'OTP not initiated. Request a new OTP first.')
      const given = Buffer.from(code, 'utf8')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new RpcFailure(status.UNAUTHENTICATED, 'Incorrect OTP. Try again.')
    }
  }
}
