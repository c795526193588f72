import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { IGNORED_JAVA_PROPERTIES, IGNORED_JAVA_PROPERTY_LINES } from '../config/ignored-java-properties.ts'
import { isolatedKafkaConfig } from '../harness/gateway-fixture.ts'
import { configEnv, GatewayProcess } from '../harness/gateway-process.ts'
import { temporaryFolder } from '../harness/temporary-folder.ts'

// Issue 9, item 14: the Java gateway's properties that changed its behaviour and that smsgw does
// not follow are named at start, in the application log, by `smsgw gateway` and `smsgw run`.

const START_TIMEOUT_MS = 30_000
const folder = await temporaryFolder('config-warnings')

const propertiesFile = join(folder, 'application-prod.properties')
await writeFile(propertiesFile, [
  'sms.gateway.allowed-clients=test',
  'sms.gateway.crypto.keystore=classpath:builtin.vault',
  'sms.gateway.crypto.storepass=123456',
  ...IGNORED_JAVA_PROPERTY_LINES,
  'logging.level.root=INFO',
  ''
].join('\n'))

/** The warn records about the configuration, as key, source and whether the message names the key. */
function configurationWarnings (child: GatewayProcess): unknown[] {
  return child.records
    .filter(record => record.level === 'warn' && String(record.msg).startsWith('configuration: '))
    .map(record => ({ key: record.key, source: record.source, named: String(record.msg).startsWith(`configuration: ${String(record.key)}: ignored: `) }))
}

// They follow the three lines above.
const expected = IGNORED_JAVA_PROPERTIES.map((key, index) => ({ key, source: `${propertiesFile}:${index + 4}`, named: true }))

test('smsgw gateway warns at start of each Java property it does not follow, with its line', { timeout: 60_000 }, async t => {
  const { kafka } = await isolatedKafkaConfig()
  const child = new GatewayProcess(configEnv({ kafka }), ['--config', propertiesFile])
  t.after(async () => { await child.stop() })
  await child.waitForLog('gateway started', START_TIMEOUT_MS)
  assert.deepStrictEqual(configurationWarnings(child), expected)
})

test('smsgw run --config warns at start of each Java property it does not follow, with its line', { timeout: 60_000 }, async t => {
  const child = new GatewayProcess({}, ['--config', propertiesFile, '--data', join(folder, 'data'), '--port', '0', '--smsc-port', '0'], 'run')
  t.after(async () => { await child.stop() })
  await child.waitForLog('embedded gateway started', START_TIMEOUT_MS)
  assert.deepStrictEqual(configurationWarnings(child), expected)
})
