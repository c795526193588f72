/**
 * The advisory locks of the PostgreSQL store. Advisory locks belong to a database, not to a
 * schema, so each key pairs the lock's number with a hash of the current schema: deployments in
 * two schemas of one database keep their own locks. The numbers are smsgw's (2775, SMPP's
 * port, times ten plus the lock); another application's locks would have to pick the same pair
 * to collide.
 */
const locks = {
  /** Held while migrating, so instances starting together migrate once. */
  migration: 27751,
  /** Held while enqueueing, so seqs are committed in the order they are handed out. */
  queueOrder: 27752,
  /** Held by the queue's one consumer for as long as its session lives. */
  consumer: 27753
} as const

/** The arguments of pg_advisory_lock and its kin for `lock` in the current schema, as SQL. */
export function advisoryKey (lock: keyof typeof locks): string {
  return `${locks[lock]}, hashtext(current_schema())`
}
