import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configKeys } from '../../src/config/config-keys.ts'
import { readEnvLayer } from '../../src/config/env.ts'

test('configKeys names one environment variable per setting, in upper snake case', () => {
  assert.deepStrictEqual(configKeys.map(key => [key.name, key.envVar, key.kind]), [
    ['kafka.brokers', 'SMSGW_KAFKA_BROKERS', 'string-list'],
    ['kafka.clientId', 'SMSGW_KAFKA_CLIENT_ID', 'string'],
    ['kafka.groupId', 'SMSGW_KAFKA_GROUP_ID', 'string'],
    ['kafka.topics.sendSms', 'SMSGW_KAFKA_TOPICS_SEND_SMS', 'string'],
    ['kafka.topics.smsStatus', 'SMSGW_KAFKA_TOPICS_SMS_STATUS', 'string'],
    ['kafka.topics.correlId', 'SMSGW_KAFKA_TOPICS_CORREL_ID', 'string'],
    ['kafka.topics.claims', 'SMSGW_KAFKA_TOPICS_CLAIMS', 'string'],
    ['kafka.topics.inbound', 'SMSGW_KAFKA_TOPICS_INBOUND', 'string'],
    ['kafka.createTopics', 'SMSGW_KAFKA_CREATE_TOPICS', 'boolean'],
    ['kafka.partitions', 'SMSGW_KAFKA_PARTITIONS', 'integer'],
    ['kafka.replicationFactor', 'SMSGW_KAFKA_REPLICATION_FACTOR', 'integer'],
    ['vault.file', 'SMSGW_VAULT_FILE', 'string'],
    ['vault.password', 'SMSGW_VAULT_PASSWORD', 'string'],
    ['vault.passwordFile', 'SMSGW_VAULT_PASSWORD_FILE', 'string'],
    ['vault.reloadIntervalMs', 'SMSGW_VAULT_RELOAD_INTERVAL_MS', 'integer'],
    ['clients.allowed', 'SMSGW_CLIENTS_ALLOWED', 'string-list'],
    ['clientLog.dir', 'SMSGW_CLIENT_LOG_DIR', 'string'],
    ['loopback.normalDelayMs', 'SMSGW_LOOPBACK_NORMAL_DELAY_MS', 'integer'],
    ['loopback.longDelayMs', 'SMSGW_LOOPBACK_LONG_DELAY_MS', 'integer'],
    ['smpp.name', 'SMSGW_SMPP_NAME', 'string'],
    ['smpp.host', 'SMSGW_SMPP_HOST', 'string'],
    ['smpp.port', 'SMSGW_SMPP_PORT', 'integer'],
    ['smpp.systemId', 'SMSGW_SMPP_SYSTEM_ID', 'string'],
    ['smpp.password', 'SMSGW_SMPP_PASSWORD', 'string'],
    ['smpp.systemType', 'SMSGW_SMPP_SYSTEM_TYPE', 'string'],
    ['smpp.tls', 'SMSGW_SMPP_TLS', 'boolean'],
    ['smpp.prefixes', 'SMSGW_SMPP_PREFIXES', 'string-list'],
    ['smpp.numberPattern', 'SMSGW_SMPP_NUMBER_PATTERN', 'string'],
    ['smpp.dataCoding', 'SMSGW_SMPP_DATA_CODING', 'string'],
    ['smpp.maxParts', 'SMSGW_SMPP_MAX_PARTS', 'integer'],
    ['smpp.numericSenderTon', 'SMSGW_SMPP_NUMERIC_SENDER_TON', 'integer'],
    ['smpp.respIdStyle', 'SMSGW_SMPP_RESP_ID_STYLE', 'string'],
    ['smpp.receiptIdStyle', 'SMSGW_SMPP_RECEIPT_ID_STYLE', 'string'],
    ['smpp.validityPeriod', 'SMSGW_SMPP_VALIDITY_PERIOD', 'boolean'],
    ['smpp.windowSize', 'SMSGW_SMPP_WINDOW_SIZE', 'integer'],
    ['smpp.maxSubmitsPerSecond', 'SMSGW_SMPP_MAX_SUBMITS_PER_SECOND', 'integer'],
    ['smpp.enquireLinkIntervalMs', 'SMSGW_SMPP_ENQUIRE_LINK_INTERVAL_MS', 'integer'],
    ['smpp.responseTimeoutMs', 'SMSGW_SMPP_RESPONSE_TIMEOUT_MS', 'integer'],
    ['smpp.reconnectDelayMs', 'SMSGW_SMPP_RECONNECT_DELAY_MS', 'integer'],
    ['smpp.receiptRaceWaitMs', 'SMSGW_SMPP_RECEIPT_RACE_WAIT_MS', 'integer'],
    ['smpp.inboundReassemblyMs', 'SMSGW_SMPP_INBOUND_REASSEMBLY_MS', 'integer'],
    ['pipeline.maxInFlight', 'SMSGW_PIPELINE_MAX_IN_FLIGHT', 'integer'],
    ['pipeline.openWorkers', 'SMSGW_PIPELINE_OPEN_WORKERS', 'integer'],
    ['pipeline.claimTakeoverMs', 'SMSGW_PIPELINE_CLAIM_TAKEOVER_MS', 'integer'],
    ['pipeline.shutdownTimeoutMs', 'SMSGW_PIPELINE_SHUTDOWN_TIMEOUT_MS', 'integer'],
    ['log.level', 'SMSGW_LOG_LEVEL', 'string'],
    ['http.rateLimitPerSecond', 'SMSGW_HTTP_RATE_LIMIT_PER_SECOND', 'integer'],
    ['http.rateLimitBurst', 'SMSGW_HTTP_RATE_LIMIT_BURST', 'integer'],
    ['http.protectMetrics', 'SMSGW_HTTP_PROTECT_METRICS', 'boolean'],
    ['webhooks.allowedDestinations', 'SMSGW_WEBHOOKS_ALLOWED_DESTINATIONS', 'string-list'],
    ['inbound.duplicateWindowMs', 'SMSGW_INBOUND_DUPLICATE_WINDOW_MS', 'integer'],
    ['store.url', 'SMSGW_STORE_URL', 'string'],
    ['store.poolSize', 'SMSGW_STORE_POOL_SIZE', 'integer'],
    ['store.synchronous', 'SMSGW_STORE_SYNCHRONOUS', 'string'],
    ['store.busyTimeoutMs', 'SMSGW_STORE_BUSY_TIMEOUT_MS', 'integer'],
    ['relay.sealingKeyFile', 'SMSGW_RELAY_SEALING_KEY_FILE', 'string'],
    ['relay.sealingKey', 'SMSGW_RELAY_SEALING_KEY', 'string'],
    ['relay.identifierKeyFile', 'SMSGW_RELAY_IDENTIFIER_KEY_FILE', 'string'],
    ['relay.pepperFile', 'SMSGW_RELAY_PEPPER_FILE', 'string'],
    ['relay.grpcHost', 'SMSGW_RELAY_GRPC_HOST', 'string'],
    ['relay.grpcPort', 'SMSGW_RELAY_GRPC_PORT', 'integer'],
    ['relay.grpcTlsPort', 'SMSGW_RELAY_GRPC_TLS_PORT', 'integer'],
    ['relay.grpcTlsCertFile', 'SMSGW_RELAY_GRPC_TLS_CERT_FILE', 'string'],
    ['relay.grpcTlsKeyFile', 'SMSGW_RELAY_GRPC_TLS_KEY_FILE', 'string'],
    ['relay.internalGrpcHost', 'SMSGW_RELAY_INTERNAL_GRPC_HOST', 'string'],
    ['relay.internalGrpcPort', 'SMSGW_RELAY_INTERNAL_GRPC_PORT', 'integer'],
    ['relay.internalGrpcTlsPort', 'SMSGW_RELAY_INTERNAL_GRPC_TLS_PORT', 'integer'],
    ['relay.environment', 'SMSGW_RELAY_ENVIRONMENT', 'string'],
    ['relay.otpDevelopmentCode', 'SMSGW_RELAY_OTP_DEVELOPMENT_CODE', 'string'],
    ['relay.otpDevelopmentIdentifiers', 'SMSGW_RELAY_OTP_DEVELOPMENT_IDENTIFIERS', 'string-list'],
    ['relay.otpSmsClient', 'SMSGW_RELAY_OTP_SMS_CLIENT', 'string'],
    ['relay.otpSmsSender', 'SMSGW_RELAY_OTP_SMS_SENDER', 'string'],
    ['relay.smtpHost', 'SMSGW_RELAY_SMTP_HOST', 'string'],
    ['relay.smtpPort', 'SMSGW_RELAY_SMTP_PORT', 'integer'],
    ['relay.smtpTls', 'SMSGW_RELAY_SMTP_TLS', 'string'],
    ['relay.smtpUser', 'SMSGW_RELAY_SMTP_USER', 'string'],
    ['relay.smtpPasswordFile', 'SMSGW_RELAY_SMTP_PASSWORD_FILE', 'string'],
    ['relay.smtpCaFile', 'SMSGW_RELAY_SMTP_CA_FILE', 'string'],
    ['relay.smtpFrom', 'SMSGW_RELAY_SMTP_FROM', 'string'],
    ['relay.breachLookupUrl', 'SMSGW_RELAY_BREACH_LOOKUP_URL', 'string'],
    ['relay.captchaUrl', 'SMSGW_RELAY_CAPTCHA_URL', 'string'],
    ['relay.captchaSecretFile', 'SMSGW_RELAY_CAPTCHA_SECRET_FILE', 'string'],
    ['relay.publisherGrpcPort', 'SMSGW_RELAY_PUBLISHER_GRPC_PORT', 'integer'],
    ['relay.publisherGrpcTlsPort', 'SMSGW_RELAY_PUBLISHER_GRPC_TLS_PORT', 'integer'],
    ['relay.deliveryNotices', 'SMSGW_RELAY_DELIVERY_NOTICES', 'boolean'],
    ['relay.publishMaxAttempts', 'SMSGW_RELAY_PUBLISH_MAX_ATTEMPTS', 'integer'],
    ['relay.publishRetryBaseDelayMs', 'SMSGW_RELAY_PUBLISH_RETRY_BASE_DELAY_MS', 'integer'],
    ['relay.publishRetryMaxDelayMs', 'SMSGW_RELAY_PUBLISH_RETRY_MAX_DELAY_MS', 'integer'],
    ['relay.platforms.gmail.baseUrl', 'SMSGW_RELAY_PLATFORMS_GMAIL_BASE_URL', 'string'],
    ['relay.platforms.gmail.authorizationUrl', 'SMSGW_RELAY_PLATFORMS_GMAIL_AUTHORIZATION_URL', 'string'],
    ['relay.platforms.gmail.tokenUrl', 'SMSGW_RELAY_PLATFORMS_GMAIL_TOKEN_URL', 'string'],
    ['relay.platforms.gmail.revokeUrl', 'SMSGW_RELAY_PLATFORMS_GMAIL_REVOKE_URL', 'string'],
    ['relay.platforms.gmail.clientId', 'SMSGW_RELAY_PLATFORMS_GMAIL_CLIENT_ID', 'string'],
    ['relay.platforms.gmail.clientSecretFile', 'SMSGW_RELAY_PLATFORMS_GMAIL_CLIENT_SECRET_FILE', 'string'],
    ['relay.platforms.gmail.redirectUrl', 'SMSGW_RELAY_PLATFORMS_GMAIL_REDIRECT_URL', 'string'],
    ['relay.platforms.twitter.baseUrl', 'SMSGW_RELAY_PLATFORMS_TWITTER_BASE_URL', 'string'],
    ['relay.platforms.twitter.authorizationUrl', 'SMSGW_RELAY_PLATFORMS_TWITTER_AUTHORIZATION_URL', 'string'],
    ['relay.platforms.twitter.clientId', 'SMSGW_RELAY_PLATFORMS_TWITTER_CLIENT_ID', 'string'],
    ['relay.platforms.twitter.clientSecretFile', 'SMSGW_RELAY_PLATFORMS_TWITTER_CLIENT_SECRET_FILE', 'string'],
    ['relay.platforms.twitter.redirectUrl', 'SMSGW_RELAY_PLATFORMS_TWITTER_REDIRECT_URL', 'string'],
    ['relay.platforms.mastodon.baseUrl', 'SMSGW_RELAY_PLATFORMS_MASTODON_BASE_URL', 'string'],
    ['relay.platforms.mastodon.clientId', 'SMSGW_RELAY_PLATFORMS_MASTODON_CLIENT_ID', 'string'],
    ['relay.platforms.mastodon.clientSecretFile', 'SMSGW_RELAY_PLATFORMS_MASTODON_CLIENT_SECRET_FILE', 'string'],
    ['relay.platforms.mastodon.redirectUrl', 'SMSGW_RELAY_PLATFORMS_MASTODON_REDIRECT_URL', 'string'],
    ['relay.platforms.bluesky.baseUrl', 'SMSGW_RELAY_PLATFORMS_BLUESKY_BASE_URL', 'string'],
    ['relay.platforms.bluesky.clientId', 'SMSGW_RELAY_PLATFORMS_BLUESKY_CLIENT_ID', 'string'],
    ['relay.platforms.bluesky.clientSecretFile', 'SMSGW_RELAY_PLATFORMS_BLUESKY_CLIENT_SECRET_FILE', 'string'],
    ['relay.platforms.bluesky.redirectUrl', 'SMSGW_RELAY_PLATFORMS_BLUESKY_REDIRECT_URL', 'string'],
    ['relay.platforms.telegram.apiId', 'SMSGW_RELAY_PLATFORMS_TELEGRAM_API_ID', 'integer'],
    ['relay.platforms.telegram.apiHashFile', 'SMSGW_RELAY_PLATFORMS_TELEGRAM_API_HASH_FILE', 'string'],
    ['relay.ingress', 'SMSGW_RELAY_INGRESS', 'boolean'],
    ['relay.ingressNumbers', 'SMSGW_RELAY_INGRESS_NUMBERS', 'string-list'],
    ['relay.ingressRetryMs', 'SMSGW_RELAY_INGRESS_RETRY_MS', 'integer'],
    ['relay.ingressTopic', 'SMSGW_RELAY_INGRESS_TOPIC', 'string'],
    ['relay.ingressReplyTopic', 'SMSGW_RELAY_INGRESS_REPLY_TOPIC', 'string'],
    ['relay.segmentTtlMs', 'SMSGW_RELAY_SEGMENT_TTL_MS', 'integer'],
    ['relay.maxSegmentsPerSender', 'SMSGW_RELAY_MAX_SEGMENTS_PER_SENDER', 'integer'],
    ['relay.maxSegments', 'SMSGW_RELAY_MAX_SEGMENTS', 'integer'],
    ['relay.requireForwarderKey', 'SMSGW_RELAY_REQUIRE_FORWARDER_KEY', 'boolean']
  ])
})

