// Stage 5: which backend takes the request (spec §6, §7). Routing is data: an ordered table of
// small filters, the first rule that matches wins, and an explicit default takes the rest.

/** The name of the loopback backend, which answers client `test` without an SMSC (§6). */
export const LOOPBACK_BACKEND = 'loopback'
/** The client whose requests never reach an SMSC (§6). */
export const TEST_CLIENT = 'test'

/**
 * One routing rule. A rule matches when every filter it has matches; a filter left out (or an
 * empty list, as with allowed prefixes) matches everything, so a rule without filters catches all.
 */
export interface RouteRule {
  /** Client-ids, matched exactly. */
  readonly clients?: readonly string[]
  /** Recipient prefixes such as `+255`, matched against `To`. */
  readonly prefixes?: readonly string[]
  /** The name of the backend to use. */
  readonly backend: string
}

/** What routing looks at: who sends, and to whom (plaintext; it stays in memory). */
export interface RouteSubject {
  readonly clientId: string
  readonly to: string
}

/** The rules every table starts with: client `test` goes to the loopback, whatever else is configured. */
export const defaultRoutes: readonly RouteRule[] = Object.freeze([
  Object.freeze({ clients: Object.freeze([TEST_CLIENT]), backend: LOOPBACK_BACKEND })
])

/** The backend of the first rule in `table` that matches, or `defaultBackend` when none does. */
export function routeRequest (subject: RouteSubject, table: readonly RouteRule[], defaultBackend: string): string {
  return table.find(rule => ruleMatches(rule, subject))?.backend ?? defaultBackend
}

const isEmpty = (filter: readonly string[] | undefined): filter is undefined =>
  filter === undefined || filter.length === 0

function ruleMatches (rule: RouteRule, { clientId, to }: RouteSubject): boolean {
  const clientMatches = isEmpty(rule.clients) || rule.clients.includes(clientId)
  const prefixMatches = isEmpty(rule.prefixes) || rule.prefixes.some(prefix => to.startsWith(prefix))
  return clientMatches && prefixMatches
}
