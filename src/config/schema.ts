import Type from 'typebox'
import type { Static, TInteger, TString } from 'typebox'
import { MAX_CLIENT_ID_BYTES } from '../domain/request-ids.ts'
import { allowedLogLevels } from '../log/log-levels.ts'
import { allowedSynchronousModes } from './synchronous-modes.ts'
import { allowedDataCodingChoices } from './data-coding-choices.ts'
import type { DeepReadonly } from './deep-types.ts'
import { allowedMessageIdStyles } from './message-id-styles.ts'
import { allowedRelayEnvironments } from './relay-environments.ts'
import { HTTP_URL_PATTERN, relayPlatformsSchema } from './relay-platforms-schema.ts'
import { allowedSmtpTlsModes } from './smtp-tls-modes.ts'

/** `host:port`, where host is a name, an IPv4 address or a bracketed IPv6 address. */
export const BROKER_PATTERN = '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):[0-9]{1,5}$'

/** Kafka's own rule for topic names (legal characters; at most 249 of them). */
export const TOPIC_PATTERN = '^[A-Za-z0-9._-]{1,249}$'

/** A network (`10.0.0.0/8`, `fd00::/8`), an address or a host name; parsed in full where it is used (DestinationPolicy). */
export const DESTINATION_PATTERN = '^[0-9A-Za-z.:_-]{1,253}(/[0-9]{1,3})?$'

/** What a value failing one of the patterns above must look like, for error messages. */
export const patternDescriptions: Readonly<Record<string, string>> = {
  [BROKER_PATTERN]: 'must be host:port',
  [DESTINATION_PATTERN]: 'must be a network (10.0.0.0/8, fd00::/8), an IP address or a host name',
  [HTTP_URL_PATTERN]: 'must be an http:// or https:// URL',
  [TOPIC_PATTERN]: 'must be a Kafka topic name (letters, digits, ".", "_", "-"; at most 249)'
}

const closed = { additionalProperties: false } as const

export const MIN_VAULT_RELOAD_INTERVAL_MS = 100

function text (): TString {
  return Type.String({ minLength: 1 })
}

function topic (): TString {
  return Type.String({ pattern: TOPIC_PATTERN })
}

function count (minimum: number, maximum?: number): TInteger {
  return Type.Integer(maximum === undefined ? { minimum } : { minimum, maximum })
}

/**
 * The settings of one SMSC connection (spec §7). The `smpp` block holds the primary one (the
 * older gateway's only one, so its .properties keys and SMSGW_SMPP_* variables reach it);
 * `smpp.connections` adds more, in a file, each with these settings (defaults from the primary).
 */
const smscConnectionProperties = {
  /** Names the connection in logs and in the `connection` field of inbound SMS. */
  name: text(),
  host: Type.Optional(text()),
  port: count(1, 65535),
  systemId: Type.Optional(text()),
  password: Type.Optional(text()),
  /** May be empty: an ESME may bind with a NULL system_type (SMPP 3.4 bind PDUs). */
  systemType: Type.String(),
  tls: Type.Boolean(),
  /** Recipient prefixes this SMSC takes (`+255`); empty takes all. First matching bound connection wins. */
  prefixes: Type.Array(text()),
  /** A regular expression the whole recipient must match; empty for none. */
  numberPattern: Type.String(),
  dataCoding: Type.Enum([...allowedDataCodingChoices]),
  maxParts: count(1, 255),
  /** TON of numeric senders: 1 international, 2 national (text senders use 5). */
  numericSenderTon: count(0, 6),
  respIdStyle: Type.Enum([...allowedMessageIdStyles]),
  receiptIdStyle: Type.Enum([...allowedMessageIdStyles]),
  /** Send the request's deadline as validity_period. */
  validityPeriod: Type.Boolean(),
  windowSize: count(1, 1000),
  /** 0 for no limit. */
  maxSubmitsPerSecond: count(0),
  enquireLinkIntervalMs: count(1000),
  responseTimeoutMs: count(100),
  reconnectDelayMs: count(100)
}

/**
 * The whole configuration of `smsgw gateway`. Every property is required here: the defaults
 * object (defaults.ts) fills in what the sources leave out before validation. Names carry units.
 */
