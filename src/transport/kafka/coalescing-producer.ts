import { Producer, ProduceAcks } from '@platformatic/kafka'
import { clientOptions, type KafkaConnection } from './client-options.ts'

/** One record to produce. A null value is a tombstone. */
export interface OutgoingRecord {
  topic: string
  /** None for requests on send-sms, which clients send without a key (spec §1). */
  key?: string
  value: string | null
}

const MAX_BATCH_RECORDS = 500
/**
 * How long a record may wait for others to join its batch. Each produce request costs the
 * client a metadata lookup, a partitioning pass and a socket write on the event loop; under
 * load, a millisecond of waiting fills batches and frees the loop for the pipeline.
 */
export const DEFAULT_LINGER_MS = 1

/**
 * A producer that gathers the records sent within a millisecond into one produce request. The gateway sends several small records per SMS (claim, statuses, done);
 * one request each would cap throughput at the broker's request rate. Each `send` resolves
 * once its batch is acknowledged by all in-sync replicas, and rejects if the batch failed.
 */
export class CoalescingProducer {
  readonly #producer: Producer<string | undefined, string | null, string, string>
  #pending: Array<{ record: OutgoingRecord, resolve: () => void, reject: (error: unknown) => void }> = []
  #scheduled = false
  #inFlight = new Set<Promise<void>>()

  constructor (connection: KafkaConnection) {
    this.#producer = new Producer({
      ...clientOptions(connection, 'producer'),
      acks: ProduceAcks.ALL,
      idempotent: true,
      serializers: {
        key: key => key === undefined ? undefined : Buffer.from(key),
        // A tombstone is a record with no value at all, not an empty one.
        value: value => value === null || value === undefined ? undefined : Buffer.from(value),
        headerKey: key => key === undefined ? undefined : Buffer.from(key),
        headerValue: value => value === undefined ? undefined : Buffer.from(value)
      }
    })
  }

  async send (record: OutgoingRecord): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#pending.push({ record, resolve, reject })
      if (this.#pending.length >= MAX_BATCH_RECORDS) this.#flush()
      else if (!this.#scheduled) {
        this.#scheduled = true
        setTimeout(() => this.#flush(), DEFAULT_LINGER_MS)
      }
    })
  }

  #flush (): void {
    this.#scheduled = false
    const batch = this.#pending
    this.#pending = []
    if (batch.length === 0) return
    const sending = this.#producer.send({ messages: batch.map(({ record }) => ({ topic: record.topic, key: record.key, value: record.value })) })
      .then(() => { for (const item of batch) item.resolve() }, (error: unknown) => { for (const item of batch) item.reject(error) })
    this.#inFlight.add(sending)
    void sending.finally(() => this.#inFlight.delete(sending))
  }

  /** Sends what is queued and waits for every batch under way. */
  async flush (): Promise<void> {
    this.#flush()
    await Promise.all([...this.#inFlight])
  }

  async close (): Promise<void> {
    await this.flush()
    await this.#producer.close()
  }
}
