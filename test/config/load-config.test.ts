/* eslint-disable no-template-curly-in-string -- Spring ${…} placeholders in .properties text are what these tests are about */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { isSmsgwError } from '../../src/errors.ts'
import { BUILTIN_VAULT_FILE, DEFAULT_OPEN_WORKERS, defaultConfig, loadConfig, loadConfigWithWarnings } from '../../src/config/index.ts'
import type { GatewayConfig } from '../../src/config/index.ts'

let directory = ''

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'smsgw-config-'))
})

after(async () => {
  await rm(directory, { recursive: true, force: true })
})

async function configFile (name: string, text: string): Promise<string> {
  const file = join(directory, name)
  await writeFile(file, text)
  return file
}

/** The lines of the SMSGW_CONFIG error that loading rejects with. */
async function problemsOf (loading: Promise<unknown>): Promise<string[]> {
  try {
    await loading
  } catch (error) {
    assert.ok(isSmsgwError(error, 'SMSGW_CONFIG'), String(error))
    return error.message.split('\n')
  }
  assert.fail('the configuration loaded')
}

const defaults: GatewayConfig = {
  kafka: {
    brokers: ['127.0.0.1:9092'],
    clientId: 'sms-gateway',
    groupId: 'sms-gateway',
    topics: {
      sendSms: 'send-sms',
      smsStatus: 'sms-status',
      correlId: 'correl-id',
      claims: 'sms-gateway-claims',
      inbound: 'sms-inbound'
    },
    createTopics: true,
    partitions: 3,
    replicationFactor: 1
  },
  vault: { file: BUILTIN_VAULT_FILE, reloadIntervalMs: 5000 },
  clients: { allowed: ['test'] },
  clientLog: {},
  loopback: { normalDelayMs: 100, longDelayMs: 1500 },
  smpp: defaultConfig.smpp,
  pipeline: { maxInFlight: 1000, openWorkers: DEFAULT_OPEN_WORKERS, claimTakeoverMs: 60000, shutdownTimeoutMs: 10000 },
  log: { level: 'info' },
  http: { rateLimitPerSecond: 200, rateLimitBurst: 400, protectMetrics: false },
  webhooks: { allowedDestinations: [] },
  inbound: { owners: [], duplicateWindowMs: 600000 },
  store: { poolSize: 10, synchronous: 'full', busyTimeoutMs: 5000 },
  relay: {
    grpcHost: '127.0.0.1',
    internalGrpcHost: '127.0.0.1',
    environment: 'production',
    otpDevelopmentIdentifiers: [],
    otpSmsSender: 'RelaySMS',
    smtpPort: 587,
    smtpTls: 'starttls',
    deliveryNotices: true,
    publishMaxAttempts: 3,
    publishRetryBaseDelayMs: 500,
    publishRetryMaxDelayMs: 10000,
    platforms: {
      gmail: {
        baseUrl: 'https://www.googleapis.com',
        authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        revokeUrl: 'https://oauth2.googleapis.com/revoke',
        redirectUrl: 'https://relay.smswithoutborders.com/android'
      },
      twitter: { baseUrl: 'https://api.x.com', authorizationUrl: 'https://x.com/i/oauth2/authorize', redirectUrl: 'https://relay.smswithoutborders.com/android' },
      mastodon: { baseUrl: 'https://mastodon.social', redirectUrl: 'https://relay.smswithoutborders.com/android' },
      bluesky: { baseUrl: 'https://bsky.social', redirectUrl: 'https://relay.smswithoutborders.com/android' },
      telegram: {}
    },
    ingress: false,
    ingressNumbers: [],
    ingressRetryMs: 300000,
    ingressTopic: 'relay-ingress',
    ingressReplyTopic: 'relay-ingress-replies',
    segmentTtlMs: 86400000,
    maxSegmentsPerSender: 512,
    maxSegments: 100000,
    requireForwarderKey: false
  }
}

test('loadConfig gives the defaults when nothing is given', async () => {
  assert.deepStrictEqual(await loadConfig({ env: {} }), defaults)
  assert.deepStrictEqual(defaultConfig, defaults)
})

test('BUILTIN_VAULT_FILE is assets/builtin.vault of the repository', () => {
  assert.equal(BUILTIN_VAULT_FILE, join(import.meta.dirname, '..', '..', 'assets', 'builtin.vault'))
})

