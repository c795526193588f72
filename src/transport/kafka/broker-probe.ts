import { Admin } from '@platformatic/kafka'
import { errorCodes, SmsgwError } from '../../errors.ts'
import { clientOptions, type KafkaConnection } from './client-options.ts'

/**
 * Resolves once a broker of `connection` answers a metadata request within `timeoutMs`. The
 * Kafka clients retry an unreachable broker for many seconds, silently; a command-line user
 * wants to hear at once that nothing answers, and where it looked.
 * @throws SmsgwError SMSGW_KAFKA_UNREACHABLE naming the brokers tried and the reason.
 */
export async function probeBrokers (connection: KafkaConnection, timeoutMs: number): Promise<void> {
  const admin = new Admin({ ...clientOptions(connection, 'probe'), retries: 0, connectTimeout: timeoutMs, timeout: timeoutMs })
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      admin.metadata({ topics: [] }),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => { reject(new SmsgwError(errorCodes.timeout, `no answer within ${timeoutMs} ms`)) }, timeoutMs)
      })
    ])
  } catch (error) {
    throw new SmsgwError(errorCodes.kafkaUnreachable,
      `no Kafka broker reachable at ${connection.brokers.join(', ')} (${rootReason(error)}; waited at most ${timeoutMs} ms); ` +
      'set --brokers or $SMSGW_KAFKA_BROKERS to a running broker', { cause: error, retryable: true })
  } finally {
    clearTimeout(timer)
    await admin.close().catch(() => {})
  }
}

/** The innermost reason of a client error (ECONNREFUSED, a DNS failure), which says the most. */
function rootReason (error: unknown): string {
  let current = error
  for (let depth = 0; depth < 10; depth++) {
    const next = current as { cause?: unknown, errors?: unknown[] } | undefined
    const inner = next?.cause ?? next?.errors?.[0]
    if (inner === undefined || inner === null) break
    current = inner
  }
  return current instanceof Error ? current.message : String(current)
}
