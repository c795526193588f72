import { status } from '@grpc/grpc-js'
import { timingSafeEqual } from 'node:crypto'
import type { RelayOtpStore } from '../../store/relay-otps.ts'
import type { OtpDelivery } from '../otp/otp-delivery.ts'
import { publishOtpDelivery } from '../relay-diagnostics.ts'
import { generateOtpCode, MAX_OTP_VERIFY_ATTEMPTS, OTP_LIFETIME_MS, otpCodeHashOf, otpKeyOf, precheckOtp } from '../vault/otp-rules.ts'
import { unavailableOtp, type OtpChannel, type OtpRecipient, type OtpSender } from './otp-sender.ts'
import { RpcFailure } from './rpc-failure.ts'

// The real one-time codes (relay.md §2): a fresh code per request, its state in the store
// (otp-rules.ts), delivered over the recipient's channel; the answers are relay-wire.md §4's, in
// upstream's order (src/otp_service.py, verify_inapp_otp). A channel without a delivery answers
// that its service is unavailable, as upstream does when a channel is switched off.

export interface StoredOtpOptions {
  readonly store: RelayOtpStore
  readonly identifierKey: Buffer
  readonly deliveries: Partial<Record<OtpChannel, OtpDelivery>>
  /** Called with a delivery's failure (it holds no recipient or code), before the RPC answers. */
  readonly onDeliveryError?: (channel: OtpChannel, error: unknown) => void
  readonly nowMs?: () => number
}

const SENT_MESSAGES: Record<OtpChannel, string> = { phone: 'OTP sent. Check your phone.', email: 'OTP sent. Check your email.' }
const FAILED_MESSAGES: Record<OtpChannel, string> = { phone: 'Failed to send OTP. Try again.', email: 'Failed to send OTP via email. Try again.' }
const NO_RECORD_MESSAGES: Record<OtpChannel, string> = { phone: 'No OTP record found for this phone number.', email: 'No OTP record found for this email.' }

export function storedOtpSender (options: StoredOtpOptions): OtpSender {
  const { store, identifierKey } = options
  const now = options.nowMs ?? Date.now
  const refuse = (details: string): RpcFailure => new RpcFailure(status.UNAUTHENTICATED, details)
  const noRecord = (recipient: OtpRecipient): RpcFailure => refuse(NO_RECORD_MESSAGES[recipient.channel])
  return {
    send: async (recipient, purpose) => {
      const delivery = options.deliveries[recipient.channel]
      if (delivery === undefined) throw unavailableOtp(recipient)
      const code = generateOtpCode()
      const key = otpKeyOf(identifierKey, recipient.identifier)
      const expiresAtMs = now() + OTP_LIFETIME_MS
      await store.put(key, { purpose, codeHash: otpCodeHashOf(identifierKey, key, code), expiresAtMs })
      try {
        await delivery.deliver(recipient.identifier, code, expiresAtMs)
      } catch (error) {
        publishOtpDelivery(recipient.channel, 'failed')
        options.onDeliveryError?.(recipient.channel, error)
        throw new RpcFailure(status.INVALID_ARGUMENT, FAILED_MESSAGES[recipient.channel])
      }
      publishOtpDelivery(recipient.channel, 'sent')
      // The rate limits put their window's end here (rate-limited.ts); alone, the code's expiry.
      return { message: SENT_MESSAGES[recipient.channel], nextAttemptSeconds: Math.floor(expiresAtMs / 1000) }
    },
    verify: async (recipient, purpose, code) => {
      if (options.deliveries[recipient.channel] === undefined) throw unavailableOtp(recipient)
      const key = otpKeyOf(identifierKey, recipient.identifier)
      const found = precheckOtp(await store.get(key), purpose, now())
      switch (found.kind) {
        case 'missing': throw refuse('OTP not initiated. Request a new OTP first.')
        case 'invalidated': throw noRecord(recipient)
        case 'mismatch': throw refuse('OTP action mismatch. Request a new OTP.')
        case 'expired':
          await store.invalidate(key, found.codeHash)
          throw refuse('OTP expired. Request a new one.')
      }
      // Counted before the code is compared, as upstream: the 5th attempt ends the code whatever it carries.
      const attempts = await store.countAttempt(key, found.codeHash)
      if (attempts === undefined) throw noRecord(recipient)
      if (attempts >= MAX_OTP_VERIFY_ATTEMPTS) {
        await store.invalidate(key, found.codeHash)
        throw refuse('Too many incorrect attempts. OTP invalidated. Request a new one.')
      }
      const given = Buffer.from(otpCodeHashOf(identifierKey, key, code), 'hex')
      if (!timingSafeEqual(given, Buffer.from(found.codeHash, 'hex'))) throw refuse('Incorrect OTP. Try again.')
      // One use: of two verifications of one code at once, one consumes it and the other finds none.
      if (!await store.consume(key, found.codeHash)) throw noRecord(recipient)
    }
  }
}
