import { Producer, stringSerializers } from '@platformatic/kafka'
import { clientOptions, type KafkaConnection } from './client-options.ts'

/**
 * Puts request values on `send-sms` the way the older clients do: no key (the gateway ignores
 * one anyway, spec §1). Resolves once the broker has them.
 */
export async function sendRequests (connection: KafkaConnection, topic: string, values: readonly string[]): Promise<void> {
  const producer = new Producer({ ...clientOptions(connection, 'send'), serializers: stringSerializers })
  try {
    await producer.send({ messages: values.map(value => ({ topic, value })) })
  } finally {
    await producer.close()
  }
}
