import type { LedgerEntry } from '../../domain/ledger-record.ts'

/** When an unfinished claim counts as abandoned, for the ledger's readers. */
export interface ClaimTakeoverOptions {
  /**
   * Config `pipeline.claimTakeoverMs`: an owner that has not finished a claim this old is taken
   * for dead or stuck.
   */
  takeoverMs: number
  now?: () => number
}

/** True when `entry` was claimed `takeoverMs` or longer before `nowMs`: its owner is taken for dead or stuck. */
export function isPastTakeover (entry: LedgerEntry, nowMs: number, takeoverMs: number): boolean {
  return nowMs - entry.claimedAtMs >= takeoverMs
}
