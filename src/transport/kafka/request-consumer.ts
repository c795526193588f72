import assert from 'node:assert/strict'
import { Consumer, type MessagesStream } from '@platformatic/kafka'
import type { IncomingRequest, RequestSource } from '../../gateway/request-source.ts'
import { keepInGroup } from './group-rejoin.ts'
import { clientOptions, GROUP_MEMBERSHIP, type KafkaConnection } from './client-options.ts'

export interface RequestConsumerOptions {
  connection: KafkaConnection
  topic: string
  groupId: string
  /** Records fetched ahead of the pipeline; small, so a backlog stays in Kafka, not in memory. */
  highWaterMark?: number
  /** Where a group without committed offsets starts: the earliest record (the default), or the next one produced. */
  from?: 'earliest' | 'latest'
}

const DEFAULT_HIGH_WATER_MARK = 64
// A sealed request is ~1 KiB; this bounds one fetch response, which arrives whole.
const MAX_FETCH_BYTES = 1024 * 1024
const FETCH_WAIT_MS = 200

/**
 * The `send-sms` topic as a RequestSource: a consumer group member that commits only what the
 * gateway says is done (autocommit off; the library's default commits on fetch). A new group
 * starts at the earliest offset: requests queued before the first start are not skipped.
 */
export class RequestConsumer implements RequestSource {
  readonly #consumer: Consumer<Buffer, Buffer, Buffer, Buffer>
  readonly #options: RequestConsumerOptions
  #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined

  constructor (options: RequestConsumerOptions) {
    this.#options = options
    this.#consumer = new Consumer({
      ...clientOptions(options.connection, 'requests'),
      groupId: options.groupId,
      autocommit: false,
      maxWaitTime: FETCH_WAIT_MS,
      maxBytes: MAX_FETCH_BYTES,
      highWaterMark: options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
      ...GROUP_MEMBERSHIP
    })
    keepInGroup(this.#consumer)
  }

  async start (): Promise<void> {
    this.#stream = await this.#consumer.consume({ topics: [this.#options.topic], mode: 'committed', fallbackMode: this.#options.from ?? 'earliest' })
  }

  async * [Symbol.asyncIterator] (): AsyncIterator<IncomingRequest> {
    // The gateway starts the consumer before it iterates: a call out of order is a bug, not a user's failure (STYLE: node:assert).
    assert.ok(this.#stream !== undefined, 'RequestConsumer.start() was not called')
    for await (const message of this.#stream) {
      yield {
        value: message.value ?? Buffer.alloc(0),
        stream: `${message.topic}/${message.partition}`,
        offset: message.offset,
        commit: async () => { await message.commit() }
      }
    }
  }

  async close (): Promise<void> {
    await this.#stream?.close()
  }

  /** Leaves the group, so the partitions move to the other instances at once. */
  async disconnect (): Promise<void> {
    await this.close()
    await this.#consumer.close()
  }
}
