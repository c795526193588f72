import { channel } from 'node:diagnostics_channel'

// The relay's plain diagnostics channels (STYLE: diagnostics_channel; the metrics subscribe,
// src/http/observability/relay-metrics.ts; shapes in docs/observability.md). Messages hold bounded
// labels only: never an identifier, a code, a token or content.

const rpcChannel = channel('smsgw:relay:rpc')
const otpChannel = channel('smsgw:relay:otp')
const decryptChannel = channel('smsgw:relay:decrypt')
const limitChannel = channel('smsgw:relay:limit')

/** An Entity RPC answered: its method and the gRPC status name (`OK`, `INVALID_ARGUMENT`, …). */
export function publishRpcOutcome (method: string, code: string): void {
  if (rpcChannel.hasSubscribers) rpcChannel.publish({ method, code })
}

/** A one-time code handed to its channel (`phone`, `email`), or not. */
export function publishOtpDelivery (otp: 'phone' | 'email', outcome: 'sent' | 'failed'): void {
  if (otpChannel.hasSubscribers) otpChannel.publish({ channel: otp, outcome })
}

/** A stored ratchet decryption: `decrypted`, or the error code that refused it. */
export function publishDecryption (outcome: string): void {
  if (decryptChannel.hasSubscribers) decryptChannel.publish({ outcome })
}

/** A request refused by a rate limit of relay.md §7 (`otp` requests, `password` attempts). */
export function publishRateLimited (limit: 'otp' | 'password'): void {
  if (limitChannel.hasSubscribers) limitChannel.publish({ limit })
}
