/**
 * The names of the relay's diagnostics channels and the label values their messages carry
 * (STYLE: diagnostics_channel; the relay publishes, src/relay/relay-diagnostics.ts; the metrics
 * subscribe, src/http/observability/relay-metrics.ts). Every value is of a closed set, so that no
 * identifier, code or token can reach a message. Shapes are in docs/observability.md.
 */
export const relayDiagnosticsChannels = {
  /** Message `{ method, code }` per Entity, EntityInternal or Publisher RPC answered, `code` its gRPC status name. */
  rpc: 'smsgw:relay:rpc',
  /** Message `{ channel, outcome }` per one-time code handed to its channel, or not. */
  otp: 'smsgw:relay:otp',
  /** Message `{ outcome }` per stored ratchet decryption: `decrypted`, or the error code. */
  decrypt: 'smsgw:relay:decrypt',
  /** Message `{ limit }` per request a rate limit refused. */
  limit: 'smsgw:relay:limit',
  /** Message `{ kind }` per completed key handshake (the second step of a sign-up, login or reset), stored. */
  handshake: 'smsgw:relay:handshake',
  /** Message `{ platform, outcome, durationMs }` per payload the publisher answered for a platform (PublishContent). */
  publish: 'smsgw:relay:publish',
  /** Message `{ outcome }` per delivery notice SMS handed to the outbound side, or not. */
  notice: 'smsgw:relay:notice',
  /** Message `{ ingress, outcome }` per forward the relay's ingress answered or finished (docs/relay.md, "Ingress"). */
  ingress: 'smsgw:relay:ingress'
} as const

/** The RPCs of vault.v1.Entity (relay-wire.md §1), then those of vault.v1.EntityInternal (§2). */
export const relayRpcMethods = [
  'CreateEntity', 'AuthenticateEntity', 'ListEntityStoredTokens', 'DeleteEntity', 'ResetPassword', 'UpdateEntityPassword',
  'StoreEntityToken', 'GetEntityAccessToken', 'DecryptPayload', 'EncryptPayload', 'UpdateEntityToken', 'DeleteEntityToken', 'CreateBridgeEntity', 'AuthenticateBridgeEntity'
] as const
/** The RPCs of publisher.v1.Publisher (relay-wire.md §3). */
export const publisherRpcMethods = ['GetOAuth2AuthorizationUrl', 'ExchangeOAuth2CodeAndStore', 'PublishContent', 'RevokeAndDeleteOAuth2Token', 'GetPNBACode', 'ExchangePNBACodeAndStore', 'RevokeAndDeletePNBAToken'] as const
export type RelayRpcMethod = typeof relayRpcMethods[number] | typeof publisherRpcMethods[number]
/** The platforms' names (relay.md §4; the same as src/relay/payload/platforms.ts, a test checks). */
export const relayPlatformNames = ['gmail', 'twitter', 'telegram', 'bluesky', 'mastodon', 'reliability'] as const
/**
 * How PublishContent ended for a payload that named a platform: `published`; refused by the
 * platform for good (`rejected`), for its token (`token-invalid`), or still `rate-limited` or
 * `transient` after the retries; `refused` before the platform was called (decryption, token,
 * content: the contract's error); an unforeseen `error`; answered from the record of an earlier
 * copy (`replayed`); or found in a publication whose outcome is `unknown` (a crash while the
 * platform was being called; it is never published again).
 */
export const relayPublishOutcomes = ['published', 'rejected', 'token-invalid', 'rate-limited', 'transient', 'refused', 'error', 'replayed', 'unknown'] as const
export type RelayPublishOutcome = typeof relayPublishOutcomes[number]
export const relayNoticeOutcomes = ['sent', 'failed'] as const
export const relayOtpChannels = ['phone', 'email'] as const
export const relayOtpOutcomes = ['sent', 'failed'] as const
export const relayLimits = ['otp', 'password'] as const
/** The RPCs whose second step completes a key handshake (relay.md §2). */
export const relayHandshakeKinds = ['create', 'authenticate', 'reset'] as const
/** Where a forward reached the relay: a gateway phone over HTTP, or an MO on our own SMPP binds. */
export const relayIngressKinds = ['http', 'smpp'] as const
/** What became of a forward: handed to the publisher, a segment cached, refused by a rule, the publisher's refusal, a bridge payload refused, or failed inside. */
export const relayIngressOutcomes = ['published', 'segment-cached', 'refused', 'publish-failed', 'bridge-refused', 'failed'] as const
