import type { Awaitable } from '../async/awaitable.ts'

/**
 * Where accepted requests go: the embedded durable queue, or `send-sms` on Kafka deployments.
 * Values are the request JSON of spec §2, as clients put it on `send-sms`.
 */
export interface RequestIngress {
  /** Resolves once every value is durable (stored, or acknowledged by Kafka); rejects if any is not. */
  accept: (values: readonly string[]) => Promise<void>
  /**
   * Whether a request of `clientId` with `correlId` was accepted and still waits for the gateway,
   * as far as this ingress can tell (the embedded queue knows; on Kafka, this instance remembers
   * what it accepted lately). The API's `queued` state (docs/http-api.md).
   */
  queued: (clientId: string, correlId: string) => Awaitable<boolean>
}

/**
 * How a value the HTTP API accepts begins: `{"client-id":…,"correl-id":…,` exactly as
 * JSON.stringify writes them (checkSendRequest builds every value that way, and a test holds
 * the two together), so a store can find a client's queued request by a prefix of its text.
 */
export function requestValuePrefix (clientId: string, correlId: string): string {
  return `${JSON.stringify({ 'client-id': clientId, 'correl-id': correlId }).slice(0, -1)},`
}
