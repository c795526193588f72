import { createHash } from 'node:crypto'

// The last password strength rule (relay-wire.md §4): is the password in a breach database? Asked
// with k-anonymity (the Pwned Passwords range API): only the first 5 hex digits of the password's
// SHA-1 leave the gateway; the answer lists the suffixes of every breached hash under that prefix.

/** True: breached; false: not found; undefined: the lookup failed, so the rule is skipped (as upstream). */
export type BreachLookup = (password: string) => Promise<boolean | undefined>

/** Ours: a dead or slow service must not hold up a sign-up for long; the rule is then skipped. */
export const BREACH_LOOKUP_TIMEOUT_MS = 3000
const PREFIX_HEX_DIGITS = 5

export interface RangeApiOptions {
  /** e.g. https://api.pwnedpasswords.com (docs/configuration.md, relay.breachLookupUrl). */
  readonly baseUrl: string
  readonly timeoutMs?: number
}

/** The Pwned Passwords range API: GET <base>/range/<prefix>, lines SUFFIX:COUNT (padding lines have count 0). */
export function rangeApiBreachLookup (options: RangeApiOptions): BreachLookup {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? BREACH_LOOKUP_TIMEOUT_MS
  return async password => {
    const hash = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase()
    const suffix = hash.slice(PREFIX_HEX_DIGITS)
    try {
      const response = await fetch(`${base}/range/${hash.slice(0, PREFIX_HEX_DIGITS)}`, {
        headers: { 'Add-Padding': 'true' },
        signal: AbortSignal.timeout(timeoutMs)
      })
      if (!response.ok) return undefined
      return (await response.text()).split(/\r?\n/).some(line => {
        const [lineSuffix, count] = line.trim().split(':')
        return lineSuffix?.toUpperCase() === suffix && Number(count) > 0
      })
    } catch {
      // Unreachable, refused, timed out or cut off: the rule is skipped.
      return undefined
    }
  }
}
