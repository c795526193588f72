import type { Consumer } from '@platformatic/kafka'

/** How long after a failed rejoin a member asks to join its group again. */
export const REJOIN_RETRY_MS = 1_000

/**
 * Keeps a consumer in its group when the client library's own rejoin fails.
 *
 * @platformatic/kafka (2.12, consumer.js `#heartbeat`) answers a heartbeat refused with
 * "rebalance in progress" by rejoining; when that rejoin fails it emits `error` and schedules no
 * more heartbeats. Seen in a test: a consumer closed while such a heartbeat was on its way
 * rejoined on its closed connection pool. An `error` event without a listener is thrown from the
 * library's timer and ends the process; with a listener alone the member would stay out of its
 * group, its partitions unread. So an error of a consumer already closing is that close's race
 * and ignored; any other is reported as a process warning (its text names a broker or a Kafka
 * error, never a record) and the member joins again every REJOIN_RETRY_MS until it is in or closed.
 */
export function keepInGroup (consumer: Consumer<Buffer, Buffer, Buffer, Buffer>): void {
  const rejoin = (): void => {
    if (consumer.closed) return
    consumer.joinGroup().catch(failed)
  }
  const failed = (error: unknown): void => {
    if (consumer.closed) return
    process.emitWarning(`Kafka consumer of group ${consumer.groupId} is out of its group and joins again: ${error instanceof Error ? error.message : String(error)}`, { code: 'SMSGW_KAFKA_REJOIN' })
    setTimeout(rejoin, REJOIN_RETRY_MS).unref()
  }
  consumer.on('error', failed)
}
