/**
 * The advisory locks of the PostgreSQL store, as pg_advisory_lock's two-integer keys: the first
 * is smsgw's namespace (2775, SMPP's port), the second the lock. Another application's locks in
 * the same database would have to pick the same pair to collide.
 */
export const advisoryLocks = {
  /** Held while migrating, so instances starting together migrate once. */
  migration: [2775, 1],
  /** Held while enqueueing, so seqs are committed in the order they are handed out. */
  queueOrder: [2775, 2],
  /** Held by the queue's one consumer for as long as its session lives. */
  consumer: [2775, 3]
} as const satisfies Record<string, readonly [number, number]>