test('loadConfig reads the Java gateway\'s application-prod.properties', async () => {
  const file = await configFile('application-prod.properties', [
    '# PROD profile settings SMS gateway',
    '',
    '# General Spring (Boot) configuration',
    'spring.application.name=sms-gateway',
    'spring.main.banner-mode=off',
    '',
    '# SmsGateway\'s allowed clients as comma-separated list',
    '# Note: a key pair must be present in the vault for each client as well',
    'sms.gateway.allowed-clients=test, scheduler,\\',
    '    appointments',
    '',
    '# Directory for per client response logs',
    'sms.gateway.client-log.dir=/var/log/${spring.application.name}',
    '',
    '# SmsGateway delays on the test client route (ms)',
    'sms.gateway.route.test-client.normal-delay=2000',
    'sms.gateway.route.test-client.long-delay=16000',
    '',
    '# Every client needs its own key in the vault.',
    'sms.gateway.crypto.keystore=file:config/prod.vault',
    'sms.gateway.crypto.storepass=s3cr\\u00e9t!',
    '',
    '# SmsGateway application settings',
    'sms.gateway.kafka.brokers=kafka1.internal:9092,kafka2.internal:9092',
    '#sms.gateway.kafka.inbound-topic=send-sms',
    'sms.gateway.kafka.outbound-topic = sms-status',
    'sms.gateway.kafka.correl-topic: correl-id',
    'sms.gateway.kafka.client-id=${spring.application.name}',
    'sms.gateway.kafka.group-id=${spring.application.name}',
    '',
    'sms.gateway.backend=SMPP',
    'sms.gateway.smpp.host=smsc.operator.example',
    'sms.gateway.smpp.port=2776',
    'sms.gateway.smpp.username=esme01',
    'sms.gateway.smpp.password=pw!2',
    '',
    'camel.main.run-controller=true',
    'camel.component.smpp.lazy-session-creation=true',
    'camel.component.smpp.reconnect-delay=12000',
    'camel.component.smpp.registered-delivery=1',
    'camel.component.smpp.system-type=smpp',
    '',
    '# LOGGING ---------------------------------------------------------------',
    'logging.level.root=WARN',
    'logging.level.org.apache.camel=WARN',
    'logging.level.org.apache.kafka.clients.consumer.ConsumerConfig=WARN',
    ''
  ].join('\n'))
  assert.deepStrictEqual(await loadConfig({ file, env: {} }), {
    ...defaults,
    kafka: { ...defaults.kafka, brokers: ['kafka1.internal:9092', 'kafka2.internal:9092'] },
    vault: { file: 'config/prod.vault', password: 's3crét!', reloadIntervalMs: 5000 },
    clients: { allowed: ['test', 'scheduler', 'appointments'] },
    clientLog: { dir: '/var/log/sms-gateway' },
    loopback: { normalDelayMs: 2000, longDelayMs: 16000 },
    smpp: { ...defaultConfig.smpp, host: 'smsc.operator.example', port: 2776, systemId: 'esme01', password: 'pw!2', systemType: 'smpp' },
    log: { level: 'warn' }
  })
})

test('loadConfig reads a YAML file', async () => {
  const file = await configFile('gateway.yaml', [
    '# smsgw gateway',
    'kafka:',
    '  brokers: [broker:9092]',
    '  topics:',
    '    sendSms: requests',
    '  createTopics: false',
    'vault:',
    '  file: /etc/smsgw/prod.vault',
    '  passwordFile: /run/secrets/vault',
    'clientLog:',
    '  dir: /var/log/smsgw',
    'smpp:',
    '#  host: commented out, so the section is empty',
    'pipeline:',
    '  openWorkers: 0',
    'log: { level: debug }'
  ].join('\n'))
  assert.deepStrictEqual(await loadConfig({ file, env: {} }), {
    ...defaults,
    kafka: { ...defaults.kafka, brokers: ['broker:9092'], topics: { ...defaults.kafka.topics, sendSms: 'requests' }, createTopics: false },
    vault: { file: '/etc/smsgw/prod.vault', passwordFile: '/run/secrets/vault', reloadIntervalMs: 5000 },
    clientLog: { dir: '/var/log/smsgw' },
    pipeline: { ...defaults.pipeline, openWorkers: 0 },
    log: { level: 'debug' }
  })
})