test('readEnvLayer converts variables by the type of their setting', () => {
  const layer = readEnvLayer({
    SMSGW_KAFKA_BROKERS: 'host1:9092,host2:9092, host3:9092',
    SMSGW_KAFKA_CREATE_TOPICS: 'FALSE',
    SMSGW_PIPELINE_MAX_IN_FLIGHT: ' 50 ',
    SMSGW_VAULT_PASSWORD: ' spaces kept ',
    SMSGW_LOG_LEVEL: 'debug'
  })
  assert.deepStrictEqual(layer, {
    values: {
      kafka: { brokers: ['host1:9092', 'host2:9092', 'host3:9092'], createTopics: false },
      vault: { password: ' spaces kept ' },
      pipeline: { maxInFlight: 50 },
      log: { level: 'debug' }
    },
    sources: new Map([
      ['kafka.brokers', 'environment variable SMSGW_KAFKA_BROKERS'],
      ['kafka.createTopics', 'environment variable SMSGW_KAFKA_CREATE_TOPICS'],
      ['vault.password', 'environment variable SMSGW_VAULT_PASSWORD'],
      ['pipeline.maxInFlight', 'environment variable SMSGW_PIPELINE_MAX_IN_FLIGHT'],
      ['log.level', 'environment variable SMSGW_LOG_LEVEL']
    ]),
    issues: [],
    warnings: []
  })
})

