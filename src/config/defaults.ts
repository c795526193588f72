import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { logLevels } from '../log/log-levels.ts'
import { synchronousModes } from './synchronous-modes.ts'
import { dataCodingChoices } from './data-coding-choices.ts'
import { deepFreeze } from './deep-freeze.ts'
import { messageIdStyles } from './message-id-styles.ts'
import { relayEnvironments } from './relay-environments.ts'
import { defaultRelayPlatforms } from './relay-platforms-schema.ts'
import { smtpTlsModes } from './smtp-tls-modes.ts'
import type { GatewayConfig } from './schema.ts'

/**
 * The vault shipped with smsgw: the older gateway's `builtin.vault` (spec §8), holding the key
 * of the loop-back client `test`. Its password is public; it protects nothing real.
 */
export const BUILTIN_VAULT_FILE = fileURLToPath(new URL('../../assets/builtin.vault', import.meta.url))
/** The built-in vault's password, as the older gateway ships it (spec §8). */
export const BUILTIN_VAULT_PASSWORD = '123456'

export const DEFAULT_KAFKA_BROKERS: readonly string[] = Object.freeze(['127.0.0.1:9092'])
/**
 * The older gateway's `spring.application.name` (its jar's application.properties); its Kafka
 * client id and consumer group default to it (legacy-properties.ts).
 */
export const LEGACY_APPLICATION_NAME = 'sms-gateway'
export const DEFAULT_KAFKA_CLIENT_ID = LEGACY_APPLICATION_NAME
/** The older gateway's consumer group, so that a migrated deployment keeps its offsets. */
export const DEFAULT_KAFKA_GROUP_ID = LEGACY_APPLICATION_NAME
export const DEFAULT_SEND_SMS_TOPIC = 'send-sms'
export const DEFAULT_SMS_STATUS_TOPIC = 'sms-status'
export const DEFAULT_CORREL_ID_TOPIC = 'correl-id'
export const DEFAULT_CLAIMS_TOPIC = 'sms-gateway-claims'
export const DEFAULT_INBOUND_TOPIC = 'sms-inbound'
export const DEFAULT_KAFKA_PARTITIONS = 3
export const DEFAULT_KAFKA_REPLICATION_FACTOR = 1
export const DEFAULT_VAULT_RELOAD_INTERVAL_MS = 5_000
export const DEFAULT_ALLOWED_CLIENTS: readonly string[] = Object.freeze(['test'])
/** spec §6 */
export const DEFAULT_LOOPBACK_NORMAL_DELAY_MS = 100
/** spec §6 */
export const DEFAULT_LOOPBACK_LONG_DELAY_MS = 1_500
/** The port IANA registered for SMPP. */
export const DEFAULT_SMPP_PORT = 2775
/** system_type sent in bind_transceiver (spec §7). */
export const DEFAULT_SMPP_SYSTEM_TYPE = 'smpp'
export const DEFAULT_SMSC_CONNECTION_NAME = 'smsc'
/** A long message beyond six parts is more likely a mistake than a message. */
export const DEFAULT_MAX_PARTS = 6
/** International, as most SMSCs expect for numeric senders. */
export const DEFAULT_NUMERIC_SENDER_TON = 1
/** Outstanding submit_sm at once. Common SMSC windows are 10 or more; one slot is one round trip. */
export const DEFAULT_SMPP_WINDOW_SIZE = 10
/** 0: no throughput limit of our own. */
export const DEFAULT_SMPP_MAX_SUBMITS_PER_SECOND = 0
/** enquire_link keep-alive; under the idle timeouts of SMSCs and NAT boxes (often 60 s or more). */
export const DEFAULT_ENQUIRE_LINK_INTERVAL_MS = 30_000
/** The wait for any response; SMSCs answer in milliseconds, a slow one in a few seconds. */
export const DEFAULT_SMPP_RESPONSE_TIMEOUT_MS = 10_000
/** First reconnect delay; it doubles (with jitter) up to a minute. The older gateway used 12 s flat. */
export const DEFAULT_SMPP_RECONNECT_DELAY_MS = 1_000
export const DEFAULT_RECEIPT_RACE_WAIT_MS = 5_000
/** How long the parts of one inbound message may take to arrive, from its first part. */
export const DEFAULT_INBOUND_REASSEMBLY_MS = 60_000
export const DEFAULT_MAX_IN_FLIGHT = 1_000
// One core stays with the event loop (Kafka I/O, the pipeline); the rest open payloads. Each
// worker costs ~45 MiB (its own V8 isolate, type stripper and copy of the vault).
export const DEFAULT_OPEN_WORKERS = Math.max(1, availableParallelism() - 1)
export const DEFAULT_CLAIM_TAKEOVER_MS = 60_000
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000
export const DEFAULT_LOG_LEVEL = logLevels.info
export const DEFAULT_HTTP_RATE_LIMIT_PER_SECOND = 200
export const DEFAULT_HTTP_RATE_LIMIT_BURST = 400
/** PostgreSQL connections per instance: the pipeline's reads and writes run concurrently. */
export const DEFAULT_STORE_POOL_SIZE = 10
/** SQLite: how long a write waits for another process's transaction before it fails. */
export const DEFAULT_STORE_BUSY_TIMEOUT_MS = 5_000

