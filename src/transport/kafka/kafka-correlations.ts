import { KeyedListeners } from '../../async/keyed-listeners.ts'
import { correlationKey, encodeCorrelationRecord, decodeCorrelationRecord, type CorrelationRecord } from '../../domain/correlation-record.ts'
import { CompactedTopic, type CompactedTopicOptions } from './compacted-topic.ts'

/**
 * The correlation table on the compacted `correl-id` topic. Every instance reads all of it, so
 * a delivery receipt reaching any instance finds its request. `sms-status` cannot drop a
 * status reported twice, so a record's pending SENT is confirmed here once it is out
 * (confirmSent), and a receipt waits for that before it reports the SENT itself (sentOut).
 */
export class KafkaCorrelations {
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

  /**
   * Stores `record` without its pendingSent: its SENT is out. Nothing when the record is gone
   * (a final receipt removed it) or confirmed already, so a late confirmation does not bring
   * back a record that compaction should drop.
   */
  async confirmSent (record: CorrelationRecord): Promise<void> {
    const key = correlationKey(record.recallId, record.connection)
    if (this.#records.get(key)?.pendingSent === undefined) return
    const { pendingSent: _out, ...confirmed } = record
    await this.put(confirmed)
  }

  /**
   * Resolves true once the record of `record`'s key is confirmed (or gone: a final status was
   * reported, after SENT), false when it is still pending after `timeoutMs`: its submitter
   * died, or stalls, between writing the record and confirming its SENT.
   */
  async sentOut (record: CorrelationRecord, timeoutMs: number): Promise<boolean> {
    const key = correlationKey(record.recallId, record.connection)
    const endMs = Date.now() + timeoutMs
    for (;;) {
      if (this.#records.get(key)?.pendingSent === undefined) return true
      const leftMs = endMs - Date.now()
      if (leftMs <= 0) return false
      await this.#waiters.next(key, leftMs, () => undefined)
    }
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
