import { status } from '@grpc/grpc-js'
import { channel } from 'node:diagnostics_channel'
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Awaitable } from '../../async/awaitable.ts'
import { relayDiagnosticsChannels, relayHandshakeKinds, relayLimits, relayOtpChannels, relayOtpOutcomes, relayRpcMethods } from '../../domain/relay-diagnostics-channels.ts'
import { errorCodes } from '../../errors.ts'

// The relay vault's metrics (docs/observability.md), fed by its diagnostics channels
// (src/domain/relay-diagnostics-channels.ts). Every label value is checked against a closed set
// here, so a message can never put an identifier or a code into a series.

const RPC_METHODS = new Set<string>(relayRpcMethods)
/** gRPC status names (grpc-js `status`: its names are the keys that are not numbers). */
const RPC_CODES = new Set(Object.keys(status).filter(name => Number.isNaN(Number(name))))
const OTP_CHANNELS = new Set<string>(relayOtpChannels)
const OTP_OUTCOMES = new Set<string>(relayOtpOutcomes)
/** `decrypted`, or an error code of the one error table. */
const DECRYPT_OUTCOMES = new Set<string>(['decrypted', ...Object.values(errorCodes)])
const LIMITS = new Set<string>(relayLimits)
const HANDSHAKE_KINDS = new Set<string>(relayHandshakeKinds)

const METRIC_NAMES = ['smsgw_relay_rpcs_total', 'smsgw_relay_otps_total', 'smsgw_relay_decryptions_total', 'smsgw_relay_rate_limited_total', 'smsgw_relay_handshakes_total', 'smsgw_relay_accounts'] as const

function label (message: unknown, field: string, allowed: Set<string>): string | undefined {
  const value = typeof message === 'object' && message !== null ? (message as Record<string, unknown>)[field] : undefined
  return typeof value === 'string' && allowed.has(value) ? value : undefined
}

/**
 * Registers the relay's counters on `registry` and subscribes them to the relay's channels;
 * returns a function that unsubscribes and removes them. A message whose labels are not of their
 * closed sets is ignored. With `countAccounts` (where the vault runs), the accounts gauge reads
 * the store's count on every scrape, so accounts made or deleted by any instance show; a read
 * that fails leaves the last value.
 */
export function watchRelay (registry: Registry, countAccounts?: () => Awaitable<number>): () => void {
  const registers = [registry]
  const rpcs = new Counter({ name: METRIC_NAMES[0], help: 'vault.v1.Entity and vault.v1.EntityInternal RPCs answered, by method and gRPC status.', labelNames: ['method', 'code'], registers })
  const otps = new Counter({ name: METRIC_NAMES[1], help: 'One-time codes handed to their channel (phone: an outbound SMS of ours; email: SMTP), by channel and outcome.', labelNames: ['channel', 'outcome'], registers })
  const decryptions = new Counter({ name: METRIC_NAMES[2], help: 'Stored ratchet decryptions (DecryptPayload), by outcome: decrypted, or the error code.', labelNames: ['outcome'], registers })
  const limited = new Counter({ name: METRIC_NAMES[3], help: 'Requests refused by a rate limit: otp (requests), password (attempts).', labelNames: ['limit'], registers })
  for (const limit of LIMITS) limited.inc({ limit }, 0)
  const handshakes = new Counter({ name: METRIC_NAMES[4], help: 'Key handshakes completed and stored: the second step of a sign-up (create), login (authenticate) or password reset (reset).', labelNames: ['kind'], registers })
  for (const kind of HANDSHAKE_KINDS) handshakes.inc({ kind }, 0)
  if (countAccounts !== undefined) {
    const accounts = new Gauge({
      name: METRIC_NAMES[5],
      help: 'Relay vault accounts in the store (every instance\'s), counted on every scrape.',
      registers,
      async collect () {
        try {
          this.set(await countAccounts())
        } catch {
          // The store is unreachable; /readyz says so. The gauge keeps its last value.
        }
      }
    })
    accounts.set(0)
  }

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
    }]
  ]
  for (const [name, onMessage] of subscriptions) channel(name).subscribe(onMessage)
  return () => {
    for (const [name, onMessage] of subscriptions) channel(name).unsubscribe(onMessage)
    for (const name of METRIC_NAMES) registry.removeSingleMetric(name)
  }
}
