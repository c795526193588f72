import type { StatusEvent } from '../../domain/status-event.ts'

/**
 * The statuses the gateway has reported, for the HTTP API, webhooks and the dashboard: the
 * history of one request, and a live feed. Implemented by the embedded store (SQLite) and, on
 * Kafka deployments, by a follower of `sms-status`.
 */
export interface StatusFeed {
  /** Statuses of one request, oldest first; empty when none is known. */
  history: (clientId: string, correlId: string) => Promise<StatusEvent[]>
  /**
   * Calls `listener` with each status reported from now on (of one client, or of all); returns
   * a function that stops it. With `reportedHere`, only the statuses this instance reported,
   * not those other instances sharing the store did: what each instance alone must act on
   * (webhooks: one delivery per status, from the instance that reported it).
   */
  subscribe: (clientId: string | undefined, listener: (event: StatusEvent) => void, options?: { reportedHere?: boolean }) => () => void
}
