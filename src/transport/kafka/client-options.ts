/** What every Kafka client of the gateway needs to reach the cluster. */
export interface KafkaConnection {
  readonly brokers: readonly string[]
  readonly clientId: string
}

// Stated explicitly (STYLE.md): `strict` validates our options, `handleBackPressure` honours
// socket write() returning false; both are off by default in @platformatic/kafka.
export function clientOptions (connection: KafkaConnection, role: string): { clientId: string, bootstrapBrokers: string[], strict: true, handleBackPressure: true, timeout: number, retries: number } {
  return {
    clientId: `${connection.clientId}-${role}`,
    bootstrapBrokers: [...connection.brokers],
    strict: true,
    handleBackPressure: true,
    timeout: KAFKA_REQUEST_TIMEOUT_MS,
    retries: KAFKA_RETRIES
  }
}

/**
 * The group membership of the gateway's consumers: a heartbeat every second, and a member silent
 * for 10 s leaves its group, whose partitions go to the other members.
 */
export const GROUP_MEMBERSHIP = Object.freeze({ sessionTimeout: 10_000, heartbeatInterval: 1_000 })

export const KAFKA_REQUEST_TIMEOUT_MS = 10_000
export const KAFKA_RETRIES = 5
/** How long a command-line client (`smsgw send`, `listen`) waits for a first broker to answer. */
export const DEFAULT_BROKER_CONNECT_TIMEOUT_MS = 3_000
