import type { LedgerLog } from '../../gateway/ledger/ledger-log.ts'
import { decodeLedgerRecord, encodeLedgerRecord, type LedgerEntry, type LedgerRecord } from '../../domain/ledger-record.ts'
import { MemoryLedgerLog } from '../../gateway/ledger/memory-ledger-log.ts'
import { CompactedTopic, type CompactedTopicOptions } from './compacted-topic.ts'

/**
 * The request ledger on a compacted Kafka topic. Every instance reads the whole topic and
 * folds it in log order into a MemoryLedgerLog view. `append` produces a record and waits
 * until this instance has read it back, so the view then reflects the outcome of the race
 * between instances for that key (a Kafka partition is the arbiter of order).
 */
export class KafkaLedgerLog implements LedgerLog {
  readonly #view = new MemoryLedgerLog()
  readonly #table: CompactedTopic
  /** Appends waiting to see their own record read back, by `key + token + state`. */
  readonly #echoes = new Map<string, () => void>()

  constructor (options: CompactedTopicOptions) {
    this.#table = new CompactedTopic({ ...options, onRecord: (key, value) => this.#onRecord(key, value) })
  }

  async start (): Promise<void> {
    await this.#table.start()
  }

  async append (key: string, record: LedgerRecord | null, options = { readBack: false }): Promise<void> {
    if (record === null || !options.readBack) {
      await this.#table.write(key, record === null ? null : encodeLedgerRecord(record))
      return
    }
    const echo = echoKey(key, record)
    const readBack = new Promise<void>(resolve => this.#echoes.set(echo, resolve))
    try {
      await this.#table.write(key, encodeLedgerRecord(record))
    } catch (error) {
      this.#echoes.delete(echo)
      throw error
    }
    await readBack
  }

  entry (key: string): LedgerEntry | undefined {
    return this.#view.entry(key)
  }

  entries (): Array<{ key: string, entry: LedgerEntry }> {
    return this.#view.entries()
  }

  watch (key: string, listener: () => void): () => void {
    return this.#view.watch(key, listener)
  }

  /** How many requests the view holds: claimed and not yet forgotten. */
  get size (): number {
    return this.#view.size
  }

  #onRecord (key: string, value: string | null): void {
    const record = value === null ? null : decodeLedgerRecord(value)
    // A value that is not a ledger record was not written by us: skip it rather than let it
    // forget a live claim.
    if (value !== null && record === null) return
    this.#view.apply(key, record)
    if (record !== null) {
      const echo = echoKey(key, record)
      this.#echoes.get(echo)?.()
      this.#echoes.delete(echo)
    }
  }

  async close (): Promise<void> {
    await this.#table.close()
  }
}

function echoKey (key: string, record: LedgerRecord): string {
  return `${key}\u0000${record.token}\u0000${record.state}`
}
