/**
 * The names of the relay's diagnostics channels and the label values their messages carry
 * (STYLE: diagnostics_channel; the relay publishes, src/relay/relay-diagnostics.ts; the metrics
 * subscribe, src/http/observability/relay-metrics.ts). Every value is of a closed set, so that no
 * identifier, code or token can reach a message. Shapes are in docs/observability.md.
 */
export const relayDiagnosticsChannels = {
  /** Message `{ method, code }` per Entity or EntityInternal RPC answered, `code` its gRPC status name. */
  rpc: 'smsgw:relay:rpc',
  /** Message `{ channel, outcome }` per one-time code handed to its channel, or not. */
  otp: 'smsgw:relay:otp',
  /** Message `{ outcome }` per stored ratchet decryption: `decrypted`, or the error code. */
  decrypt: 'smsgw:relay:decrypt',
  /** Message `{ limit }` per request a rate limit refused. */
  limit: 'smsgw:relay:limit',
  /** Message `{ kind }` per completed key handshake (the second step of a sign-up, login or reset), stored. */
  handshake: 'smsgw:relay:handshake'
} as const

/** The RPCs of vault.v1.Entity (relay-wire.md §1), then those of vault.v1.EntityInternal (§2). */
export const relayRpcMethods = [
  'CreateEntity', 'AuthenticateEntity', 'ListEntityStoredTokens', 'DeleteEntity', 'ResetPassword', 'UpdateEntityPassword',
  'StoreEntityToken', 'GetEntityAccessToken', 'DecryptPayload', 'EncryptPayload', 'UpdateEntityToken', 'DeleteEntityToken', 'CreateBridgeEntity', 'AuthenticateBridgeEntity'
] as const
export type RelayRpcMethod = typeof relayRpcMethods[number]
export const relayOtpChannels = ['phone', 'email'] as const
export const relayOtpOutcomes = ['sent', 'failed'] as const
export const relayLimits = ['otp', 'password'] as const
/** The RPCs whose second step completes a key handshake (relay.md §2). */
export const relayHandshakeKinds = ['create', 'authenticate', 'reset'] as const
