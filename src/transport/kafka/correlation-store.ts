import type { KafkaConnection } from './client-options.ts'
import type { CoalescingProducer } from './coalescing-producer.ts'
import { CompactedTopicReader } from './compacted-topic-reader.ts'

/** Which request an SMSC message id (recall-id) belongs to: the value on `correl-id` (spec §1). */
export interface CorrelationRecord {
  recallId: string
  clientId: string
  correlId: string
}

/**
 * The correlation table on the compacted `correl-id` topic, keyed by recall-id. Every instance
 * reads all of it, so a delivery receipt reaching any instance finds its request.
 */
export class CorrelationStore {
  readonly #records = new Map<string, CorrelationRecord>()
  readonly #waiters = new Map<string, Set<(record: CorrelationRecord) => void>>()
  readonly #reader: CompactedTopicReader
  readonly #producer: CoalescingProducer
  readonly #topic: string

  constructor (options: { connection: KafkaConnection, topic: string, groupPrefix: string, producer: CoalescingProducer }) {
    this.#topic = options.topic
    this.#producer = options.producer
    this.#reader = new CompactedTopicReader({
      connection: options.connection,
      topic: options.topic,
      groupPrefix: options.groupPrefix,
      onRecord: (key, value) => this.#onRecord(key, value)
    })
  }

  async start (): Promise<void> {
    await this.#reader.start()
  }

  /** Records a submitted request; resolves once the record is durable on the topic. */
  async put (record: CorrelationRecord): Promise<void> {
    this.#remember(record)
    await this.#producer.send({ topic: this.#topic, key: record.recallId, value: encodeCorrelationRecord(record) })
  }

  get (recallId: string): CorrelationRecord | undefined {
    return this.#records.get(recallId)
  }

  /**
   * Resolves with the record of `recallId` once it is known here (written by this instance or
   * read from the topic), or undefined after `timeoutMs`: a receipt may overtake the record.
   */
  async waitFor (recallId: string, timeoutMs: number): Promise<CorrelationRecord | undefined> {
    const known = this.#records.get(recallId)
    if (known !== undefined) return known
    return await new Promise(resolve => {
      const waiters = this.#waiters.get(recallId) ?? new Set()
      this.#waiters.set(recallId, waiters)
      const done = (record: CorrelationRecord | undefined): void => {
        clearTimeout(timer)
        waiters.delete(found)
        if (waiters.size === 0) this.#waiters.delete(recallId)
        resolve(record)
      }
      const found = (record: CorrelationRecord): void => done(record)
      const timer = setTimeout(() => done(undefined), timeoutMs)
      waiters.add(found)
    })
  }

  /** Forgets a request after its final receipt (a tombstone, so compaction drops it). */
  async remove (recallId: string): Promise<void> {
    this.#records.delete(recallId)
    await this.#producer.send({ topic: this.#topic, key: recallId, value: null })
  }

  #onRecord (key: string, value: string | null): void {
    const record = value === null ? null : decodeCorrelationRecord(value)
    if (record === null) this.#records.delete(key)
    else this.#remember(record)
  }

  #remember (record: CorrelationRecord): void {
    this.#records.set(record.recallId, record)
    for (const waiter of [...(this.#waiters.get(record.recallId) ?? [])]) waiter(record)
  }

  async close (): Promise<void> {
    await this.#reader.close()
  }
}

export function encodeCorrelationRecord (record: CorrelationRecord): string {
  return JSON.stringify({ 'recall-id': record.recallId, 'client-id': record.clientId, 'correl-id': record.correlId })
}

export function decodeCorrelationRecord (text: string): CorrelationRecord | null {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return null
    const fields = value as Record<string, unknown>
    const [recallId, clientId, correlId] = [fields['recall-id'], fields['client-id'], fields['correl-id']]
    if (typeof recallId !== 'string' || typeof clientId !== 'string' || typeof correlId !== 'string') return null
    return { recallId, clientId, correlId }
  } catch {
    return null
  }
}
