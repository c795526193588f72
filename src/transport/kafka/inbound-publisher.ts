import { encodeInboundSms, type InboundSms } from '../../smpp/inbound/index.ts'
import type { CoalescingProducer } from './coalescing-producer.ts'

/**
 * Publishes mobile-originated SMS on the inbound topic (default `sms-inbound`), keyed by
 * sender so one person's messages stay in order. The text is plaintext: it goes to this topic
 * and nowhere else (spec §7; docs/inbound-sms.md).
 */
export class InboundPublisher {
  readonly #producer: CoalescingProducer
  readonly #topic: string

  constructor (producer: CoalescingProducer, topic: string) {
    this.#producer = producer
    this.#topic = topic
  }

  /** Resolves once the message is durable on the topic, so the SMSC may be acknowledged. */
  async publish (sms: InboundSms): Promise<void> {
    await this.#producer.send({ topic: this.#topic, key: sms.sender, value: encodeInboundSms(sms) })
  }
}
