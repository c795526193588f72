import { status } from '@grpc/grpc-js'
import type { OtpAction } from '../vault/otp-rules.ts'
import { RpcFailure } from './rpc-failure.ts'

// Proof of ownership of relay.md §2: the first step of Create/Authenticate/ResetPassword sends a
// one-time code, the second verifies it. The port; its senders are stored-otp-sender.ts (codes
// kept in the store, delivered by SMS through our own outbound pipeline or by e-mail over SMTP)
// and development-otp-sender.ts (a fixed code, development only).

export type OtpChannel = 'phone' | 'email'
/** What a code proves: a code asked for one action does not complete another. */
export type OtpPurpose = OtpAction

export interface OtpRecipient {
  readonly channel: OtpChannel
  /** The normalised phone number or the e-mail address. */
  readonly identifier: string
}

export interface OtpSent {
  /** The OTP sender text of relay-wire.md §4 (the response's `message`). */
  readonly message: string
  /** Unix seconds when the resend window ends (`next_attempt_timestamp`). */
  readonly nextAttemptSeconds: number
}

export interface OtpSender {
  /** Sends a code; a failure is an RpcFailure with relay-wire.md §4's INVALID_ARGUMENT texts. */
  send: (recipient: OtpRecipient, purpose: OtpPurpose) => Promise<OtpSent>
  /** Resolves when the code is right; otherwise rejects with an UNAUTHENTICATED text of §4. */
  verify: (recipient: OtpRecipient, purpose: OtpPurpose, code: string) => Promise<void>
}

/** relay-wire.md §4's answer for a channel that has no sender. */
export function unavailableOtp (recipient: OtpRecipient): RpcFailure {
  return new RpcFailure(status.INVALID_ARGUMENT, recipient.channel === 'email' ? 'EMAIL OTP service unavailable for your region. Contact support.' : 'SMS OTP service unavailable for your region. Contact support.')
}
