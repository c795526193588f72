import { KeyedListeners } from '../../async/keyed-listeners.ts'
import type { CorrelationLookup } from '../../gateway/backends/smpp/receipt-handler.ts'
import type { CorrelationWriter } from '../../gateway/backends/smpp/smpp-backend.ts'
import { smsStatuses } from '../../domain/status-event.ts'
import type { CorrelationStore, StatusHistoryStore } from '../../store/embedded-store.ts'
import { correlationKey, type CorrelationRecord } from '../../domain/correlation-record.ts'

/**
 * The correlation table of the embedded deployment (the `correl-id` topic of a Kafka one): the
 * SMPP backend writes a record per submitted message, the receipt handler finds it by the
 * SMSC's message id. Keys are correlationKey's, with the same fall-back to a bare message id.
 * A record's pending SENT needs no confirmation here: the status store keeps each status once,
 * so a receipt that reports it again stores nothing (docs/delivery-guarantees.md).
 */
export class StoreCorrelations implements CorrelationLookup, CorrelationWriter {
  readonly #store: CorrelationStore
  readonly #statuses: StatusHistoryStore | undefined
  readonly #waiters = new KeyedListeners<CorrelationRecord>()

  /** With `statuses`, sentOut reads whether a record's SENT is stored; without, it says "not known". */
  constructor (store: CorrelationStore, statuses?: StatusHistoryStore) {
    this.#store = store
    this.#statuses = statuses
  }

  /**
   * Whether the SENT `record` carries is stored, read from the status history at once (no
   * waiting: a receipt that reports it again is harmless, only a write more than this read).
   */
  async sentOut (record: CorrelationRecord): Promise<boolean> {
    const sent = record.pendingSent
    if (sent === undefined || this.#statuses === undefined) return false
    const history = await this.#statuses.history(record.clientId, record.correlId)
    return history.some(event => event.status === smsStatuses.sent && event.recallId === sent.recallId)
  }

  /** Records a submitted message; resolves once durable, then wakes receipts waiting for it. */
  async put (record: CorrelationRecord): Promise<void> {
    const key = correlationKey(record.recallId, record.connection)
    await this.#store.put(key, record)
    this.#waiters.notify(key, record)
  }

  async get (recallId: string, connection?: string): Promise<CorrelationRecord | undefined> {
    return await this.#store.get(correlationKey(recallId, connection)) ?? (connection === undefined ? undefined : await this.#store.get(recallId))
  }

  /**
   * Resolves with the record of `recallId` once it is written through this instance, or after
   * `timeoutMs` with what the store holds then (written by another instance meanwhile), or
   * undefined: a receipt may overtake its submit response.
   */
  async waitFor (recallId: string, timeoutMs: number, connection?: string): Promise<CorrelationRecord | undefined> {
    const key = correlationKey(recallId, connection)
    // Listening during the read too: the store may answer after the record was put meanwhile.
    let putMeanwhile: CorrelationRecord | undefined
    const stopListening = this.#waiters.add(key, record => { putMeanwhile = record })
    try {
      const known = await this.get(recallId, connection) ?? putMeanwhile
      if (known !== undefined) return known
    } finally {
      stopListening()
    }
    return await this.#waiters.next(key, timeoutMs, () => undefined) ?? await this.get(recallId, connection)
  }

  /** Forgets a message after its final receipt; resolves once durable. */
  async remove (recallId: string, connection?: string): Promise<void> {
    if (await this.#store.remove(correlationKey(recallId, connection))) return
    if (connection !== undefined) await this.#store.remove(recallId)
  }
}