/** The Sender of the relay's OTP SMS: the name its users know (upstream's codes come from RelaySMS). */
export const DEFAULT_RELAY_OTP_SMS_SENDER = 'RelaySMS'
/** The publisher's retries (docs/relay.md, "Publisher"): three calls, 0.5 s then 1 s apart; a Retry-After over 10 s is not waited for. */
export const DEFAULT_RELAY_PUBLISH_MAX_ATTEMPTS = 3
export const DEFAULT_RELAY_PUBLISH_RETRY_BASE_DELAY_MS = 500
export const DEFAULT_RELAY_PUBLISH_RETRY_MAX_DELAY_MS = 10_000
/** SMTP submission (RFC 6409), where STARTTLS is the rule. */
export const DEFAULT_RELAY_SMTP_PORT = 587
/**
 * How long a forward is left to the instance processing it: far more than a publish takes (the
 * publisher's retries included), so that a forward is taken over only from a crashed instance.
 */
export const DEFAULT_RELAY_INGRESS_RETRY_MS = 5 * 60 * 1000
/** How long an image-text segment waits for its session: the app sends them back to back, a phone network may hold some for hours. */
export const DEFAULT_RELAY_SEGMENT_TTL_MS = 24 * 60 * 60 * 1000
/** An image-text session has at most 255 segments; two at once per sender is ample. */
export const DEFAULT_RELAY_MAX_SEGMENTS_PER_SENDER = 512
export const DEFAULT_RELAY_MAX_SEGMENTS = 100_000

/**
 * How long an inbound SMS stored is remembered for de-duplication: an SMSC re-delivers within
 * minutes of a lost deliver_sm_resp (after its response timeout, or once the gateway is back);
 * the same text from the same person to the same number within it is taken for a re-delivery.
 */
export const DEFAULT_INBOUND_DUPLICATE_WINDOW_MS = 10 * 60 * 1000