test('loadConfig reads a JSON file', async () => {
  const file = await configFile('gateway.json', JSON.stringify({
    clients: { allowed: ['test', 'scheduler'] },
    loopback: { normalDelayMs: 0 },
    smpp: { host: '10.0.0.5', systemId: 'esme', password: 'secret' }
  }))
  assert.deepStrictEqual(await loadConfig({ file, env: {} }), {
    ...defaults,
    clients: { allowed: ['test', 'scheduler'] },
    loopback: { normalDelayMs: 0, longDelayMs: 1500 },
    smpp: { ...defaultConfig.smpp, host: '10.0.0.5', port: 2775, systemId: 'esme', password: 'secret', systemType: 'smpp' }
  })
})

test('loadConfig reads an empty YAML file as no settings', async () => {
  const file = await configFile('empty.yml', '# nothing yet\n')
  assert.deepStrictEqual(await loadConfig({ file, env: {} }), defaults)
})

test('loadConfig lets the environment win over the file and the overrides over both', async () => {
  const file = await configFile('layers.yaml', 'pipeline:\n  maxInFlight: 10\n  openWorkers: 1\n  claimTakeoverMs: 5000\n')
  const config = await loadConfig({
    file,
    env: { SMSGW_PIPELINE_MAX_IN_FLIGHT: '20', SMSGW_PIPELINE_OPEN_WORKERS: '3', SMSGW_KAFKA_BROKERS: 'a:1,b:2' },
    overrides: { pipeline: { maxInFlight: 30, shutdownTimeoutMs: undefined }, kafka: { topics: { claims: 'claims' } } }
  })
  assert.deepStrictEqual(config, {
    ...defaults,
    kafka: { ...defaults.kafka, brokers: ['a:1', 'b:2'], topics: { ...defaults.kafka.topics, claims: 'claims' } },
    pipeline: { maxInFlight: 30, openWorkers: 3, claimTakeoverMs: 5000, shutdownTimeoutMs: 10000 }
  })
})

test('loadConfig uses process.env when no env is given', async () => {
  process.env.SMSGW_LOG_LEVEL = 'error'
  try {
    assert.deepStrictEqual((await loadConfig()).log, { level: 'error' })
  } finally {
    delete process.env.SMSGW_LOG_LEVEL
  }
})

test('loadConfig reports every problem at once, each with its path and source', async () => {
  const file = await configFile('broken.yaml', [
    'kafka:',
    '  brokerz: [broker:9092]',
    '  partitions: "3"',
    '  topics:',
    '    sendSms: bad topic',
    'maxInFlight: 5',
    'vault:',
    '  password: 123456',
    'log:',
    '  level: loud'
  ].join('\n'))
  const problems = await problemsOf(loadConfig({
    file,
    env: {
      SMSGW_SMPP_PORT: '70000',
      SMSGW_PIPELINE_OPEN_WORKERS: 'two',
      SMSGW_VAULT_PASSWORD_FILE: '/run/secrets/vault',
      SMSGW_VAULT_RELOAD_INTERVAL_MS: '0'
    },
    overrides: { kafka: { brokers: ['no-port'] }, clients: { allowed: [] } }
  }))
  assert.deepStrictEqual(problems, [
    'invalid configuration (12 problems):',
    `  kafka.brokerz: unknown key; did you mean kafka.brokers? (from ${file}:2)`,
    `  maxInFlight: unknown key; did you mean pipeline.maxInFlight? (from ${file}:6)`,
    '  kafka.brokers[0]: must be host:port, got "no-port" (from overrides)',
    '  kafka.topics.sendSms: must be a Kafka topic name (letters, digits, ".", "_", "-"; at most 249), ' +
      `got "bad topic" (from ${file}:5)`,
    `  kafka.partitions: must be an integer, got "3" (from ${file}:3)`,
    `  vault.password: must be a string (put it in quotes) (from ${file}:8)`,
    '  vault.reloadIntervalMs: must be >= 100, got 0 (from environment variable SMSGW_VAULT_RELOAD_INTERVAL_MS)',
    '  clients.allowed: must not be empty, got [] (from overrides)',
    '  smpp.port: must be <= 65535, got 70000 (from environment variable SMSGW_SMPP_PORT)',
    '  pipeline.openWorkers: must be an integer, got "two" (from environment variable SMSGW_PIPELINE_OPEN_WORKERS)',
    `  log.level: must be one of trace, debug, info, warn, error, silent, got "loud" (from ${file}:10)`,
    '  vault.password: excludes vault.passwordFile; give only one of them ' +
      `(vault.password from ${file}:8, vault.passwordFile from environment variable SMSGW_VAULT_PASSWORD_FILE)`
  ])
})

