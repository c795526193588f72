/**
 * How an SMSC writes message ids (smpp.respIdStyle, smpp.receiptIdStyle); the receipt matcher
 * (smpp/receipts/message-id.ts) normalises each side with its style:
 * - `as-is`: exactly as sent, compared case-sensitively (only surrounding white space and NULs go);
 * - `strip-leading-zeros`: leading zeros dropped and letters lower-cased (`00A7` → `a7`, `000` → `0`);
 * - `decimal`: a decimal number, canonical as decimal without leading zeros (`0042` → `42`);
 * - `hex`: a hexadecimal number, optionally `0x`-prefixed, canonical as decimal (`0x2A` → `42`),
 *   so that a hex id on one side meets a decimal id on the other.
 * An id that is not a number in the `decimal` or `hex` style keeps its `strip-leading-zeros`
 * form, which always holds a character other than a digit and so never meets a number.
 */
export const messageIdStyles = {
  asIs: 'as-is',
  decimal: 'decimal',
  hex: 'hex',
  stripLeadingZeros: 'strip-leading-zeros'
} as const

export type MessageIdStyle = typeof messageIdStyles[keyof typeof messageIdStyles]
export const allowedMessageIdStyles: readonly MessageIdStyle[] = Object.values(messageIdStyles)
