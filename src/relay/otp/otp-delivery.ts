// How a one-time code reaches its owner (relay.md §2): a port with one adapter per channel, an
// outbound SMS of ours (sms-otp-delivery.ts) or an e-mail over SMTP (email-otp-delivery.ts). The
// code's state (expiry, attempts, the action it was asked for) is the caller's
// (src/relay/grpc/stored-otp-sender.ts); a delivery only carries the text.

export interface OtpDelivery {
  /**
   * Hands `code` for `recipient` (an E.164 number or an e-mail address) to the channel. Resolves
   * once the channel took it (the SMS queued durably, the mail server accepted the message);
   * rejects otherwise, with an error that never holds the recipient or the code.
   */
  deliver: (recipient: string, code: string, expiresAtMs: number) => Promise<void>
}
