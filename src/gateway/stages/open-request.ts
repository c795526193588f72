import { isSmsgwError } from '../../errors.ts'
import { openPayload } from '../../crypto/payload/index.ts'
import type { VaultKey } from '../../crypto/vault/vault-key.ts'
import { parseSmsText, type SmsText } from '../../sms/sms-text.ts'
import { smsStatuses } from '../../domain/status-event.ts'
import { statusVerdict, type StatusVerdict } from './verdict.ts'

// Stage 3: open the sealed payload and read the SMS text (spec §3, §5 row 9). From here on the
// request holds plaintext: it stays in memory and goes to no log.

export type OpenVerdict =
  | StatusVerdict
  | { readonly kind: 'continue', readonly sms: SmsText }

export const openErrorTexts = {
  badPayload: (reason: string): string => `Failed to parse request payload: ${reason}`
} as const

/** The reason given for a failure that is not an SmsgwError (a bug of ours, or of a library). */
export const UNEXPECTED_OPEN_FAILURE = 'payload could not be opened'

/**
 * Opens `payload` with the client's keys (current first) and parses the SMS text. Every failure
 * (base64, decryption, SMS text) is INVALID with row 9's text; the reason is the SmsgwError's
 * message, which holds no plaintext except the invalid header line parseSmsText quotes, as the
 * contract prescribes. Plaintext bytes are read as UTF-8 with U+FFFD for bad sequences, as Java's
 * new String(bytes, UTF_8) does, and the decrypted buffer is zeroed afterwards.
 */
export function openRequest (payload: string, keys: readonly VaultKey[]): OpenVerdict {
  let text: string
  try {
    const plaintext = openPayload(payload, keys)
    try {
      text = plaintext.toString('utf8')
    } finally {
      plaintext.fill(0)
    }
    return { kind: 'continue', sms: parseSmsText(text) }
  } catch (error) {
    // Only our own messages are known to be free of plaintext; anything else is not echoed.
    const reason = isSmsgwError(error) ? error.message : UNEXPECTED_OPEN_FAILURE
    return statusVerdict(smsStatuses.invalid, openErrorTexts.badPayload(reason))
  }
}