/** The configuration when no file, environment variable or override sets anything. */
export const defaultConfig: GatewayConfig = deepFreeze({
  kafka: {
    brokers: [...DEFAULT_KAFKA_BROKERS],
    clientId: DEFAULT_KAFKA_CLIENT_ID,
    groupId: DEFAULT_KAFKA_GROUP_ID,
    topics: {
      sendSms: DEFAULT_SEND_SMS_TOPIC,
      smsStatus: DEFAULT_SMS_STATUS_TOPIC,
      correlId: DEFAULT_CORREL_ID_TOPIC,
      claims: DEFAULT_CLAIMS_TOPIC,
      inbound: DEFAULT_INBOUND_TOPIC
    },
    createTopics: true,
    partitions: DEFAULT_KAFKA_PARTITIONS,
    replicationFactor: DEFAULT_KAFKA_REPLICATION_FACTOR
  },
  vault: {
    file: BUILTIN_VAULT_FILE,
    reloadIntervalMs: DEFAULT_VAULT_RELOAD_INTERVAL_MS
  },
  clients: {
    allowed: [...DEFAULT_ALLOWED_CLIENTS]
  },
  clientLog: {},
  loopback: {
    normalDelayMs: DEFAULT_LOOPBACK_NORMAL_DELAY_MS,
    longDelayMs: DEFAULT_LOOPBACK_LONG_DELAY_MS
  },
  smpp: {
    name: DEFAULT_SMSC_CONNECTION_NAME,
    port: DEFAULT_SMPP_PORT,
    systemType: DEFAULT_SMPP_SYSTEM_TYPE,
    tls: false,
    prefixes: [],
    numberPattern: '',
    dataCoding: dataCodingChoices.auto,
    maxParts: DEFAULT_MAX_PARTS,
    numericSenderTon: DEFAULT_NUMERIC_SENDER_TON,
    respIdStyle: messageIdStyles.asIs,
    receiptIdStyle: messageIdStyles.asIs,
    validityPeriod: true,
    windowSize: DEFAULT_SMPP_WINDOW_SIZE,
    maxSubmitsPerSecond: DEFAULT_SMPP_MAX_SUBMITS_PER_SECOND,
    enquireLinkIntervalMs: DEFAULT_ENQUIRE_LINK_INTERVAL_MS,
    responseTimeoutMs: DEFAULT_SMPP_RESPONSE_TIMEOUT_MS,
    reconnectDelayMs: DEFAULT_SMPP_RECONNECT_DELAY_MS,
    connections: [],
    receiptRaceWaitMs: DEFAULT_RECEIPT_RACE_WAIT_MS,
    inboundReassemblyMs: DEFAULT_INBOUND_REASSEMBLY_MS
  },
  pipeline: {
    maxInFlight: DEFAULT_MAX_IN_FLIGHT,
    openWorkers: DEFAULT_OPEN_WORKERS,
    claimTakeoverMs: DEFAULT_CLAIM_TAKEOVER_MS,
    shutdownTimeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS
  },
  log: {
    level: DEFAULT_LOG_LEVEL
  },
  http: {
    rateLimitPerSecond: DEFAULT_HTTP_RATE_LIMIT_PER_SECOND,
    rateLimitBurst: DEFAULT_HTTP_RATE_LIMIT_BURST,
    protectMetrics: false
  },
  webhooks: {
    allowedDestinations: []
  },
  inbound: {
    owners: [],
    duplicateWindowMs: DEFAULT_INBOUND_DUPLICATE_WINDOW_MS
  },
  store: {
    poolSize: DEFAULT_STORE_POOL_SIZE,
    synchronous: synchronousModes.full,
    busyTimeoutMs: DEFAULT_STORE_BUSY_TIMEOUT_MS
  },
  relay: {
    grpcHost: '127.0.0.1',
    internalGrpcHost: '127.0.0.1',
    environment: relayEnvironments.production,
    otpDevelopmentIdentifiers: [],
    otpSmsSender: DEFAULT_RELAY_OTP_SMS_SENDER,
    smtpPort: DEFAULT_RELAY_SMTP_PORT,
    smtpTls: smtpTlsModes.starttls,
    deliveryNotices: true,
    publishMaxAttempts: DEFAULT_RELAY_PUBLISH_MAX_ATTEMPTS,
    publishRetryBaseDelayMs: DEFAULT_RELAY_PUBLISH_RETRY_BASE_DELAY_MS,
    publishRetryMaxDelayMs: DEFAULT_RELAY_PUBLISH_RETRY_MAX_DELAY_MS,
    platforms: defaultRelayPlatforms,
    ingress: false,
    ingressNumbers: [],
    ingressRetryMs: DEFAULT_RELAY_INGRESS_RETRY_MS,
    ingressTopic: 'relay-ingress',
    ingressReplyTopic: 'relay-ingress-replies',
    segmentTtlMs: DEFAULT_RELAY_SEGMENT_TTL_MS,
    maxSegmentsPerSender: DEFAULT_RELAY_MAX_SEGMENTS_PER_SENDER,
    maxSegments: DEFAULT_RELAY_MAX_SEGMENTS,
    requireForwarderKey: false
  }
})
