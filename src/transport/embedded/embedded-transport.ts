import type { LedgerEntry } from '../../gateway/ledger/ledger-record.ts'
import type { RequestQueue } from '../../store/sqlite/request-queue.ts'
import { SqliteStore, type SqliteStoreOptions } from '../../store/sqlite/sqlite-store.ts'
import { EmbeddedIngress } from './embedded-ingress.ts'
import { EMBEDDED_STREAM, EmbeddedRequestSource, type EmbeddedRequestSourceOptions } from './embedded-request-source.ts'
import { EmbeddedStatusStore, type EmbeddedStatusStoreOptions } from './embedded-status-store.ts'
import { SqliteCorrelations } from './sqlite-correlations.ts'
import { SqliteLedgerLog } from './sqlite-ledger-log.ts'

export interface EmbeddedTransportOptions {
  store?: SqliteStoreOptions
  source?: EmbeddedRequestSourceOptions
  statuses?: EmbeddedStatusStoreOptions
}

/** Every part of the embedded transport, over one store file. */
export interface EmbeddedTransport {
  readonly store: SqliteStore
  readonly source: EmbeddedRequestSource
  readonly ingress: EmbeddedIngress
  readonly statuses: EmbeddedStatusStore
  readonly ledgerLog: SqliteLedgerLog
  readonly correlations: SqliteCorrelations
  /** Ends the source's iteration, commits the writes still queued and closes the file. */
  close: () => Promise<void>
}

/**
 * Opens (creating and migrating it if need be) the store in `file` and builds the parts the
 * gateway and the HTTP API use. Before it resolves, it forgets the ledger entries of requests
 * already done: the `forget` a crash cut off between a request's commit and the gateway's
 * onCommitted. Rejects when the file cannot be opened as a store.
 */
export async function openEmbeddedTransport (file: string, options: EmbeddedTransportOptions = {}): Promise<EmbeddedTransport> {
  const store = SqliteStore.open(file, options.store)
  try {
    const ledgerLog = new SqliteLedgerLog(store.ledger)
    await ledgerLog.forgetSettled(entry => isDoneRequestsEntry(entry, store.requests))
    const source = new EmbeddedRequestSource(store.requests, options.source)
    return {
      store,
      source,
      ingress: new EmbeddedIngress(store.requests),
      statuses: new EmbeddedStatusStore(store.statuses, options.statuses),
      ledgerLog,
      correlations: new SqliteCorrelations(store.correlations),
      close: async () => {
        await source.close()
        store.close()
      }
    }
  } catch (error) {
    store.close()
    throw error
  }
}

const EMBEDDED_SOURCE = new RegExp(`^${EMBEDDED_STREAM}/(\\d+)$`)

/**
 * True when the entry was claimed for a request of this queue (its source is
 * `embedded/0/<seq>`, as the pipeline names it) that is no longer queued. The gateway forgets
 * exactly these after the commit; an entry of any other source is left alone.
 */
function isDoneRequestsEntry (entry: LedgerEntry, requests: RequestQueue): boolean {
  const seq = EMBEDDED_SOURCE.exec(entry.source)?.[1]
  return seq !== undefined && !requests.isQueued(Number(seq))
}
