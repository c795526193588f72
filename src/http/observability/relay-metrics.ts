import { status } from '@grpc/grpc-js'
import { channel } from 'node:diagnostics_channel'
import { Counter, Histogram, type Registry } from 'prom-client'
import type { Awaitable } from '../../async/awaitable.ts'
import { publisherRpcMethods, relayDiagnosticsChannels, relayHandshakeKinds, relayIngressKinds, relayIngressOutcomes, relayLimits, relayNoticeOutcomes, relayOtpChannels, relayOtpOutcomes, relayPlatformNames, relayPublishOutcomes, relayRpcMethods } from '../../domain/relay-diagnostics-channels.ts'
import { errorCodes } from '../../errors.ts'
import { storeGauge } from './store-gauge.ts'

// The relay vault's metrics (docs/observability.md), fed by its diagnostics channels
// (src/domain/relay-diagnostics-channels.ts). Every label value is checked against a closed set
// here, so a message can never put an identifier or a code into a series.

const RPC_METHODS = new Set<string>([...relayRpcMethods, ...publisherRpcMethods])
/** gRPC status names (grpc-js `status`: its names are the keys that are not numbers). */
const RPC_CODES = new Set(Object.keys(status).filter(name => Number.isNaN(Number(name))))
const OTP_CHANNELS = new Set<string>(relayOtpChannels)
const OTP_OUTCOMES = new Set<string>(relayOtpOutcomes)
/** `decrypted`, or an error code of the one error table. */
const DECRYPT_OUTCOMES = new Set<string>(['decrypted', ...Object.values(errorCodes)])
const LIMITS = new Set<string>(relayLimits)
const HANDSHAKE_KINDS = new Set<string>(relayHandshakeKinds)
const INGRESS_KINDS = new Set<string>(relayIngressKinds)
const INGRESS_OUTCOMES = new Set<string>(relayIngressOutcomes)
const PLATFORMS = new Set<string>(relayPlatformNames)
const PUBLISH_OUTCOMES = new Set<string>(relayPublishOutcomes)
const NOTICE_OUTCOMES = new Set<string>(relayNoticeOutcomes)
/** Publish latency buckets (seconds): a post is one or a few HTTPS calls; retries wait seconds. */
const PUBLISH_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** Every relay metric's name; the dashboard reads some back (relay-view.ts). */
export const METRIC_NAMES = ['smsgw_relay_rpcs_total', 'smsgw_relay_otps_total', 'smsgw_relay_decryptions_total', 'smsgw_relay_rate_limited_total', 'smsgw_relay_handshakes_total', 'smsgw_relay_accounts', 'smsgw_relay_publishes_total', 'smsgw_relay_publish_seconds', 'smsgw_relay_notices_total', 'smsgw_relay_publications_unknown', 'smsgw_relay_ingress_total', 'smsgw_relay_segments_pending'] as const

function label (message: unknown, field: string, allowed: Set<string>): string | undefined {
  const value = typeof message === 'object' && message !== null ? (message as Record<string, unknown>)[field] : undefined
  return typeof value === 'string' && allowed.has(value) ? value : undefined
}

/**
 * Registers the relay's counters on `registry` and subscribes them to the relay's channels;
 * returns a function that unsubscribes and removes them. A message whose labels are not of their
 * closed sets is ignored. With `countAccounts` (where the vault runs), the accounts gauge reads
 * the store's count on every scrape, so accounts made or deleted by any instance show; a read
 * that fails leaves the last value. With `countSegments` (where the ingress runs), the pending
 * image-text segments are read the same way.
 */