export const gatewayConfigSchema = Type.Object({
  kafka: Type.Object({
    brokers: Type.Array(Type.String({ pattern: BROKER_PATTERN }), { minItems: 1 }),
    clientId: text(),
    groupId: text(),
    topics: Type.Object({
      /** Requests in (spec §1). */
      sendSms: topic(),
      /** Statuses out (spec §1, §4). */
      smsStatus: topic(),
      /** SMSC message id to request, compacted (spec §1). */
      correlId: topic(),
      /** Which instance holds which request, compacted. */
      claims: topic(),
      /** Mobile-originated SMS received from the SMSC (spec §7). */
      inbound: topic()
    }, closed),
    createTopics: Type.Boolean(),
    partitions: count(1),
    replicationFactor: count(1)
  }, closed),
  vault: Type.Object({
    file: text(),
    password: Type.Optional(text()),
    passwordFile: Type.Optional(text()),
    /** How often the vault file is checked for changes; a floor keeps the check from spinning. */
    reloadIntervalMs: count(MIN_VAULT_RELOAD_INTERVAL_MS)
  }, closed),
  clients: Type.Object({
    allowed: Type.Array(text(), { minItems: 1 })
  }, closed),
  clientLog: Type.Object({
    /** Directory of the per-client logs (spec §9); absent turns them off. */
    dir: Type.Optional(text())
  }, closed),
  loopback: Type.Object({
    normalDelayMs: count(0),
    longDelayMs: count(0)
  }, closed),
  smpp: Type.Object({
    ...smscConnectionProperties,
    /** More SMSC connections (file only), each overriding the primary's settings it names. */
    connections: Type.Array(Type.Partial(Type.Object(smscConnectionProperties, closed))),
    /** How long a receipt waits for its request's record (the race with the submit response). */
    receiptRaceWaitMs: count(0),
    /** How long parts of a concatenated inbound SMS are awaited before it is published incomplete. */
    inboundReassemblyMs: count(1000)
  }, closed),
  pipeline: Type.Object({
    maxInFlight: count(1),
    /** 0 opens sealed payloads on the main thread. */
    openWorkers: count(0),
    claimTakeoverMs: count(1),
    shutdownTimeoutMs: count(0)
  }, closed),
  log: Type.Object({
    level: Type.Enum([...allowedLogLevels])
  }, closed),
  http: Type.Object({
    /** Requests a second each client may make to the API (a batch counts each of its messages). */
    rateLimitPerSecond: count(1),
    /** Requests a client may make at once above that rate. */
    rateLimitBurst: count(1),
    /** /metrics asks for an operator key too (the dashboard always does; /healthz and /readyz never). */
    protectMetrics: Type.Boolean()
  }, closed),
  webhooks: Type.Object({
    /**
     * Internal networks and host names webhooks may reach; every other special-use address
     * (loop-back, private, link-local, unique-local, …) is refused (docs/http-api.md, "Webhooks").
     */
    allowedDestinations: Type.Array(Type.String({ pattern: DESTINATION_PATTERN }))
  }, closed),
  inbound: Type.Object({
    /**
     * Embedded mode: which client owns the inbound SMS sent to which numbers (file only). An
     * ordered table, first match wins; a recipient no prefix matches is refused
     * (docs/inbound-sms.md, "Embedded mode"). Each client needs a key in the vault.
     */
    owners: Type.Array(Type.Object({
      client: Type.String({ minLength: 1, maxLength: MAX_CLIENT_ID_BYTES }),
      /** Recipient prefixes as the inbound JSON writes them (`+49…`, `40404`); `""` matches all. */
      prefixes: Type.Array(Type.String({ maxLength: 32 }), { minItems: 1 })
    }, closed)),
    /** How long a message stored is remembered to tell an SMSC's re-delivery of it from a new one. */
    duplicateWindowMs: count(1000)
  }, closed),
  store: Type.Object({
    /**
     * Where `smsgw run` keeps its queue, statuses, ledger and correlations, and `smsgw gateway`
     * the relay's accounts (only with relay.grpcPort). Absent: the SQLite file smsgw.db in the
     * data folder. A `postgres://` URL: a PostgreSQL database, which several instances may share
     * (docs/embedded-mode.md). Another value: a SQLite file there.
     */
    url: Type.Optional(text()),
    /** PostgreSQL connections per instance (the consumer lease takes one more). */
    poolSize: count(1, 1000),
    /** SQLite: when a commit reaches the disk (docs/embedded-mode.md, "Durability choices"). */
    synchronous: Type.Enum([...allowedSynchronousModes]),
    /** SQLite: how long a write waits for another process's transaction. */
    busyTimeoutMs: count(0)
  }, closed),
  relay: Type.Object({
    /**
     * The key ring that seals relay accounts at rest (relay.md §7; docs/relay.md, "What is stored
     * and how it is sealed"): a file, or the ring's text itself. Never the database.
     */
    sealingKeyFile: Type.Optional(text()),
    sealingKey: Type.Optional(text()),
    /** The HMAC key of identifier hashes (relay.md §7): upstream's key file form, first line. */
    identifierKeyFile: Type.Optional(text()),
    /** The password pepper (relay.md §7): base64 of 32 bytes on the first line. */
    pepperFile: Type.Optional(text()),
    /** Where vault.v1.Entity listens (relay-wire.md §1); no port, no gRPC server. */
    grpcHost: text(),
    grpcPort: Type.Optional(count(0, 65535)),
    /** A TLS port of vault.v1.Entity beside the plaintext one, with its certificate chain and key (PEM files). */
    grpcTlsPort: Type.Optional(count(0, 65535)),
    grpcTlsCertFile: Type.Optional(text()),
    grpcTlsKeyFile: Type.Optional(text()),
    /**
     * Where vault.v1.EntityInternal listens (relay-wire.md §2, server to server: the publisher's);
     * loopback by default, since it answers without any client credential. No port, no server.
     */
    internalGrpcHost: text(),
    internalGrpcPort: Type.Optional(count(0, 65535)),
    /** A TLS port of vault.v1.EntityInternal, with relay.grpcTlsCertFile and relay.grpcTlsKeyFile. */
    internalGrpcTlsPort: Type.Optional(count(0, 65535)),
    /** `development` allows the fixed OTP code below; `production` refuses it (config-rules.ts). */
    environment: Type.Enum([...allowedRelayEnvironments]),
    /** Development only: the code that proves ownership of the identifiers below (no OTP is sent). */
    otpDevelopmentCode: Type.Optional(text()),
    otpDevelopmentIdentifiers: Type.Array(text()),
    /** The client the OTP SMS are sent as, through the gateway's own pipeline (docs/relay.md, "One-time codes"). */
    otpSmsClient: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_CLIENT_ID_BYTES })),
    /** The OTP SMS's Sender. */
    otpSmsSender: text(),
    /** The SMTP server of the e-mail OTP; none, no e-mail OTP. */
    smtpHost: Type.Optional(text()),
    smtpPort: count(1, 65535),
    smtpTls: Type.Enum([...allowedSmtpTlsModes]),
    smtpUser: Type.Optional(text()),
    /** The SMTP password's file (its first line), so the password is in no configuration. */
    smtpPasswordFile: Type.Optional(text()),
    /** Certificates (PEM) to trust for the SMTP server instead of the system's. */
    smtpCaFile: Type.Optional(text()),
    /** The OTP mail's sender address. */
    smtpFrom: Type.Optional(text()),
    /** A Pwned Passwords range API (k-anonymity) the new passwords are looked up in; none, no lookup. */
    breachLookupUrl: Type.Optional(text()),
    /** The captcha service whose tokens step 1 of CreateEntity, AuthenticateEntity and ResetPassword needs; none, no captcha. */
    captchaUrl: Type.Optional(text()),
    /** Its client_secret's file (the first line), so the secret is in no configuration. */
    captchaSecretFile: Type.Optional(text()),
    /** Where publisher.v1.Publisher listens, on relay.grpcHost (relay-wire.md §3); no port, no publisher. */
    publisherGrpcPort: Type.Optional(count(0, 65535)),
    /** A TLS port of publisher.v1.Publisher, with relay.grpcTlsCertFile and relay.grpcTlsKeyFile. */
    publisherGrpcTlsPort: Type.Optional(count(0, 65535)),
    /** Whether the sender of each payload published hears how it went by SMS (relay.md §6), sent as relay.otpSmsClient. */
    deliveryNotices: Type.Boolean(),
    /** Calls of a platform per payload when it fails transiently or limits the rate (docs/relay.md, "Publisher"). */
    publishMaxAttempts: count(1, 10),
    /** The first wait between them, doubling after each; a platform's Retry-After wins. */
    publishRetryBaseDelayMs: count(0),
    /** The longest wait inside one publish; a platform asking for longer gets no further call. */
    publishRetryMaxDelayMs: count(0),
    /** The platforms published to (relay-platforms-schema.ts; docs/relay.md, "Platforms"). */
    platforms: relayPlatformsSchema,
    /**
     * The relay's ingress (docs/relay.md, "Ingress"): POST /v3/publish for gateway phones and the
     * MO of our own SMPP binds for relay.ingressNumbers, handed to the publisher.
     */
    ingress: Type.Boolean(),
    /** The numbers (as the inbound JSON writes a recipient) whose MO enter the relay's ingress instead of inbound.owners. */
    ingressNumbers: Type.Array(Type.String({ minLength: 1, maxLength: 32 })),
    /** How long a forward is left to the instance processing it before it comes due again (a crash, a failure). */
    ingressRetryMs: count(1000),
    /** `smsgw gateway`: the topic the forwards go through, shared by every instance's consumer group (docs/relay.md, "Several instances"). */
    ingressTopic: topic(),
    /** `smsgw gateway`: the topic a forward's answer goes back on to the instance whose phone waits for it. */
    ingressReplyTopic: topic(),
    /** How long an image-text segment waits for the rest of its session. */
    segmentTtlMs: count(1000),
    /** Image-text segments one sender may have waiting. */
    maxSegmentsPerSender: count(1),
    /** Image-text segments waiting in all. */
    maxSegments: count(1),
    /** Forwards to /v3/publish must carry a registered gateway client's key (docs/relay.md, "Gateway clients"). */
    requireForwarderKey: Type.Boolean()
  }, closed)
}, closed)

/** The validated configuration, deeply frozen. */
export type GatewayConfig = DeepReadonly<Static<typeof gatewayConfigSchema>>

/** Paths whose values are secrets: never echoed in error messages. */
export const secretPaths: readonly string[] = ['vault.password', 'smpp.password', 'store.url', 'relay.sealingKey', 'relay.otpDevelopmentCode']
