import { KeyedListeners } from '../../gateway/keyed-listeners.ts'
import type { CorrelationLookup } from '../../gateway/backends/smpp/receipt-handler.ts'
import type { CorrelationWriter } from '../../gateway/backends/smpp/smpp-backend.ts'
import type { CorrelationTable } from '../../store/sqlite/correlation-table.ts'
import { correlationKey, type CorrelationRecord } from '../../gateway/backends/smpp/correlation-record.ts'

/**
 * The correlation table of the embedded deployment (the `correl-id` topic of a Kafka one): the
 * SMPP backend writes a record per submitted message, the receipt handler finds it by the
 * SMSC's message id. Keys are correlationKey's, with the same fall-back to a bare message id.
 */
export class SqliteCorrelations implements CorrelationLookup, CorrelationWriter {
  readonly #table: CorrelationTable
  readonly #waiters = new KeyedListeners<CorrelationRecord>()

  constructor (table: CorrelationTable) {
    this.#table = table
  }

  /** Records a submitted message; resolves once durable, then wakes receipts waiting for it. */
  async put (record: CorrelationRecord): Promise<void> {
    const key = correlationKey(record.recallId, record.connection)
    await this.#table.put(key, record)
    this.#waiters.notify(key, record)
  }

  get (recallId: string, connection?: string): CorrelationRecord | undefined {
    return this.#table.get(correlationKey(recallId, connection)) ?? (connection === undefined ? undefined : this.#table.get(recallId))
  }

  /**
   * Resolves with the record of `recallId` once it is written through this instance, or after
   * `timeoutMs` with what the table holds then (written by another process meanwhile), or
   * undefined: a receipt may overtake its submit response.
   */
  async waitFor (recallId: string, timeoutMs: number, connection?: string): Promise<CorrelationRecord | undefined> {
    const known = this.get(recallId, connection)
    if (known !== undefined) return known
    return await this.#waiters.next(correlationKey(recallId, connection), timeoutMs, () => this.get(recallId, connection))
  }

  /** Forgets a message after its final receipt; resolves once durable. */
  async remove (recallId: string, connection?: string): Promise<void> {
    if (await this.#table.remove(correlationKey(recallId, connection))) return
    if (connection !== undefined) await this.#table.remove(recallId)
  }
}
