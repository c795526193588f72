import type { RequestIngress } from '../../gateway/request-ingress.ts'
import type { CoalescingProducer } from './coalescing-producer.ts'

/**
 * The HTTP API's ingress on Kafka deployments: accepted requests go to `send-sms` like any
 * client's, without a key (spec §1), and are accepted once Kafka has them.
 */
export function kafkaIngress (producer: CoalescingProducer, topic: string): RequestIngress {
  return {
    accept: async values => {
      await Promise.all(values.map(async value => { await producer.send({ topic, value }) }))
    }
  }
}
