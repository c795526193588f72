/** relay.environment: whether the relay vault may accept a fixed OTP code (docs/relay.md). */
export const relayEnvironments = { production: 'production', development: 'development' } as const
type RelayEnvironment = typeof relayEnvironments[keyof typeof relayEnvironments]
export const allowedRelayEnvironments: readonly RelayEnvironment[] = Object.values(relayEnvironments)
