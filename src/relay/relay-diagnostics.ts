import { channel } from 'node:diagnostics_channel'
import { relayDiagnosticsChannels, type relayHandshakeKinds, type relayIngressKinds, type relayIngressOutcomes, type relayLimits, type relayNoticeOutcomes, type relayOtpChannels, type relayOtpOutcomes, type RelayPublishOutcome, type RelayRpcMethod } from '../domain/relay-diagnostics-channels.ts'

// The relay publishes on its plain diagnostics channels (src/domain/relay-diagnostics-channels.ts;
// the metrics subscribe). Messages hold bounded labels only: never an identifier, a code, a token
// or content.

const rpcChannel = channel(relayDiagnosticsChannels.rpc)
const otpChannel = channel(relayDiagnosticsChannels.otp)
const decryptChannel = channel(relayDiagnosticsChannels.decrypt)
const limitChannel = channel(relayDiagnosticsChannels.limit)
const handshakeChannel = channel(relayDiagnosticsChannels.handshake)
const publishChannel = channel(relayDiagnosticsChannels.publish)
const noticeChannel = channel(relayDiagnosticsChannels.notice)
const ingressChannel = channel(relayDiagnosticsChannels.ingress)

/** An Entity RPC answered: its method and the gRPC status name (`OK`, `INVALID_ARGUMENT`, …). */
export function publishRpcOutcome (method: RelayRpcMethod, code: string): void {
  if (rpcChannel.hasSubscribers) rpcChannel.publish({ method, code })
}

/** A one-time code handed to its channel (`phone`, `email`), or not. */
export function publishOtpDelivery (otp: typeof relayOtpChannels[number], outcome: typeof relayOtpOutcomes[number]): void {
  if (otpChannel.hasSubscribers) otpChannel.publish({ channel: otp, outcome })
}

/** A stored ratchet decryption: `decrypted`, or the error code that refused it. */
export function publishDecryption (outcome: string): void {
  if (decryptChannel.hasSubscribers) decryptChannel.publish({ outcome })
}

/** A request refused by a rate limit of relay.md §7 (`otp` requests, `password` attempts). */
export function publishRateLimited (limit: typeof relayLimits[number]): void {
  if (limitChannel.hasSubscribers) limitChannel.publish({ limit })
}

/** A key handshake completed and stored: a sign-up (`create`), a login (`authenticate`) or a `reset`. */
export function publishHandshake (kind: typeof relayHandshakeKinds[number]): void {
  if (handshakeChannel.hasSubscribers) handshakeChannel.publish({ kind })
}

/** A payload answered for a platform (its name from payload/platforms.ts), how, and how long the answer took. */
export function publishPublication (platform: string, outcome: RelayPublishOutcome, durationMs: number): void {
  if (publishChannel.hasSubscribers) publishChannel.publish({ platform, outcome, durationMs })
}

/** A delivery notice SMS handed to the outbound side, or not. */
export function publishNotice (outcome: typeof relayNoticeOutcomes[number]): void {
  if (noticeChannel.hasSubscribers) noticeChannel.publish({ outcome })
}

/** A forward answered (HTTP) or finished (SMPP) by the ingress: where it came in and what became of it. */
export function publishIngressOutcome (ingress: typeof relayIngressKinds[number], outcome: typeof relayIngressOutcomes[number]): void {
  if (ingressChannel.hasSubscribers) ingressChannel.publish({ ingress, outcome })
}