test('loadConfig reports every bad setting however many there are', async () => {
  const env = Object.fromEntries([
    'KAFKA_PARTITIONS', 'KAFKA_REPLICATION_FACTOR', 'VAULT_RELOAD_INTERVAL_MS', 'LOOPBACK_NORMAL_DELAY_MS',
    'LOOPBACK_LONG_DELAY_MS', 'SMPP_PORT', 'PIPELINE_MAX_IN_FLIGHT', 'PIPELINE_OPEN_WORKERS', 'PIPELINE_CLAIM_TAKEOVER_MS',
    'PIPELINE_SHUTDOWN_TIMEOUT_MS', 'KAFKA_CREATE_TOPICS'
  ].map(name => [`SMSGW_${name}`, '-1.5']))
  const problems = await problemsOf(loadConfig({ env }))
  assert.deepStrictEqual(problems.length, 1 + Object.keys(env).length)
})

test('loadConfig reports a section that is not a mapping', async () => {
  const file = await configFile('flat.json', JSON.stringify({ kafka: 'localhost:9092', log: { level: 'info' } }))
  assert.deepStrictEqual(await problemsOf(loadConfig({ file, env: {} })), [
    'invalid configuration (1 problem):',
    `  kafka: must be a mapping of settings, got "localhost:9092" (from ${file})`
  ])
})

test('loadConfig reports a removed Java key naming its replacement, with the other problems of the file', async () => {
  const file = await configFile('old.properties', [
    'sms.gateway.kafka.broker=localhost:9092',
    'sms.gateway.vodacom.wasp.username=user',
    'sms.gateway.smpp.port=twenty',
    'sms.gateway.kafka.brokers=@SET_ME@'
  ].join('\n'))
  assert.deepStrictEqual(await problemsOf(loadConfig({ file, env: {} })), [
    'invalid configuration (4 problems):',
    `  sms.gateway.kafka.broker: replaced by sms.gateway.kafka.brokers (kafka.brokers) (from ${file}:1)`,
    '  sms.gateway.vodacom.wasp.username: the Vodacom WASP backend is not supported; configure the SMSC with ' +
      `sms.gateway.smpp.host, port, username and password (from ${file}:2)`,
    `  kafka.brokers[0]: must be host:port, got "@SET_ME@" (from ${file}:4 sms.gateway.kafka.brokers)`,
    `  smpp.port: must be an integer, got "twenty" (from ${file}:3 sms.gateway.smpp.port)`
  ])
})

test('loadConfig names both password options when both are given, wherever they come from', async () => {
  const problems = await problemsOf(loadConfig({
    env: { SMSGW_VAULT_PASSWORD: 'secret' },
    overrides: { vault: { passwordFile: '/run/secrets/vault' } }
  }))
  assert.deepStrictEqual(problems, [
    'invalid configuration (1 problem):',
    '  vault.password: excludes vault.passwordFile; give only one of them ' +
      '(vault.password from environment variable SMSGW_VAULT_PASSWORD, vault.passwordFile from overrides)'
  ])
})

test('loadConfig reports two roles given the same topic', async () => {
  const problems = await problemsOf(loadConfig({ env: { SMSGW_KAFKA_TOPICS_SMS_STATUS: 'send-sms' } }))
  assert.deepStrictEqual(problems, [
    'invalid configuration (1 problem):',
    '  kafka.topics.smsStatus: must differ from kafka.topics.sendSms (from defaults), both are "send-sms" ' +
      '(from environment variable SMSGW_KAFKA_TOPICS_SMS_STATUS)'
  ])
})

test('loadConfig refuses an allowed client-id that no request can carry', async () => {
  const problems = await problemsOf(loadConfig({ env: {}, overrides: { clients: { allowed: ['test', 'k'.repeat(65), 'a\tb'] } } }))
  assert.deepStrictEqual(problems, [
    'invalid configuration (2 problems):',
    '  clients.allowed.1: is longer than 64 bytes in UTF-8: a client-id must fit a request (docs/http-api.md, "Limits") (from overrides)',
    '  clients.allowed.2: holds a control character (U+0000-U+001F or U+007F-U+009F): a client-id must fit a request (docs/http-api.md, "Limits") (from overrides)'
  ])
})

test('loadConfig never shows a secret value in a problem', async () => {
  const problems = await problemsOf(loadConfig({ env: {}, overrides: { smpp: { password: '' }, vault: { password: '' } } }))
  assert.deepStrictEqual(problems, [
    'invalid configuration (2 problems):',
    '  vault.password: must not be empty (from overrides)',
    '  smpp.password: must not be empty (from overrides)'
  ])
})

