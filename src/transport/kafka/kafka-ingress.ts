import type { RequestIngress } from '../../gateway/request-ingress.ts'
import { AcceptedRequests } from './accepted-requests.ts'
import type { CoalescingProducer } from './coalescing-producer.ts'

/**
 * The HTTP API's ingress on Kafka deployments: accepted requests go to `send-sms` like any
 * client's, without a key (spec §1), and are accepted once Kafka has them. `queued` answers
 * from the requests this instance accepted lately (AcceptedRequests), as no queue can be asked.
 */
export function kafkaIngress (producer: CoalescingProducer, topic: string, accepted = new AcceptedRequests()): RequestIngress {
  return {
    accept: async values => {
      await Promise.all(values.map(async value => { await producer.send({ topic, value }) }))
      for (const value of values) accepted.add(value)
    },
    queued: (clientId, correlId) => accepted.has(clientId, correlId)
  }
}
