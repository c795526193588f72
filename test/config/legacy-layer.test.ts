/* eslint-disable no-template-curly-in-string -- Spring ${…} placeholders in .properties text are what these tests are about */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BUILTIN_VAULT_FILE } from '../../src/config/defaults.ts'
import { readLegacyProperties } from '../../src/config/legacy-layer.ts'
import { IGNORED_JAVA_PROPERTY_LINES } from './ignored-java-properties.ts'

const FILE = '/etc/sms-gateway/application-prod.properties'

function read (text: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof readLegacyProperties> {
  return readLegacyProperties(text, FILE, env)
}

/** The values one line sets, with no problems expected. */
function valuesOf (line: string): unknown {
  const layer = read(line)
  assert.deepStrictEqual(layer.issues, [])
  return layer.values
}

test('readLegacyProperties maps each key of the Java gateway to its setting', () => {
  const cases: [string, unknown][] = [
    ['sms.gateway.kafka.brokers=k1:9092, k2:9092', { kafka: { brokers: ['k1:9092', 'k2:9092'] } }],
    ['sms.gateway.kafka.inbound-topic=requests', { kafka: { topics: { sendSms: 'requests' } } }],
    ['sms.gateway.kafka.outbound-topic=statuses', { kafka: { topics: { smsStatus: 'statuses' } } }],
    ['sms.gateway.kafka.correl-topic=correlations', { kafka: { topics: { correlId: 'correlations' } } }],
    ['sms.gateway.kafka.group-id=group', { kafka: { groupId: 'group' } }],
    ['sms.gateway.kafka.client-id=client', { kafka: { clientId: 'client' } }],
    ['sms.gateway.allowed-clients=test, scheduler ,portal', { clients: { allowed: ['test', 'scheduler', 'portal'] } }],
    ['sms.gateway.crypto.keystore=config/prod.vault', { vault: { file: 'config/prod.vault' } }],
    ['sms.gateway.crypto.storepass=store-secret', { vault: { password: 'store-secret' } }],
    ['sms.gateway.crypto.keypass=key-secret', { vault: { password: 'key-secret' } }],
    ['sms.gateway.client-log.dir=/var/log/sms', { clientLog: { dir: '/var/log/sms' } }],
    ['sms.gateway.route.test-client.normal-delay=2000', { loopback: { normalDelayMs: 2000 } }],
    ['sms.gateway.route.test-client.long-delay=16000', { loopback: { longDelayMs: 16000 } }],
    ['sms.gateway.smpp.host=smsc.example.net', { smpp: { host: 'smsc.example.net' } }],
    ['sms.gateway.smpp.port=2776', { smpp: { port: 2776 } }],
    ['sms.gateway.smpp.username=esme', { smpp: { systemId: 'esme' } }],
    ['sms.gateway.smpp.password=smpp-secret', { smpp: { password: 'smpp-secret' } }],
    ['sms.gateway.backend=SMPP', {}],
    ['camel.component.smpp.system-type=vma', { smpp: { systemType: 'vma' } }],
    ['logging.level.root=WARN', { log: { level: 'warn' } }],
    ['spring.application.name=sms-gateway-dev', { kafka: { groupId: 'sms-gateway-dev', clientId: 'sms-gateway-dev' } }]
  ]
  assert.deepStrictEqual(cases.map(([line]) => valuesOf(line)), cases.map(([, values]) => values))
})

test('readLegacyProperties records the file, line and key each setting came from', () => {
  const layer = read('# comment\nsms.gateway.smpp.port=2776\n\nsms.gateway.smpp.host=smsc')
  assert.deepStrictEqual(layer.sources, new Map([
    ['smpp.port', `${FILE}:2 sms.gateway.smpp.port`],
    ['smpp.host', `${FILE}:4 sms.gateway.smpp.host`]
  ]))
})

test('readLegacyProperties maps the keystore locations Spring understood', () => {
  const cases = ['classpath:builtin.vault', 'classpath:/builtin.vault', 'file:/etc/prod.vault', 'file:config/prod.vault',
    'file:///etc/prod%20keys.vault', '/etc/prod.vault']
  assert.deepStrictEqual(cases.map(location => valuesOf(`sms.gateway.crypto.keystore=${location}`)), [
    { vault: { file: BUILTIN_VAULT_FILE } },
    { vault: { file: BUILTIN_VAULT_FILE } },
    { vault: { file: '/etc/prod.vault' } },
    { vault: { file: 'config/prod.vault' } },
    { vault: { file: '/etc/prod keys.vault' } },
    { vault: { file: '/etc/prod.vault' } }
  ])
})

test('readLegacyProperties maps every logback level of logging.level.root, in any case', () => {
  const levels = ['TRACE', 'debug', 'Info', 'WARN', 'ERROR', 'FATAL', 'OFF']
  assert.deepStrictEqual(levels.map(level => valuesOf(`logging.level.root=${level}`)), [
    { log: { level: 'trace' } },
    { log: { level: 'debug' } },
    { log: { level: 'info' } },
    { log: { level: 'warn' } },
    { log: { level: 'error' } },
    { log: { level: 'error' } },
    { log: { level: 'silent' } }
  ])
})

test('readLegacyProperties takes storepass and keypass together when they agree', () => {
  assert.deepStrictEqual(valuesOf('sms.gateway.crypto.storepass=same\nsms.gateway.crypto.keypass=same'), { vault: { password: 'same' } })
})

test('readLegacyProperties lets explicit Kafka ids win over spring.application.name', () => {
  const text = 'spring.application.name=renamed\nsms.gateway.kafka.group-id=${spring.application.name}-group\nsms.gateway.kafka.client-id=client'
  assert.deepStrictEqual(valuesOf(text), { kafka: { groupId: 'renamed-group', clientId: 'client' } })
})

test('readLegacyProperties resolves placeholders from the file, then the environment', () => {
  const layer = read('sms.gateway.client-log.dir=/var/log/${spring.application.name}\nsms.gateway.crypto.storepass=${VAULT_PASS}', {
    VAULT_PASS: 'from-env'
  })
  assert.deepStrictEqual(layer.values, { clientLog: { dir: '/var/log/sms-gateway' }, vault: { password: 'from-env' } })
})

test('readLegacyProperties ignores Spring, Camel, logging, server and management keys', () => {
  const text = [
    'spring.profiles.active=prod',
    'camel.main.run-controller=true',
    'camel.component.smpp.lazy-session-creation=true',
    'server.port=8080',
    'management.endpoints.web.exposure.include=health',
    'debug=true',
    'my.own.variable=${undefined.placeholder}'
  ].join('\n')
  assert.deepStrictEqual(read(text), { values: {}, sources: new Map(), issues: [], warnings: [] })
})

// Issue 9, item 14: these changed what the Java gateway did, and were ignored without a word.
test('readLegacyProperties warns of each key that changed the Java gateway\'s behaviour, naming what smsgw does instead', () => {
  const layer = read([...IGNORED_JAVA_PROPERTY_LINES, 'logging.level.root=WARN'].join('\n'))
  assert.deepStrictEqual({ values: layer.values, issues: layer.issues }, { values: { log: { level: 'warn' } }, issues: [] })
  assert.deepStrictEqual(layer.warnings.map(warning => [warning.path, warning.source]), [
    ['camel.component.smpp.registered-delivery', `${FILE}:1`],
    ['camel.component.smpp.data-coding', `${FILE}:2`],
    ['camel.component.smpp.splitting-policy', `${FILE}:3`],
    ['camel.component.smpp.reconnect-delay', `${FILE}:4`],
    ['camel.component.kafka.auto-offset-reset', `${FILE}:5`],
    ['logging.level.org.apache.camel', `${FILE}:6`]
  ])
  const instead = layer.warnings.map(warning => warning.problem)
  assert.ok(instead.every(problem => problem.startsWith('ignored: ')), instead.join('\n'))
  // Each names the setting (or the fixed behaviour) that takes the key's place.
  assert.deepStrictEqual([
    /registered_delivery 1\) on the last part/, /smpp\.dataCoding \(SMSGW_SMPP_DATA_CODING\)/, /smpp\.maxParts \(SMSGW_SMPP_MAX_PARTS, 6 by default\).*never truncated/,
    /smpp\.reconnectDelayMs \(SMSGW_SMPP_RECONNECT_DELAY_MS, 1000 ms by default\)/, /new group starts at the earliest offset/, /one log level, log\.level \(SMSGW_LOG_LEVEL\)/
  ].map((pattern, index) => pattern.test(instead[index] ?? '')), [true, true, true, true, true, true])
})

