import type { KafkaConnection } from './client-options.ts'
import type { CoalescingProducer } from './coalescing-producer.ts'
import { CompactedTopicReader } from './compacted-topic-reader.ts'

/** Where a table on a compacted topic lives, and the producer that writes to it. */
export interface CompactedTopicOptions {
  connection: KafkaConnection
  topic: string
  /** Prefix of the reader's private consumer group. */
  groupPrefix: string
  producer: CoalescingProducer
}

/**
 * A keyed table on a compacted topic, as the correlation store and the request ledger keep
 * theirs: every record of the topic goes to `onRecord` in log order, and `write` produces a
 * record under its key through the shared producer.
 */
export class CompactedTopic {
  readonly #reader: CompactedTopicReader
  readonly #producer: CoalescingProducer
  readonly #topic: string

  constructor (options: CompactedTopicOptions & { onRecord: (key: string, value: string | null) => void }) {
    this.#topic = options.topic
    this.#producer = options.producer
    this.#reader = new CompactedTopicReader({
      connection: options.connection,
      topic: options.topic,
      groupPrefix: options.groupPrefix,
      onRecord: options.onRecord
    })
  }

  /** Starts reading and resolves once every record that existed at the start has been read. */
  async start (): Promise<void> {
    await this.#reader.start()
  }

  /** Produces `value` under `key` (null: a tombstone, so compaction drops the key). */
  async write (key: string, value: string | null): Promise<void> {
    await this.#producer.send({ topic: this.#topic, key, value })
  }

  async close (): Promise<void> {
    await this.#reader.close()
  }
}
