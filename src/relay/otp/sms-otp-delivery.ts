import { randomUUID, type KeyObject } from 'node:crypto'
import { payloadFormats, sealPayload } from '../../crypto/payload/index.ts'
import type { RequestIngress } from '../../gateway/request-ingress.ts'
import { formatSmsText } from '../../sms/sms-text.ts'
import type { OtpDelivery } from './otp-delivery.ts'

// relay.md §2 (ours): the OTP SMS is an outbound SMS of ours. The relay is a client of the
// outbound side like any other: it seals the SMS text to its client's public key and puts the
// request JSON (outbound-gateway.md §2) on the gateway's request ingress (the embedded durable
// queue, or `send-sms` on Kafka), from where the same pipeline and backends send it. The code is
// in clear only here, before sealing, and inside the gateway while it submits the SMS.

/** Upstream's text of its own OTP SMS (src/otp_service.py, _send_with_queuedroid). */
export function otpSmsText (code: string): string {
  return `Your RelaySMS Verification Code is: ${code}`
}

export interface SmsOtpOptions {
  /** Where the gateway takes requests. */
  readonly ingress: RequestIngress
  /** The client the relay sends as: allowed by the gateway, with its key in the gateway's vault. */
  readonly clientId: string
  /** That client's public key, to seal to. */
  readonly publicKey: KeyObject
  /** The SMS's `Sender` header. */
  readonly sender: string
}

/**
 * An OTP SMS per code, sealed (v2 format) and queued; resolves once the request is durable. Its
 * deadline is the code's expiry (an SMS arriving later is of no use), and its correl-id a random
 * one, so no identifier shows in the request's clear fields.
 */
export function smsOtpDelivery (options: SmsOtpOptions): OtpDelivery {
  return {
    deliver: async (recipient, code, expiresAtMs) => {
      const text = formatSmsText({ To: recipient, Sender: options.sender }, otpSmsText(code))
      const request = {
        'client-id': options.clientId,
        'correl-id': `relay-otp-${randomUUID()}`,
        deadline: new Date(expiresAtMs).toISOString(),
        payload: sealPayload(options.publicKey, Buffer.from(text, 'utf8'), payloadFormats.v2)
      }
      await options.ingress.accept([JSON.stringify(request)])
    }
  }
}