test('readLegacyProperties warns of those keys in every spelling Spring and Camel 2 accept', () => {
  const layer = read([
    'camel.component.smpp.registeredDelivery=1',
    'camel.component.smpp.configuration.data-coding=8',
    'camel.component.smpp.configuration.splittingPolicy=REJECT',
    'camel.component.smpp.reconnect_delay=5000',
    'camel.component.kafka.configuration.auto-offset-reset=earliest',
    'camel.component.smpp.registered-delivery-extra=1'
  ].join('\n'))
  assert.deepStrictEqual(layer.warnings.map(warning => warning.path), [
    'camel.component.smpp.registeredDelivery',
    'camel.component.smpp.configuration.data-coding',
    'camel.component.smpp.configuration.splittingPolicy',
    'camel.component.smpp.reconnect_delay',
    'camel.component.kafka.configuration.auto-offset-reset'
  ])
})

test('readLegacyProperties reports keys that were dropped, naming what replaces them', () => {
  const text = [
    'sms.gateway.vodacom.wasp.username=user',
    'sms.gateway.vodacom.wasp.url.1=https://wasp.example.net',
    'sms.gateway.kafka.broker=localhost:9092',
    'sms.gateway.kafka.inbound-uri=kafka:send-sms?brokers=localhost:9092',
    'sms.gateway.kafka.outbound-uri=kafka:sms-status?brokers=localhost:9092',
    'sms.gateway.backend=WASP'
  ].join('\n')
  const wasp = 'the Vodacom WASP backend is not supported; configure the SMSC with sms.gateway.smpp.host, port, username and password'
  assert.deepStrictEqual(read(text).issues, [
    { path: 'sms.gateway.vodacom.wasp.username', problem: wasp, source: `${FILE}:1` },
    { path: 'sms.gateway.vodacom.wasp.url.1', problem: wasp, source: `${FILE}:2` },
    { path: 'sms.gateway.kafka.broker', problem: 'replaced by sms.gateway.kafka.brokers (kafka.brokers)', source: `${FILE}:3` },
    {
      path: 'sms.gateway.kafka.inbound-uri',
      problem: 'Camel endpoint URIs are not supported; set sms.gateway.kafka.brokers and sms.gateway.kafka.inbound-topic ' +
        '(kafka.brokers, kafka.topics.sendSms)',
      source: `${FILE}:4`
    },
    {
      path: 'sms.gateway.kafka.outbound-uri',
      problem: 'Camel endpoint URIs are not supported; set sms.gateway.kafka.brokers and sms.gateway.kafka.outbound-topic ' +
        '(kafka.brokers, kafka.topics.smsStatus)',
      source: `${FILE}:5`
    },
    {
      path: 'sms.gateway.backend',
      problem: 'the Vodacom WASP backend is not supported; use SMPP (sms.gateway.smpp.*)',
      source: `${FILE}:6`
    }
  ])
})

