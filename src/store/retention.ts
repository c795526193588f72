/** How long done requests, statuses and unanswered correlations are kept by default: 7 days. */
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
