import type { SmsText } from '../../sms/sms-text.ts'
import { smsStatuses } from '../../domain/status-event.ts'
import { statusVerdict, type StatusVerdict } from './verdict.ts'

// Stage 4: does the opened SMS name a recipient and carry a body (spec §5 rows 10–13)?

/** An SMS ready to be routed. Holds plaintext: never log it, never persist it. */
export interface OutboundSms {
  /** `+` and digits. */
  readonly to: string
  readonly sender?: string
  readonly body: string
  /** All headers of the SMS text, `To` and `Sender` included. */
  readonly headers: ReadonlyMap<string, string>
}

export type SmsVerdict =
  | StatusVerdict
  | { readonly kind: 'continue', readonly message: OutboundSms }

export const smsHeaders = { to: 'To', sender: 'Sender' } as const

// The contract prescribes echoing the recipient in rows 11 and 12.
export const smsErrorTexts = {
  noRecipient: "SMS lacks recipient 'To' field",
  notInternational: (to: string): string => `SMS recipient not a full international number: ${to}`,
  notNumber: (to: string): string => `SMS recipient not a valid number: ${to}`,
  emptyBody: 'SMS body is empty'
} as const

const INTERNATIONAL_PREFIX = '+'
// ASCII digits only, as Java's \d.
const INTERNATIONAL_NUMBER = /^\+[0-9]+$/

const invalid = (errorText: string): StatusVerdict => statusVerdict(smsStatuses.invalid, errorText)

/** Rows 10–13 in order; the first failing check decides. An empty body has no characters. */
export function validateSms (sms: SmsText): SmsVerdict {
  const to = sms.headers.get(smsHeaders.to)
  if (to === undefined) return invalid(smsErrorTexts.noRecipient)
  if (!to.startsWith(INTERNATIONAL_PREFIX)) return invalid(smsErrorTexts.notInternational(to))
  if (!INTERNATIONAL_NUMBER.test(to)) return invalid(smsErrorTexts.notNumber(to))
  if (sms.body.length === 0) return invalid(smsErrorTexts.emptyBody)
  const sender = sms.headers.get(smsHeaders.sender)
  return {
    kind: 'continue',
    message: { to, ...(sender === undefined ? {} : { sender }), body: sms.body, headers: sms.headers }
  }
}
