import { fileURLToPath } from 'node:url'
import { logLevels } from '../log/log-levels.ts'
import type { LogLevel } from '../log/log-levels.ts'
import { BUILTIN_VAULT_FILE, DEFAULT_MAX_PARTS, DEFAULT_SMPP_RECONNECT_DELAY_MS, LEGACY_APPLICATION_NAME } from './defaults.ts'

/**
 * The older (Java, Spring Boot) gateway's `.properties` keys and what they become here
 * (spec §10). Data only; legacy-layer.ts applies it.
 */

export type LegacyConversion = { readonly value: unknown } | { readonly problem: string }

export interface LegacyMapping {
  /** The Java property. */
  readonly key: string
  /** The setting it becomes; null for a key that is checked but sets nothing. */
  readonly path: readonly string[] | null
  /**
   * Turns the (placeholder-resolved) text into the value. Without one, the text converts by
   * the type of the setting: integers, booleans, comma-separated lists.
   */
  readonly convert?: (text: string) => LegacyConversion
  /** Applies only when no other key of the file sets the same setting. */
  readonly fallback?: boolean
}

export interface RemovedLegacyKey {
  /** The key, or with `prefix` every key that starts with it. */
  readonly key: string
  readonly prefix: boolean
  /** Says what replaces it, or that it is not supported. */
  readonly problem: string
}

/**
 * A Spring, Camel or logging key that changed what the Java gateway did and that smsgw reads
 * but does not follow: a warning at start (not an error, so the file still runs as it is).
 */
export interface UnfollowedLegacyKey {
  /** The key as the Java gateway's files write it; with `prefix`, every key that starts with it. */
  readonly key: string
  readonly prefix: boolean
  /** What smsgw does instead, and the setting to use where there is one. */
  readonly instead: string
}

/** The Java gateway's own keys; any other key in it is an error. */
export const LEGACY_NAMESPACE = 'sms.gateway.'

/**
 * Keys of Spring Boot, Camel and logging: ignored without error, except those mapped below.
 * `debug` and `trace` are Spring Boot's switches for its own loggers.
 */
export const ignoredLegacyPrefixes: readonly string[] = ['spring.', 'camel.', 'logging.', 'server.', 'management.']
export const ignoredLegacyKeys: readonly string[] = ['debug', 'trace']

/** What placeholders fall back to when the file does not say: the jar's own application.properties. */
export const springDefaults: Readonly<Record<string, string>> = { 'spring.application.name': LEGACY_APPLICATION_NAME }

const CLASSPATH = 'classpath:'
const BUILTIN_KEYSTORE = /^classpath:\/?builtin\.vault$/

/** A Spring resource location: `classpath:builtin.vault` (ours too), `file:` locations, or a path. */
function vaultFileFromKeystore (text: string): LegacyConversion {
  if (BUILTIN_KEYSTORE.test(text)) return { value: BUILTIN_VAULT_FILE }
  if (text.startsWith(CLASSPATH)) {
    return { problem: `only ${CLASSPATH}builtin.vault exists outside the Java jar; give the vault's file path` }
  }
  if (text.startsWith('file://')) {
    try {
      return { value: fileURLToPath(text) }
    } catch {
      return { problem: 'is not a valid file: URL' }
    }
  }
  return { value: text.startsWith('file:') ? text.slice('file:'.length) : text }
}

/** Logback's levels, as Spring Boot takes them (any case), to ours. */
const springLogLevels: Readonly<Record<string, LogLevel>> = {
  TRACE: logLevels.trace,
  DEBUG: logLevels.debug,
  INFO: logLevels.info,
  WARN: logLevels.warn,
  ERROR: logLevels.error,
  FATAL: logLevels.error,
  OFF: logLevels.silent
}

function logLevelFromSpring (text: string): LegacyConversion {
  const level = springLogLevels[text.toUpperCase()]
  return level === undefined
    ? { problem: `must be one of ${Object.keys(springLogLevels).join(', ')}, got ${JSON.stringify(text)}` }
    : { value: level }
}

/** `sms.gateway.backend`: SMPP (the Java default) is the only backend. */
function checkBackend (text: string): LegacyConversion {
  if (text.toUpperCase() === 'SMPP') return { value: undefined }
  if (text.toUpperCase() === 'WASP') {
    return { problem: 'the Vodacom WASP backend is not supported; use SMPP (sms.gateway.smpp.*)' }
  }
  return { problem: `must be SMPP, got ${JSON.stringify(text)}` }
}

