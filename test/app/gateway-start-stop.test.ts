// `smsgw gateway --http-port` with its port taken (issue 9, item 12): exit 1 with one line naming
// the address and the option, having stopped the gateway it had started, so the process ends.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { kafkaBrokers, uniqueTopicName } from '../harness/kafka.ts'
import { temporaryFolder } from './app-fixtures.ts'
import { childEnv, SMSGW } from './run-child.ts'

const execFileAsync = promisify(execFile)

/** `smsgw gateway ARGS` on the test broker, with a group and topics of its own, expected to fail. */
async function failedGateway (args: readonly string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null, killed: boolean, stderrLines: string[] }> {
  const env = childEnv({
    SMSGW_KAFKA_GROUP_ID: uniqueTopicName('gateway-port-group'),
    SMSGW_KAFKA_TOPICS_SEND_SMS: uniqueTopicName('gateway-port-send'),
    SMSGW_KAFKA_TOPICS_SMS_STATUS: uniqueTopicName('gateway-port-status'),
    SMSGW_KAFKA_TOPICS_CORREL_ID: uniqueTopicName('gateway-port-correl'),
    SMSGW_KAFKA_TOPICS_CLAIMS: uniqueTopicName('gateway-port-claims'),
    SMSGW_KAFKA_TOPICS_INBOUND: uniqueTopicName('gateway-port-inbound'),
    ...extraEnv
  })
  const failed = await execFileAsync(SMSGW, ['gateway', '--brokers', kafkaBrokers(), ...args], { env, timeout: 30_000 })
    .then(() => assert.fail('smsgw gateway started'), (error: { code: number | null, killed: boolean, stderr: string }) => error)
  return { code: failed.code, killed: failed.killed, stderrLines: failed.stderr.split('\n').filter(line => line.startsWith('smsgw: ')) }
}

test('smsgw gateway exits 1 naming the address and --http-port when its HTTP port is taken', { timeout: 60_000 }, async t => {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => { server.close() })
  const { port } = server.address() as { port: number }
  const apiKeys = join(await temporaryFolder('gateway-port'), 'api-keys.json')

  assert.deepStrictEqual(await failedGateway(['--http-port', String(port), '--api-keys', apiKeys]), {
    code: 1,
    killed: false,
    stderrLines: [`smsgw: cannot listen on 127.0.0.1:${port}: the port is in use by another program; choose another with --http-port`]
  })
})

test('smsgw gateway exits 1 when its API key file cannot be read, stopping the gateway it had started', { timeout: 60_000 }, async () => {
  const failed = await failedGateway(['--http-port', '0', '--api-keys', '/dev/null/api-keys.json'])
  assert.deepStrictEqual({ code: failed.code, killed: failed.killed, lines: failed.stderrLines.length }, { code: 1, killed: false, lines: 1 })
  assert.match(failed.stderrLines[0] ?? '', /\/dev\/null\/api-keys\.json/)
})

test('smsgw gateway with relay.grpcPort opens the relay\'s store smsgw.db in --data, and exits 1 naming a missing relay key file, having stopped the gateway', { timeout: 60_000 }, async () => {
  const folder = await temporaryFolder('gateway-relay')
  const identifierKeyFile = join(folder, 'identifier.key')
  await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
  const dataDir = join(folder, 'data')
  const failed = await failedGateway(['--data', dataDir], {
    SMSGW_RELAY_GRPC_PORT: '0',
    SMSGW_RELAY_SEALING_KEY: `k1 ${randomBytes(32).toString('base64')}`,
    SMSGW_RELAY_IDENTIFIER_KEY_FILE: identifierKeyFile,
    SMSGW_RELAY_PEPPER_FILE: join(folder, 'missing-pepper')
  })
  assert.deepStrictEqual({ code: failed.code, killed: failed.killed, lines: failed.stderrLines.length }, { code: 1, killed: false, lines: 1 })
  assert.match(failed.stderrLines[0] ?? '', /relay\.pepperFile/)
  assert.ok(existsSync(join(dataDir, 'smsgw.db')), 'the relay\'s store is in --data')
})
