import { messageIdStyles } from '../../config/message-id-styles.ts'
import type { MessageIdStyle } from '../../config/message-id-styles.ts'

// SMSCs do not always write a message id the same way in submit_sm_resp and in the receipt:
// some pad with zeros, some change case, some answer in hex and report in decimal (or the other
// way round). Each side is normalised with the style that describes how that side writes ids;
// equal canonical forms mean the same message.

// C-octet strings sometimes arrive with their terminating NUL; String#trim keeps NULs.
const SURROUNDING_SPACE = /^[\s\0]+|[\s\0]+$/gu
const DECIMAL = /^[0-9]+$/
const HEX = /^(?:0x)?([0-9a-f]+)$/i
const LEADING_ZEROS = /^0+(?=.)/su

/** The canonical form of `id` in `style`, for matching a receipt to its submit_sm_resp. Never throws. */
export function normaliseMessageId (id: string, style: MessageIdStyle): string {
  const trimmed = id.replace(SURROUNDING_SPACE, '')
  switch (style) {
    case messageIdStyles.asIs:
      return trimmed
    case messageIdStyles.decimal:
      return DECIMAL.test(trimmed) ? BigInt(trimmed).toString(10) : stripLeadingZeros(trimmed)
    case messageIdStyles.hex: {
      const digits = HEX.exec(trimmed)?.[1]
      return digits === undefined ? stripLeadingZeros(trimmed) : BigInt(`0x${digits}`).toString(10)
    }
    case messageIdStyles.stripLeadingZeros:
      return stripLeadingZeros(trimmed)
  }
}

function stripLeadingZeros (id: string): string {
  return id.toLowerCase().replace(LEADING_ZEROS, '')
}