test('readEnvLayer keeps text that does not convert, for validation to report', () => {
  const layer = readEnvLayer({ SMSGW_SMPP_PORT: '27x5', SMSGW_KAFKA_CREATE_TOPICS: 'yes', SMSGW_PIPELINE_OPEN_WORKERS: '1.5' })
  assert.deepStrictEqual(layer.values, { kafka: { createTopics: 'yes' }, smpp: { port: '27x5' }, pipeline: { openWorkers: '1.5' } })
})

test('readEnvLayer counts an empty variable as not set', () => {
  assert.deepStrictEqual(readEnvLayer({ SMSGW_SMPP_HOST: '', SMSGW_KAFKA_BROKERS: '' }), { values: {}, sources: new Map(), issues: [], warnings: [] })
})

test('readEnvLayer reports unknown variables of a section and leaves other SMSGW_ variables alone', () => {
  const layer = readEnvLayer({
    SMSGW_KAFKA_BROKER: 'localhost:9092',
    SMSGW_PIPELINE_MAXINFLIGHT: '5',
    SMSGW_SMPP_TLS_CA: 'ca.pem',
    SMSGW_BENCH_BUDGET_MS: '1000',
    SMSGW_VAULT_PASSWORD: 'secret',
    PATH: '/usr/bin'
  })
  assert.deepStrictEqual(layer.issues, [
    { path: 'SMSGW_KAFKA_BROKER', problem: 'not a setting; did you mean SMSGW_KAFKA_BROKERS?', source: 'the environment' },
    { path: 'SMSGW_PIPELINE_MAXINFLIGHT', problem: 'not a setting; did you mean SMSGW_PIPELINE_MAX_IN_FLIGHT?', source: 'the environment' },
    { path: 'SMSGW_SMPP_TLS_CA', problem: 'not a setting; did you mean SMSGW_SMPP_TLS?', source: 'the environment' }
  ])
})
