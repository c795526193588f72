import { smsStatuses } from '../../domain/status-event.ts'
import type { OutboundSms } from './validate-sms.ts'
import { statusVerdict, type StatusVerdict } from './verdict.ts'

// Stage 6, for real backends only (not the loopback): does the SMS suit this backend (spec §5,
// backend checks)? The older gateway hard-coded +255 and ^\+255\d{9}$; ours come from the
// configuration of each backend.

export interface BackendRules {
  /** Recipient prefixes the backend may send to, such as `+255`; empty allows every recipient. */
  readonly allowedPrefixes: readonly string[]
  /** Must match the whole recipient (`+` included), as Java's Pattern.matches; none allows every number. */
  readonly numberPattern?: RegExp
}

/** An SMS a backend can submit: it names its sender. */
export interface SubmittableSms extends OutboundSms {
  readonly sender: string
}

export type BackendVerdict =
  | StatusVerdict
  | { readonly kind: 'continue', readonly message: SubmittableSms }

// The contract prescribes echoing the recipient and the sender.
export const backendErrorTexts = {
  foreignRecipient: (to: string): string => `Gateway disallows foreign SMS recipient: ${to}`,
  recipientPattern: (to: string): string => `Recipient number invalid for SMPP backend: ${to}`,
  noSender: 'SMPP backend requires a message sender',
  senderLength: (sender: string): string => `SMS sender does not have a 1-11 character length: ${sender}`,
  blankBody: 'SMS message is empty'
} as const

// Java's ^.{1,11}$: 1 to 11 code points, none of them a line terminator.
const SENDER = /^[^\n\r\u0085\u2028\u2029]{1,11}$/u

/**
 * The backend checks in the contract's order; the first failing one decides. A blank body is
 * empty or white space only (String.prototype.trim's white space).
 */
export function validateForBackend (message: OutboundSms, rules: BackendRules): BackendVerdict {
  const { to, sender } = message
  if (rules.allowedPrefixes.length > 0 && !rules.allowedPrefixes.some(prefix => to.startsWith(prefix))) {
    return statusVerdict(smsStatuses.invalid, backendErrorTexts.foreignRecipient(to))
  }
  if (rules.numberPattern !== undefined && !matchesWhole(rules.numberPattern, to)) {
    return statusVerdict(smsStatuses.invalid, backendErrorTexts.recipientPattern(to))
  }
  if (sender === undefined) return statusVerdict(smsStatuses.invalid, backendErrorTexts.noSender)
  if (!SENDER.test(sender)) return statusVerdict(smsStatuses.invalid, backendErrorTexts.senderLength(sender))
  if (message.body.trim() === '') return statusVerdict(smsStatuses.invalid, backendErrorTexts.blankBody)
  return { kind: 'continue', message: { ...message, sender } }
}

// An anchored copy per configured pattern, made once. Without the g and y flags, test() keeps no
// lastIndex between calls, so one pattern serves every request.
const wholePatterns = new WeakMap<RegExp, RegExp>()

function matchesWhole (pattern: RegExp, text: string): boolean {
  let whole = wholePatterns.get(pattern)
  if (whole === undefined) {
    whole = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''))
    wholePatterns.set(pattern, whole)
  }
  return whole.test(text)
}
