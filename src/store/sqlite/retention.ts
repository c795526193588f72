import type { GroupCommit } from './group-commit.ts'

/** How long done requests, statuses and unanswered correlations are kept by default: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000

/** Rows deleted per transaction when pruning, so no transaction holds the writer for long. */
export const PRUNE_CHUNK_ROWS = 5_000

/** How many rows one prune deleted, per table. */
export interface PruneCounts {
  readonly requests: number
  readonly statuses: number
  readonly correlations: number
}

/**
 * Runs `deleteChunk` (one DELETE of at most PRUNE_CHUNK_ROWS rows, returning how many it
 * deleted) a transaction at a time until a chunk comes back short; resolves with the total.
 * Other writes get their turn between chunks.
 */
export async function deleteInChunks (commit: GroupCommit, deleteChunk: (limit: number) => number): Promise<number> {
  let deleted = 0
  for (;;) {
    const changes = await commit.run(() => deleteChunk(PRUNE_CHUNK_ROWS))
    deleted += changes
    if (changes < PRUNE_CHUNK_ROWS) return deleted
  }
}
