import { CompactedTopic, type CompactedTopicOptions } from './compacted-topic.ts'

/** Which request an SMSC message id (recall-id) belongs to: the value on `correl-id` (spec §1). */
export interface CorrelationRecord {
  recallId: string
  clientId: string
  correlId: string
  /**
   * The SMSC connection that gave the id (ours): ids are unique per SMSC only, and with several
   * connections two SMSCs may both answer `1`. Absent in records of the older gateway.
   */
  connection?: string
}

/**
 * The record key: `<connection>:<recall-id>`, or the bare recall-id the older gateway wrote
 * (spec §1), which lookups fall back to so receipts for its last messages still match.
 */
export function correlationKey (recallId: string, connection?: string): string {
  return connection === undefined ? recallId : `${connection}:${recallId}`
}

/**
 * The correlation table on the compacted `correl-id` topic. Every instance reads all of it, so
 * a delivery receipt reaching any instance finds its request.
 */
export class CorrelationStore {
  readonly #records = new Map<string, CorrelationRecord>()
  readonly #waiters = new Map<string, Set<(record: CorrelationRecord) => void>>()
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
    const key = correlationKey(recallId, connection)
    return await new Promise(resolve => {
      const waiters = this.#waiters.get(key) ?? new Set()
      this.#waiters.set(key, waiters)
      const done = (record: CorrelationRecord | undefined): void => {
        clearTimeout(timer)
        waiters.delete(found)
        if (waiters.size === 0) this.#waiters.delete(key)
        resolve(record)
      }
      const found = (record: CorrelationRecord): void => done(record)
      const timer = setTimeout(() => done(undefined), timeoutMs)
      waiters.add(found)
    })
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
    for (const waiter of [...(this.#waiters.get(key) ?? [])]) waiter(record)
  }

  async close (): Promise<void> {
    await this.#table.close()
  }
}

export function encodeCorrelationRecord (record: CorrelationRecord): string {
  const fields = { 'recall-id': record.recallId, 'client-id': record.clientId, 'correl-id': record.correlId }
  return JSON.stringify(record.connection === undefined ? fields : { ...fields, connection: record.connection })
}

export function decodeCorrelationRecord (text: string): CorrelationRecord | null {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return null
    const fields = value as Record<string, unknown>
    const [recallId, clientId, correlId, connection] = [fields['recall-id'], fields['client-id'], fields['correl-id'], fields.connection]
    if (typeof recallId !== 'string' || typeof clientId !== 'string' || typeof correlId !== 'string') return null
    return typeof connection === 'string' ? { recallId, clientId, correlId, connection } : { recallId, clientId, correlId }
  } catch {
    return null
  }
}
