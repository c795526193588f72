import { randomUUID } from 'node:crypto'
import { Consumer, type MessagesStream } from '@platformatic/kafka'
import { errorCodes, SmsgwError } from '../../errors.ts'
import { keepInGroup } from './group-rejoin.ts'
import { clientOptions, GROUP_MEMBERSHIP, type KafkaConnection } from './client-options.ts'

export interface CompactedTopicReaderOptions {
  connection: KafkaConnection
  topic: string
  /** Prefix of this reader's private consumer group. */
  groupPrefix: string
  /** Called for every record in log order; `value` is null for a tombstone. */
  onRecord: (key: string, value: string | null) => void
  /** How long `start` waits to reach the end offsets the topic had when it started. */
  catchUpTimeoutMs?: number
}

const DEFAULT_CATCH_UP_TIMEOUT_MS = 60_000
const FETCH_WAIT_MS = 100

/**
 * Reads all partitions of a compacted topic from the beginning, for as long as it runs, so
 * every gateway instance holds the whole table (spec §1, ours). It joins a consumer group of
 * its own (a fresh name per reader, nothing committed): the library reads only through a
 * group, and a group with one member is assigned every partition.
 */
export class CompactedTopicReader {
  readonly #options: CompactedTopicReaderOptions
  readonly #consumer: Consumer<Buffer, Buffer, Buffer, Buffer>
  #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined
  #reading: Promise<void> | undefined
  /** Next offset to read, per partition. */
  readonly #positions = new Map<number, bigint>()
  #caughtUp: (() => void) | undefined
  #failure: unknown

  constructor (options: CompactedTopicReaderOptions) {
    this.#options = options
    this.#consumer = new Consumer({
      ...clientOptions(options.connection, 'table'),
      groupId: `${options.groupPrefix}-${randomUUID()}`,
      autocommit: false,
      maxWaitTime: FETCH_WAIT_MS,
      ...GROUP_MEMBERSHIP
    })
    keepInGroup(this.#consumer)
  }

  /**
   * Starts reading and resolves once every record that existed at the start has been read.
   * Rejects with SMSGW_TIMEOUT when that takes longer than `catchUpTimeoutMs` or reading ends first,
   * with the consumer's error when reading fails.
   */
  async start (): Promise<void> {
    const { topic } = this.#options
    const ends = (await this.#consumer.listOffsets({ topics: [topic] })).get(topic) ?? []
    this.#stream = await this.#consumer.consume({ topics: [topic], mode: 'earliest' })
    const caughtUp = new Promise<void>(resolve => { this.#caughtUp = resolve })
    const check = (): void => {
      if (ends.every((end, partition) => end === 0n || (this.#positions.get(partition) ?? 0n) >= end)) this.#caughtUp?.()
    }
    check()
    this.#reading = this.#read(check)
    const timeoutMs = this.#options.catchUpTimeoutMs ?? DEFAULT_CATCH_UP_TIMEOUT_MS
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new SmsgwError(errorCodes.timeout, `reading ${topic} did not catch up within ${timeoutMs} ms`, { retryable: true })), timeoutMs)
    })
    try {
      await Promise.race([caughtUp, timedOut, this.#reading.then(() => { throw this.#failure ?? new SmsgwError(errorCodes.timeout, `reading ${topic} stopped`) })])
    } finally {
      clearTimeout(timer)
    }
  }

  async #read (check: () => void): Promise<void> {
    try {
      for await (const message of this.#stream as MessagesStream<Buffer, Buffer, Buffer, Buffer>) {
        const value = message.value === undefined || message.value === null || message.value.length === 0 ? null : message.value.toString('utf8')
        this.#options.onRecord(message.key?.toString('utf8') ?? '', value)
        this.#positions.set(message.partition, message.offset + 1n)
        check()
      }
    } catch (error) {
      this.#failure = error
    }
  }

  async close (): Promise<void> {
    await this.#stream?.close()
    await this.#reading
    await this.#consumer.close()
  }
}