export function watchRelay (registry: Registry, countAccounts?: () => Awaitable<number>, countUnknownPublications?: () => Awaitable<number>, countSegments?: () => Awaitable<number>): () => void {
  const registers = [registry]
  const rpcs = new Counter({ name: METRIC_NAMES[0], help: 'Relay RPCs answered (vault.v1.Entity, vault.v1.EntityInternal, publisher.v1.Publisher), by method and gRPC status.', labelNames: ['method', 'code'], registers })
  const otps = new Counter({ name: METRIC_NAMES[1], help: 'One-time codes handed to their channel (phone: an outbound SMS of ours; email: SMTP), by channel and outcome.', labelNames: ['channel', 'outcome'], registers })
  const decryptions = new Counter({ name: METRIC_NAMES[2], help: 'Stored ratchet decryptions (DecryptPayload), by outcome: decrypted, or the error code.', labelNames: ['outcome'], registers })
  const limited = new Counter({ name: METRIC_NAMES[3], help: 'Requests refused by a rate limit: otp (requests), password (attempts).', labelNames: ['limit'], registers })
  for (const limit of LIMITS) limited.inc({ limit }, 0)
  const handshakes = new Counter({ name: METRIC_NAMES[4], help: 'Key handshakes completed and stored: the second step of a sign-up (create), login (authenticate) or password reset (reset).', labelNames: ['kind'], registers })
  for (const kind of HANDSHAKE_KINDS) handshakes.inc({ kind }, 0)
  if (countAccounts !== undefined) storeGauge(registry, METRIC_NAMES[5], 'Relay vault accounts in the store (every instance\'s), counted on every scrape.', countAccounts)
  const publishes = new Counter({ name: METRIC_NAMES[6], help: 'Payloads the publisher answered for a platform (PublishContent), by platform and outcome.', labelNames: ['platform', 'outcome'], registers })
  const publishSeconds = new Histogram({ name: METRIC_NAMES[7], help: 'How long PublishContent took for a payload that named a platform (decryption, token, the platform\'s calls and retries), by platform.', labelNames: ['platform'], buckets: PUBLISH_SECONDS_BUCKETS, registers })
  const notices = new Counter({ name: METRIC_NAMES[8], help: 'Delivery notice SMS handed to the outbound side (sent), or not (failed).', labelNames: ['outcome'], registers })
  for (const outcome of NOTICE_OUTCOMES) notices.inc({ outcome }, 0)
  if (countUnknownPublications !== undefined) storeGauge(registry, METRIC_NAMES[9], 'Publications left publishing by a crash while the platform was called (outcome unknown; never published again), counted on every scrape.', countUnknownPublications)
  const ingress = new Counter({ name: METRIC_NAMES[10], help: 'Forwards the relay\'s ingress answered (http) or finished (smpp), by ingress and outcome.', labelNames: ['ingress', 'outcome'], registers })
  if (countSegments !== undefined) storeGauge(registry, METRIC_NAMES[11], 'Image-text segments waiting in the store for the rest of their session (every instance\'s), counted on every scrape.', countSegments)

  const subscriptions: Array<[string, (message: unknown) => void]> = [
    [relayDiagnosticsChannels.rpc, message => {
      const method = label(message, 'method', RPC_METHODS)
      const code = label(message, 'code', RPC_CODES)
      if (method !== undefined && code !== undefined) rpcs.inc({ method, code })
    }],
    [relayDiagnosticsChannels.otp, message => {
      const otp = label(message, 'channel', OTP_CHANNELS)
      const outcome = label(message, 'outcome', OTP_OUTCOMES)
      if (otp !== undefined && outcome !== undefined) otps.inc({ channel: otp, outcome })
    }],
    [relayDiagnosticsChannels.decrypt, message => {
      const outcome = label(message, 'outcome', DECRYPT_OUTCOMES)
      if (outcome !== undefined) decryptions.inc({ outcome })
    }],
    [relayDiagnosticsChannels.limit, message => {
      const limit = label(message, 'limit', LIMITS)
      if (limit !== undefined) limited.inc({ limit })
    }],
    [relayDiagnosticsChannels.handshake, message => {
      const kind = label(message, 'kind', HANDSHAKE_KINDS)
      if (kind !== undefined) handshakes.inc({ kind })
    }],
    [relayDiagnosticsChannels.publish, message => {
      const platform = label(message, 'platform', PLATFORMS)
      const outcome = label(message, 'outcome', PUBLISH_OUTCOMES)
      const durationMs = typeof message === 'object' && message !== null ? (message as { durationMs?: unknown }).durationMs : undefined
      if (platform === undefined || outcome === undefined) return
      publishes.inc({ platform, outcome })
      if (typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs >= 0) publishSeconds.observe({ platform }, durationMs / 1000)
    }],
    [relayDiagnosticsChannels.notice, message => {
      const outcome = label(message, 'outcome', NOTICE_OUTCOMES)
      if (outcome !== undefined) notices.inc({ outcome })
    }],
    [relayDiagnosticsChannels.ingress, message => {
      const kind = label(message, 'ingress', INGRESS_KINDS)
      const outcome = label(message, 'outcome', INGRESS_OUTCOMES)
      if (kind !== undefined && outcome !== undefined) ingress.inc({ ingress: kind, outcome })
    }]
  ]
  for (const [name, onMessage] of subscriptions) channel(name).subscribe(onMessage)
  return () => {
    for (const [name, onMessage] of subscriptions) channel(name).unsubscribe(onMessage)
    for (const name of METRIC_NAMES) registry.removeSingleMetric(name)
  }
}
