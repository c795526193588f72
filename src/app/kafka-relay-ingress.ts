import type { GatewayConfig } from '../config/index.ts'
import { InFlightLimit } from '../gateway/in-flight-limit.ts'
import { PartitionProgress } from '../gateway/partition-progress.ts'
import type { IncomingRequest } from '../gateway/request-source.ts'
import type { Logger } from '../log/logger.ts'
import type { ForwardIngress } from '../relay/ingress/forward-ingress.ts'
import type { ForwardHolder } from '../relay/ingress/ingress-from-config.ts'
import { TopicIngress } from '../relay/ingress/topic-ingress.ts'
import type { KafkaConnection } from '../transport/kafka/client-options.ts'
import { CoalescingProducer } from '../transport/kafka/coalescing-producer.ts'
import { RequestConsumer } from '../transport/kafka/request-consumer.ts'
import { ensureTopics } from '../transport/kafka/topics.ts'

// The relay's ingress topic on `smsgw gateway` (docs/relay.md, "Several instances (Kafka and
// PostgreSQL)"): the Kafka side of TopicIngress. Forwards are produced keyed by their random id
// (spread over the partitions); the consumer group `<kafka.groupId>-relay-ingress` processes
// them, committing a partition's offset only past records whose outcome is known; every instance
// reads the reply topic from its end, in a group of its own, for the answers of its phones.

/** Forwards processed at once by one instance: each mostly waits for a platform. */
const PROCESSING_LIMIT = 64
/** The first wait after a failure inside (the store, the publisher), doubled up to a minute. */
const RETRY_BASE_DELAY_MS = 1_000
const RETRY_MAX_DELAY_MS = 60_000
/**
 * How long a phone's forward waits for its answer: a publish takes a few platform calls of 15 s at
 * most, and a record whose instance crashed is taken up by another after the group's session
 * timeout (10 s). Past it the phone hears 500 (and may send again); the record is processed still.
 */
const ANSWER_TIMEOUT_MS = 2 * 60 * 1000
/** How long close waits for the forwards being processed; those left are the next holder's. */
const CLOSE_GRACE_MS = 5_000

export class KafkaForwardTopics {
  readonly #config: GatewayConfig
  readonly #log: Logger
  readonly #connection: KafkaConnection
  readonly #producer: CoalescingProducer
  #ingress: TopicIngress | undefined
  #replies: RequestConsumer | undefined
  #consumer: RequestConsumer | undefined
  #consuming: Promise<void> | undefined
  #closed = false
  readonly #limit = new InFlightLimit(PROCESSING_LIMIT)

  constructor (config: GatewayConfig, log: Logger) {
    this.#config = config
    this.#log = log
    this.#connection = { brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-relay-ingress` }
    this.#producer = new CoalescingProducer(this.#connection)
  }

  /** The forwards' holder for startConfiguredRelayIngress: the ingress topic, processed once `start` is called. */
  readonly holder: ForwardHolder = parts => {
    const { relay } = this.#config
    const ingress = new TopicIngress({
      ...parts,
      topics: {
        produceForward: async (id, value) => { await this.#producer.send({ topic: relay.ingressTopic, key: id, value }) },
        produceReply: async value => { await this.#producer.send({ topic: relay.ingressReplyTopic, value }) }
      },
      retryBaseDelayMs: RETRY_BASE_DELAY_MS,
      retryMaxDelayMs: RETRY_MAX_DELAY_MS,
      answerTimeoutMs: ANSWER_TIMEOUT_MS
    })
    this.#ingress = ingress
    const held: ForwardIngress = {
      publish: async (forward, origin) => await ingress.publish(forward, origin),
      accept: async (forward, origin) => { await ingress.accept(forward, origin) },
      start: () => { this.#startConsuming(ingress) },
      close: async () => { await this.#close(ingress) }
    }
    return held
  }

  /**
   * Creates the two topics when kafka.createTopics is on and joins the reply topic, from its end:
   * before the HTTP side takes a forward, so no answer for it can pass unread.
   */
  async open (): Promise<void> {
    const { kafka, relay } = this.#config
    if (kafka.createTopics) {
      const created = await ensureTopics(this.#connection, [{ name: relay.ingressTopic, compacted: false }, { name: relay.ingressReplyTopic, compacted: false }], { partitions: kafka.partitions, replicationFactor: kafka.replicationFactor })
      if (created.length > 0) this.#log.info({ topics: created }, 'created topics')
    }
    const ingress = this.#ingress
    if (ingress === undefined) return
    const replies = new RequestConsumer({ connection: this.#connection, topic: relay.ingressReplyTopic, groupId: `${kafka.groupId}-relay-replies-${ingress.replyId}`, from: 'latest' })
    await replies.start()
    this.#replies = replies
    void (async () => { for await (const record of replies) ingress.reply(record.value) })().catch((error: unknown) => { this.#log.error({ err: error }, 'relay ingress reply topic not read') })
  }

  #startConsuming (ingress: TopicIngress): void {
    if (this.#consuming !== undefined) return
    const consumer = new RequestConsumer({ connection: this.#connection, topic: this.#config.relay.ingressTopic, groupId: `${this.#config.kafka.groupId}-relay-ingress` })
    this.#consumer = consumer
    this.#consuming = (async () => {
      await consumer.start()
      if (this.#closed) {
        // A close during the group join found no stream to close and left the group before it was
        // joined: leave it now, or the joined member's fetches and heartbeats keep the process alive.
        await consumer.disconnect()
        return
      }
      this.#log.info({ topic: this.#config.relay.ingressTopic }, 'relay ingress topic consumed')
      const progress = new Map<string, PartitionProgress<IncomingRequest>>()
      for await (const record of consumer) {
        if (this.#closed) break
        await this.#limit.acquire()
        let partition = progress.get(record.stream)
        // A partition handed back after a rebalance starts over from its committed offset.
        if (partition?.start(record.offset) !== true) {
          partition = new PartitionProgress<IncomingRequest>()
          partition.start(record.offset)
          progress.set(record.stream, partition)
        }
        void this.#process(ingress, record, partition)
      }
    })().catch((error: unknown) => { this.#log.error({ err: error }, 'relay ingress topic not consumed') })
  }

  async #process (ingress: TopicIngress, record: IncomingRequest, partition: PartitionProgress<IncomingRequest>): Promise<void> {
    try {
      await ingress.process(record.value)
      this.#log.debug({ stream: record.stream }, 'relay forward processed')
      const committable = partition.finish(record.offset, record).at(-1)
      await committable?.note.commit()
    } catch (error) {
      // Stopped before its outcome was known (or the partition moved on): not committed, so the
      // instance that takes the partition processes it again.
      this.#log.debug({ err: error, stream: record.stream }, 'relay forward record left uncommitted')
    } finally {
      this.#limit.release()
    }
  }

  async #close (ingress: TopicIngress): Promise<void> {
    // Stops pulling, lets what is under way finish a little, then leaves the group.
    this.#closed = true
    await this.#consumer?.close()
    await withinGrace(this.#limit.idle())
    await ingress.close()
    await withinGrace(this.#consuming)
    await this.#consumer?.disconnect()
    await this.#replies?.disconnect()
    await this.#producer.close()
  }
}

/** Waits for `work`, CLOSE_GRACE_MS at most: a close must end even when a platform or the broker is slow. */
async function withinGrace (work: Promise<unknown> | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([work, new Promise<void>(resolve => { timer = setTimeout(resolve, CLOSE_GRACE_MS) })])
  clearTimeout(timer)
}