test('loadConfig rejects with one SmsgwError whose cause holds one error per problem', async () => {
  const error = await loadConfig({ env: { SMSGW_SMPP_PORT: '0', SMSGW_LOG_LEVEL: 'chatty' } }).then(() => assert.fail('the configuration loaded'), (error: unknown) => error)
  assert.ok(isSmsgwError(error, 'SMSGW_CONFIG'))
  assert.ok(error.cause instanceof AggregateError)
  assert.deepStrictEqual(error.cause.errors.map((inner: unknown) => isSmsgwError(inner) ? [inner.code, inner.message] : inner), [
    ['SMSGW_CONFIG', 'smpp.port: must be >= 1, got 0 (from environment variable SMSGW_SMPP_PORT)'],
    ['SMSGW_CONFIG', 'log.level: must be one of trace, debug, info, warn, error, silent, got "chatty" (from environment variable SMSGW_LOG_LEVEL)']
  ])
})

test('loadConfig reports a file it cannot use, and the problems of the other sources with it', async () => {
  const missing = join(directory, 'missing.yaml')
  const cases = [
    missing,
    await configFile('gateway.toml', 'a = 1'),
    await configFile('bad.yaml', 'kafka:\n  brokers: [a\n'),
    await configFile('bad.json', '{"kafka": '),
    await configFile('list.yaml', '- kafka\n'),
    await configFile('duplicate.yml', 'log:\n  level: warn\nlog:\n  level: info\n')
  ]
  const problems = await Promise.all(cases.map(file => problemsOf(loadConfig({ file, env: { SMSGW_LOG_LEVEL: 'x' } }))))
  const level = '  log.level: must be one of trace, debug, info, warn, error, silent, got "x" (from environment variable SMSGW_LOG_LEVEL)'
  assert.deepStrictEqual(problems, [
    ['invalid configuration (2 problems):', `  ${missing}: cannot read the file (ENOENT)`, level],
    [
      'invalid configuration (2 problems):',
      `  ${cases[1] ?? ''}: unknown kind of configuration file; name it .yaml, .yml, .json, .properties`,
      level
    ],
    [
      'invalid configuration (2 problems):',
      `  ${cases[2] ?? ''}:3:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      level
    ],
    [
      'invalid configuration (2 problems):',
      `  ${cases[3] ?? ''}: not valid JSON: ${jsonError('{"kafka": ')}`,
      level
    ],
    ['invalid configuration (2 problems):', `  ${cases[4] ?? ''}: must hold a mapping of settings at the top`, level],
    ['invalid configuration (2 problems):', `  ${cases[5] ?? ''}:3:1: not valid YAML: Map keys must be unique`, level]
  ])
})

function jsonError (text: string): string {
  try {
    JSON.parse(text)
  } catch (error) {
    return (error as Error).message
  }
  return ''
}

test('loadConfig returns a deeply frozen object', async () => {
  const config = await loadConfig({ env: {} })
  const frozen = [config, config.kafka, config.kafka.brokers, config.kafka.topics, config.vault, config.clients.allowed,
    config.clientLog, config.loopback, config.smpp, config.pipeline, config.log]
  assert.deepStrictEqual(frozen.map(object => Object.isFrozen(object)), frozen.map(() => true))
  assert.throws(() => { (config.kafka.brokers as string[]).push('other:9092') }, TypeError)
})

test('loadConfig leaves its inputs alone and shares no object with them', async () => {
  const brokers = ['a:9092']
  const overrides = { kafka: { brokers }, smpp: { host: 'smsc' } }
  const env = { SMSGW_CLIENTS_ALLOWED: 'test,other' }
  const config = await loadConfig({ env, overrides })
  assert.deepStrictEqual(
    [overrides, env, Object.isFrozen(overrides), Object.isFrozen(brokers), config.kafka.brokers === brokers],
    [{ kafka: { brokers: ['a:9092'] }, smpp: { host: 'smsc' } }, { SMSGW_CLIENTS_ALLOWED: 'test,other' }, false, false, false]
  )
  assert.notEqual(await loadConfig({ env: {} }), await loadConfig({ env: {} }))
})

test('defaultConfig is deeply frozen', () => {
  assert.deepStrictEqual(
    [defaultConfig, defaultConfig.kafka.brokers, defaultConfig.kafka.topics, defaultConfig.clients.allowed].map(Object.isFrozen),
    [true, true, true, true]
  )
})

test('loadConfig reads extra SMSC connections from a YAML file and checks their names and patterns', async () => {
  const file = join(directory, 'smsc.yaml')
  await writeFile(file, [
    'smpp:',
    '  host: smsc-a.example',
    '  prefixes: ["+255"]',
    '  connections:',
    '    - { name: backup, host: smsc-b.example, windowSize: 50 }'
  ].join('\n'))
  const config = await loadConfig({ env: {}, file })
  assert.deepStrictEqual([config.smpp.host, config.smpp.prefixes, config.smpp.connections], ['smsc-a.example', ['+255'], [{ name: 'backup', host: 'smsc-b.example', windowSize: 50 }]])

  await writeFile(file, ['smpp:', '  numberPattern: "^(+"', '  connections:', '    - { name: smsc, port: 2776 }'].join('\n'))
  const problems = await problemsOf(loadConfig({ env: {}, file }))
  assert.deepStrictEqual(problems.map(line => line.replace(/ \(from .*\)$/, '').replace(/: Invalid regular expression.*$/, '')), [
    'invalid configuration (2 problems):',
    '  smpp.connections.0.name: must differ from the other connections\' names, got "smsc"',
    '  smpp.numberPattern: is not a regular expression'
  ])
})

test('loadConfigWithWarnings gives the configuration loadConfig gives and the keys of the file smsgw does not follow', async () => {
  const file = await configFile('warned.properties', [
    'sms.gateway.allowed-clients=test',
    'camel.component.smpp.reconnect-delay=12000',
    'logging.level.org.apache.camel=WARN',
    ''
  ].join('\n'))
  const loaded = await loadConfigWithWarnings({ file, env: {} })
  assert.deepStrictEqual(loaded.config, await loadConfig({ file, env: {} }))
  assert.deepStrictEqual(loaded.warnings.map(warning => `${warning.path} (${warning.source ?? ''})`), [
    `camel.component.smpp.reconnect-delay (${file}:2)`,
    `logging.level.org.apache.camel (${file}:3)`
  ])
  assert.deepStrictEqual((await loadConfigWithWarnings({ env: {} })).warnings, [])
})

test('loadConfig reads the owners of inbound SMS from a file and refuses an owner without prefixes or a prefix too long', async () => {
  const file = join(directory, 'inbound.yaml')
  await writeFile(file, ['inbound:', '  owners:', '    - { client: acme, prefixes: ["+4940", "40404"] }', '    - { client: ops, prefixes: [""] }', '  duplicateWindowMs: 60000'].join('\n'))
  const config = await loadConfig({ env: {}, file })
  assert.deepStrictEqual(config.inbound, { owners: [{ client: 'acme', prefixes: ['+4940', '40404'] }, { client: 'ops', prefixes: [''] }], duplicateWindowMs: 60000 })

  await writeFile(file, ['inbound:', '  owners:', '    - { client: acme, prefixes: [] }', `    - { client: ops, prefixes: ["${'1'.repeat(33)}"] }`].join('\n'))
  const problems = await problemsOf(loadConfig({ env: {}, file }))
  assert.deepStrictEqual(problems.map(line => line.replace(/ \(from .*\)$/, '')), [
    'invalid configuration (2 problems):',
    '  inbound.owners[0].prefixes: must not be empty, got []',
    `  inbound.owners[1].prefixes[0]: must not have more than 32 characters, got "${'1'.repeat(33)}"`
  ])
})

test('loadConfig reads webhooks.allowedDestinations and refuses an entry that is no network, address or host name (issue 9, item 2)', async () => {
  const config = await loadConfig({ env: { SMSGW_WEBHOOKS_ALLOWED_DESTINATIONS: '10.8.0.0/16, ::1, hooks.corp.internal', SMSGW_HTTP_PROTECT_METRICS: 'true' } })
  assert.deepStrictEqual([config.webhooks.allowedDestinations, config.http.protectMetrics], [['10.8.0.0/16', '::1', 'hooks.corp.internal'], true])
  const problems = await problemsOf(loadConfig({ env: { SMSGW_WEBHOOKS_ALLOWED_DESTINATIONS: '10.8.0.0/16,http://hooks/' } }))
  assert.deepStrictEqual(problems.length, 2)
  assert.deepStrictEqual(problems[1], '  webhooks.allowedDestinations[1]: must be a network (10.0.0.0/8, fd00::/8), an IP address or a host name, ' +
    'got "http://hooks/" (from environment variable SMSGW_WEBHOOKS_ALLOWED_DESTINATIONS)')
})