export const legacyPropertyMappings: readonly LegacyMapping[] = [
  { key: 'sms.gateway.kafka.brokers', path: ['kafka', 'brokers'] },
  // "Inbound" to the Java gateway means the requests coming in: our send-sms topic.
  { key: 'sms.gateway.kafka.inbound-topic', path: ['kafka', 'topics', 'sendSms'] },
  { key: 'sms.gateway.kafka.outbound-topic', path: ['kafka', 'topics', 'smsStatus'] },
  { key: 'sms.gateway.kafka.correl-topic', path: ['kafka', 'topics', 'correlId'] },
  { key: 'sms.gateway.kafka.group-id', path: ['kafka', 'groupId'] },
  { key: 'sms.gateway.kafka.client-id', path: ['kafka', 'clientId'] },
  // Java: ${sms.gateway.kafka.group-id:${spring.application.name}}, so a renamed application
  // kept its own consumer group; keeping it keeps the committed offsets.
  { key: 'spring.application.name', path: ['kafka', 'groupId'], fallback: true },
  { key: 'spring.application.name', path: ['kafka', 'clientId'], fallback: true },
  { key: 'sms.gateway.allowed-clients', path: ['clients', 'allowed'] },
  { key: 'sms.gateway.crypto.keystore', path: ['vault', 'file'], convert: vaultFileFromKeystore },
  // One password for the store and its keys (spec §8); either key gives it.
  { key: 'sms.gateway.crypto.storepass', path: ['vault', 'password'] },
  { key: 'sms.gateway.crypto.keypass', path: ['vault', 'password'] },
  { key: 'sms.gateway.client-log.dir', path: ['clientLog', 'dir'] },
  { key: 'sms.gateway.route.test-client.normal-delay', path: ['loopback', 'normalDelayMs'] },
  { key: 'sms.gateway.route.test-client.long-delay', path: ['loopback', 'longDelayMs'] },
  { key: 'sms.gateway.backend', path: null, convert: checkBackend },
  { key: 'sms.gateway.smpp.host', path: ['smpp', 'host'] },
  { key: 'sms.gateway.smpp.port', path: ['smpp', 'port'] },
  { key: 'sms.gateway.smpp.username', path: ['smpp', 'systemId'] },
  { key: 'sms.gateway.smpp.password', path: ['smpp', 'password'] },
  { key: 'camel.component.smpp.system-type', path: ['smpp', 'systemType'] },
  { key: 'logging.level.root', path: ['log', 'level'], convert: logLevelFromSpring }
]

// Spring's relaxed binding lets Camel's keys be written in kebab case or camel case, and Camel 2
// put the endpoint options under `.configuration.`; legacy-layer.ts matches every spelling.
export const unfollowedLegacyKeys: readonly UnfollowedLegacyKey[] = [
  {
    key: 'camel.component.smpp.registered-delivery',
    prefix: false,
    instead: 'smsgw always asks the SMSC for a delivery receipt (registered_delivery 1) on the last part of each SMS, and none on the other parts: the receipt is what reports DELIVERED, EXPIRED or FAILED (spec §7)'
  },
  {
    key: 'camel.component.smpp.data-coding',
    prefix: false,
    instead: 'smsgw chooses the data coding of each SMS by smpp.dataCoding (SMSGW_SMPP_DATA_CODING): auto, the default, sends GSM 03.38 (0x00) when every character fits and UCS-2 (0x08) otherwise; gsm7 or ucs2 forces one (docs/encodings.md)'
  },
  {
    key: 'camel.component.smpp.splitting-policy',
    prefix: false,
    instead: `smsgw splits a long SMS into concatenated parts (8-bit reference UDH), at most smpp.maxParts (SMSGW_SMPP_MAX_PARTS, ${DEFAULT_MAX_PARTS} by default); a longer SMS is INVALID, never truncated`
  },
  {
    key: 'camel.component.smpp.reconnect-delay',
    prefix: false,
    instead: `smsgw reconnects after smpp.reconnectDelayMs (SMSGW_SMPP_RECONNECT_DELAY_MS, ${DEFAULT_SMPP_RECONNECT_DELAY_MS} ms by default), doubling the delay with jitter up to a minute while the SMSC stays away`
  },
  {
    key: 'camel.component.kafka.auto-offset-reset',
    prefix: false,
    instead: 'a consumer group continues from the offsets it committed, and a new group starts at the earliest offset of send-sms, so no request queued before the first start is skipped'
  },
  {
    key: 'logging.level.',
    prefix: true,
    instead: 'smsgw has one log level, log.level (SMSGW_LOG_LEVEL), which logging.level.root sets; levels per logger do not apply'
  }
]

export const removedLegacyKeys: readonly RemovedLegacyKey[] = [
  {
    key: 'sms.gateway.vodacom.',
    prefix: true,
    problem: 'the Vodacom WASP backend is not supported; configure the SMSC with sms.gateway.smpp.host, port, username and password'
  },
  {
    key: 'sms.gateway.kafka.broker',
    prefix: false,
    problem: 'replaced by sms.gateway.kafka.brokers (kafka.brokers)'
  },
  {
    key: 'sms.gateway.kafka.inbound-uri',
    prefix: false,
    problem: 'Camel endpoint URIs are not supported; set sms.gateway.kafka.brokers and sms.gateway.kafka.inbound-topic (kafka.brokers, kafka.topics.sendSms)'
  },
  {
    key: 'sms.gateway.kafka.outbound-uri',
    prefix: false,
    problem: 'Camel endpoint URIs are not supported; set sms.gateway.kafka.brokers and sms.gateway.kafka.outbound-topic (kafka.brokers, kafka.topics.smsStatus)'
  }
]
