import { relaySmsSender, type RelaySmsOptions } from '../outbound/relay-sms.ts'
import type { OtpDelivery } from './otp-delivery.ts'

// relay.md §2 (ours): the OTP SMS is an outbound SMS of ours (src/relay/outbound/relay-sms.ts).
// The code is in clear only before sealing, and inside the gateway while it submits the SMS.

/** Upstream's text of its own OTP SMS (src/otp_service.py, _send_with_queuedroid). */
export function otpSmsText (code: string): string {
  return `Your RelaySMS Verification Code is: ${code}`
}

export type SmsOtpOptions = RelaySmsOptions

/**
 * An OTP SMS per code, sealed and queued; resolves once the request is durable. Its deadline is
 * the code's expiry (an SMS arriving later is of no use).
 */
export function smsOtpDelivery (options: SmsOtpOptions): OtpDelivery {
  const sms = relaySmsSender(options)
  return {
    deliver: async (recipient, code, expiresAtMs) => { await sms.send(recipient, otpSmsText(code), 'otp', expiresAtMs) }
  }
}
