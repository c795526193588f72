import { DEFAULT_INBOUND_DUPLICATE_WINDOW_MS } from '../../config/defaults.ts'
import { isOutcomeOpen, type LedgerEntry } from '../../domain/ledger-record.ts'
import type { EmbeddedStore, RequestQueueStore } from '../../store/embedded-store.ts'
import { queuedSeqOf } from '../../store/queue-source.ts'
import { EmbeddedIngress } from './embedded-ingress.ts'
import { EmbeddedRequestSource, type EmbeddedRequestSourceOptions } from './embedded-request-source.ts'
import { EmbeddedStatusStore, type EmbeddedStatusStoreOptions } from './embedded-status-store.ts'
import { InboundInbox, type InboundInboxOptions } from './inbound-inbox.ts'
import { StoreCorrelations } from './store-correlations.ts'
import { StoreLedgerLog } from './store-ledger-log.ts'

export interface EmbeddedTransportOptions {
  source?: EmbeddedRequestSourceOptions
  statuses?: EmbeddedStatusStoreOptions
  /** Who owns inbound SMS; default: nobody (every inbound SMS is refused). */
  inbound?: InboundInboxOptions
}

/** Every part of the embedded transport, over one store. */
export interface EmbeddedTransport {
  readonly store: EmbeddedStore
  readonly source: EmbeddedRequestSource
  readonly ingress: EmbeddedIngress
  readonly statuses: EmbeddedStatusStore
  readonly ledgerLog: StoreLedgerLog
  readonly correlations: StoreCorrelations
  /** Inbound SMS: sealed, stored, served. */
  readonly inbound: InboundInbox
  /** Ends the source's iteration, commits the writes still queued and closes the store. */
  close: () => Promise<void>
}

/**
 * Builds the parts the gateway and the HTTP API use over `store` (opened by the caller, see
 * openStore), which the transport owns from then on: `close` closes it, and so does a failed
 * open. Before it resolves, it forgets the ledger entries of requests already done: the
 * `forget` a crash cut off between a request's commit and the gateway's onCommitted. Entries
 * whose outcome is unknown stay: they are listed for operators until one resolves them. Rejects
 * when the store cannot be read.
 */
export async function openEmbeddedTransport (store: EmbeddedStore, options: EmbeddedTransportOptions = {}): Promise<EmbeddedTransport> {
  try {
    const ledgerLog = new StoreLedgerLog(store.ledger)
    await ledgerLog.forgetSettled(async entry => !isOutcomeOpen(entry) && await isDoneRequestsEntry(entry, store.requests))
    const source = new EmbeddedRequestSource(store.requests, options.source)
    return {
      store,
      source,
      ingress: new EmbeddedIngress(store.requests),
      statuses: new EmbeddedStatusStore(store.statuses, options.statuses),
      ledgerLog,
      correlations: new StoreCorrelations(store.correlations, store.statuses),
      inbound: new InboundInbox(store.inbound, options.inbound ?? { owners: [], duplicateWindowMs: DEFAULT_INBOUND_DUPLICATE_WINDOW_MS }),
      close: async () => {
        await source.close()
        await store.close()
      }
    }
  } catch (error) {
    await store.close()
    throw error
  }
}

/**
 * True when the entry was claimed for a request of this queue that is no longer queued. The
 * gateway forgets exactly these after the commit; an entry of any other source is left alone.
 */
async function isDoneRequestsEntry (entry: LedgerEntry, requests: RequestQueueStore): Promise<boolean> {
  const seq = queuedSeqOf(entry.source)
  return seq !== undefined && !await requests.isQueued(seq)
}
