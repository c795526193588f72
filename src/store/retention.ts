import type { PruneCounts } from './embedded-store.ts'

/** How long done requests, statuses, unanswered correlations and inbound SMS are kept by default: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000

/** Rows deleted per transaction when pruning, so no transaction holds the writer for long. */
export const PRUNE_CHUNK_ROWS = 5_000

/**
 * Runs `deleteChunk` (one transaction deleting at most PRUNE_CHUNK_ROWS rows, resolving with
 * how many it deleted) until a chunk comes back short; resolves with the total. Other writes
 * get their turn between chunks.
 */
export async function deleteInChunks (deleteChunk: (limit: number) => Promise<number>): Promise<number> {
  let deleted = 0
  for (;;) {
    const changes = await deleteChunk(PRUNE_CHUNK_ROWS)
    deleted += changes
    if (changes < PRUNE_CHUNK_ROWS) return deleted
  }
}

/** A table that deletes what was stored before a cutoff, resolving with how many rows. */
interface Prunable {
  prune: (cutoffMs: number) => Promise<number>
}

/**
 * Prunes the tables a store keeps for a while (done requests, statuses, correlations whose
 * final receipt never came, inbound SMS), one after another, at `now` minus `retentionMs`.
 */
export async function pruneStore (tables: { requests: Prunable, statuses: Prunable, correlations: Prunable, inbound: Prunable }, now: Date, retentionMs: number): Promise<PruneCounts> {
  const cutoffMs = now.getTime() - retentionMs
  const requests = await tables.requests.prune(cutoffMs)
  const statuses = await tables.statuses.prune(cutoffMs)
  const correlations = await tables.correlations.prune(cutoffMs)
  const inbound = await tables.inbound.prune(cutoffMs)
  return { requests, statuses, correlations, inbound }
}
