import { encodeStatusEvent, statusKey, type StatusEvent } from '../../domain/status-event.ts'
import type { StatusSink } from '../../gateway/status/status-sink.ts'
import type { CoalescingProducer } from './coalescing-producer.ts'

/** Produces statuses on `sms-status`, keyed by client-id + correl-id so a request's statuses stay in order. */
export class KafkaStatusPublisher implements StatusSink {
  readonly #producer: CoalescingProducer
  readonly #topic: string

  constructor (producer: CoalescingProducer, topic: string) {
    this.#producer = producer
    this.#topic = topic
  }

  async report (event: StatusEvent): Promise<void> {
    await this.#producer.send({ topic: this.#topic, key: statusKey(event.clientId, event.correlId), value: encodeStatusEvent(event) })
  }
}
