/**
 * Where accepted requests go: the embedded durable queue, or `send-sms` on Kafka deployments.
 * Values are the request JSON of spec §2, as clients put it on `send-sms`.
 */
export interface RequestIngress {
  /** Resolves once every value is durable (stored, or acknowledged by Kafka); rejects if any is not. */
  accept: (values: readonly string[]) => Promise<void>
}
