export { loadConfig, loadConfigWithWarnings } from './load-config.ts'
export type { LoadConfigOptions, LoadedConfig } from './load-config.ts'
export { logConfigWarnings } from './config-warnings.ts'
export { allowedLogLevels, gatewayConfigSchema, logLevels } from './schema.ts'
export type { GatewayConfig, LogLevel } from './schema.ts'
export type { DeepPartial } from './deep-types.ts'
export {
  BUILTIN_VAULT_FILE,
  BUILTIN_VAULT_PASSWORD,
  defaultConfig,
  DEFAULT_ALLOWED_CLIENTS,
  DEFAULT_CLAIM_TAKEOVER_MS,
  DEFAULT_CLAIMS_TOPIC,
  DEFAULT_CORREL_ID_TOPIC,
  DEFAULT_INBOUND_TOPIC,
  DEFAULT_KAFKA_BROKERS,
  DEFAULT_KAFKA_CLIENT_ID,
  DEFAULT_KAFKA_GROUP_ID,
  DEFAULT_KAFKA_PARTITIONS,
  DEFAULT_KAFKA_REPLICATION_FACTOR,
  DEFAULT_LOG_LEVEL,
  DEFAULT_LOOPBACK_LONG_DELAY_MS,
  DEFAULT_LOOPBACK_NORMAL_DELAY_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_OPEN_WORKERS,
  DEFAULT_SEND_SMS_TOPIC,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_SMPP_PORT,
  DEFAULT_SMPP_SYSTEM_TYPE,
  DEFAULT_SMS_STATUS_TOPIC,
  DEFAULT_VAULT_RELOAD_INTERVAL_MS
} from './defaults.ts'
export { envVarName } from './config-keys.ts'
export { allowedSynchronousModes, synchronousModes } from './synchronous-modes.ts'
export type { SynchronousMode } from './synchronous-modes.ts'
