import type { LedgerSource } from '../domain/ledger-record.ts'

/** The one stream of the request queue, as the requests read from it name their source: its offsets are the requests' seqs. */
export const EMBEDDED_STREAM = 'embedded/0'

/** The queue seq of a request read from this store's queue, by its ledger source; undefined for a request of any other source. */
export function queuedSeqOf (source: LedgerSource): number | undefined {
  return source.stream === EMBEDDED_STREAM ? Number(source.offset) : undefined
}
