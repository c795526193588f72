// Real SMSCs write message ids in different ways: decimal counters, hex strings, fixed-width
// numbers with leading zeros, and some use one way in submit_sm_resp and another in the
// receipt. The simulator writes its counter in each of these, so that the gateway's
// normalisation (src/smpp/receipts/message-id.ts) meets all of them.

/**
 * How the simulator writes a message id:
 * - `decimal`: `42`;
 * - `hex`: lower-case hexadecimal without prefix, `2a`;
 * - `zero-padded`: decimal with leading zeros to a fixed width, `0000000042`.
 */
export const messageIdFormats = {
  decimal: 'decimal',
  hex: 'hex',
  zeroPadded: 'zero-padded'
} as const

export type MessageIdFormat = typeof messageIdFormats[keyof typeof messageIdFormats]
export const allowedMessageIdFormats: readonly MessageIdFormat[] = Object.values(messageIdFormats)

/** The width of `zero-padded` ids by default: the 10 digits of SMPP 3.4 Appendix B's `id:`. */
export const DEFAULT_ZERO_PADDED_WIDTH = 10

/** `counter` written in `format`; `width` is the digit count of `zero-padded` ids (a longer number is not cut). */
export function formatMessageId (counter: number, format: MessageIdFormat, width = DEFAULT_ZERO_PADDED_WIDTH): string {
  switch (format) {
    case messageIdFormats.decimal: return String(counter)
    case messageIdFormats.hex: return counter.toString(16)
    case messageIdFormats.zeroPadded: return String(counter).padStart(width, '0')
  }
}
