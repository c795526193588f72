import { KeyedListeners } from '../../gateway/keyed-listeners.ts'
import { correlationKey, encodeCorrelationRecord, decodeCorrelationRecord, type CorrelationRecord } from '../../gateway/backends/smpp/correlation-record.ts'
import { CompactedTopic, type CompactedTopicOptions } from './compacted-topic.ts'

/**
 * The correlation table on the compacted `correl-id` topic. Every instance reads all of it, so
 * a delivery receipt reaching any instance finds its request.
 */
export class CorrelationStore {
  readonly #records = new Map<string, CorrelationRecord>()
  readonly #waiters = new KeyedListeners<CorrelationRecord>()
  readonly #table: CompactedTopic

  constructor (options: CompactedTopicOptions) {
    this.#table = new CompactedTopic({ ...options, onRecord: (key, value) => this.#onRecord(key, value) })
  }

  async start (): Promise<void> {
    await this.#table.start()
  }

  /** Records a submitted request; resolves once the record is durable on the topic. */
  async put (record: CorrelationRecord): Promise<void> {
    const key = correlationKey(record.recallId, record.connection)
    this.#remember(key, record)
    await this.#table.write(key, encodeCorrelationRecord(record))
  }

  get (recallId: string, connection?: string): CorrelationRecord | undefined {
    return this.#records.get(correlationKey(recallId, connection)) ?? this.#records.get(recallId)
  }

  /**
   * Resolves with the record of `recallId` once it is known here (written by this instance or
   * read from the topic), or undefined after `timeoutMs`: a receipt may overtake the record.
   */
  async waitFor (recallId: string, timeoutMs: number, connection?: string): Promise<CorrelationRecord | undefined> {
    const known = this.get(recallId, connection)
    if (known !== undefined) return known
    return await this.#waiters.next(correlationKey(recallId, connection), timeoutMs, () => undefined)
  }

  /** Forgets a request after its final receipt (a tombstone, so compaction drops it). */
  async remove (recallId: string, connection?: string): Promise<void> {
    const key = this.#records.has(correlationKey(recallId, connection)) ? correlationKey(recallId, connection) : recallId
    this.#records.delete(key)
    await this.#table.write(key, null)
  }

  #onRecord (key: string, value: string | null): void {
    const record = value === null ? null : decodeCorrelationRecord(value)
    if (record === null) this.#records.delete(key)
    else this.#remember(key, record)
  }

  #remember (key: string, record: CorrelationRecord): void {
    this.#records.set(key, record)
    this.#waiters.notify(key, record)
  }

  async close (): Promise<void> {
    await this.#table.close()
  }
}
