import { randomUUID } from 'node:crypto'
import { Consumer } from '@platformatic/kafka'
import { decodeStatusEvent, type StatusEvent } from '../../domain/status-event.ts'
import { keepInGroup } from './group-rejoin.ts'
import { clientOptions, type KafkaConnection } from './client-options.ts'

export interface FollowOptions {
  topic: string
  fromBeginning: boolean
  /** Ends the iteration after this long without a status. */
  idleTimeoutMs?: number
}

/**
 * The statuses on `sms-status` as they arrive, through a private consumer group that commits
 * nothing. Values that are not statuses are skipped. Ends when the consumer stops pulling,
 * or after `idleTimeoutMs` of quiet.
 */
export async function * followStatuses (connection: KafkaConnection, options: FollowOptions): AsyncGenerator<StatusEvent> {
  const consumer = new Consumer({ ...clientOptions(connection, 'listen'), groupId: `smsgw-listen-${randomUUID()}`, autocommit: false, maxWaitTime: 200 })
  keepInGroup(consumer)
  const stream = await consumer.consume({ topics: [options.topic], mode: options.fromBeginning ? 'earliest' : 'latest' })
  let timer: NodeJS.Timeout | undefined
  const arm = (): void => {
    if (options.idleTimeoutMs === undefined) return
    clearTimeout(timer)
    timer = setTimeout(() => { void stream.close() }, options.idleTimeoutMs)
  }
  try {
    arm()
    for await (const message of stream) {
      arm()
      const event = decodeStatusEvent(message.value ?? Buffer.alloc(0))
      if (event !== null) yield event
    }
  } finally {
    clearTimeout(timer)
    await stream.close()
    await consumer.close()
  }
}