test('readLegacyProperties reports unknown sms.gateway keys and near misses, with a suggestion', () => {
  const text = 'sms.gateway.clients-log.dir=/tmp\nsms.gateway.something-else=1\nsms.gatway.smpp.host=smsc'
  assert.deepStrictEqual(read(text).issues, [
    { path: 'sms.gateway.clients-log.dir', problem: 'unknown key; did you mean sms.gateway.client-log.dir?', source: `${FILE}:1` },
    { path: 'sms.gateway.something-else', problem: 'unknown key', source: `${FILE}:2` },
    { path: 'sms.gatway.smpp.host', problem: 'unknown key; did you mean sms.gateway.smpp.host?', source: `${FILE}:3` }
  ])
})

test('readLegacyProperties reports values it cannot take, without echoing passwords', () => {
  const text = [
    'sms.gateway.crypto.storepass=one',
    'sms.gateway.crypto.keypass=two',
    'sms.gateway.crypto.keystore=classpath:other.vault',
    'logging.level.root=LOUD',
    'sms.gateway.backend=HTTP',
    'sms.gateway.client-log.dir=${nowhere}',
    'sms.gateway.smpp.host=\\u00zz'
  ].join('\n')
  assert.deepStrictEqual(read(text).issues, [
    { path: `${FILE}:7`, problem: 'malformed \\uXXXX escape' },
    {
      path: 'sms.gateway.crypto.keypass',
      problem: 'gives vault.password another value than sms.gateway.crypto.storepass (line 1) does',
      source: `${FILE}:2`
    },
    {
      path: 'sms.gateway.crypto.keystore',
      problem: 'only classpath:builtin.vault exists outside the Java jar; give the vault\'s file path',
      source: `${FILE}:3`
    },
    {
      path: 'logging.level.root',
      problem: 'must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF, got "LOUD"',
      source: `${FILE}:4`
    },
    { path: 'sms.gateway.backend', problem: 'must be SMPP, got "HTTP"', source: `${FILE}:5` },
    { path: 'sms.gateway.client-log.dir', problem: 'cannot resolve placeholder ${nowhere}', source: `${FILE}:6` }
  ])
})

test('readLegacyProperties lets the later of two equal keys win, as Java does', () => {
  assert.deepStrictEqual(valuesOf('sms.gateway.smpp.port=1\nsms.gateway.smpp.port=2'), { smpp: { port: 2 } })
})
