import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { startEmbeddedApp } from '../../src/app/embedded-app.ts'
import { DEVELOPMENT_OTP_MESSAGE } from '../../src/relay/grpc/development-otp-sender.ts'
import { createLogger } from '../../src/log/logger.ts'
import { keyFields, newAppKeys } from '../relay/grpc/app-client.ts'
import { entityClient } from '../relay/grpc/entity-harness.ts'
import { temporaryFolder } from './app-fixtures.ts'

// `smsgw run` with relay.grpcPort: the relay vault's gRPC server starts beside the gateway over
// its store, and stops with it (docs/relay.md, "Pointing the RelaySMS app at the vault").

const silent = createLogger({ level: 'silent' })

async function relayConfig (folder: string, withPepper: boolean): Promise<string> {
  const identifierKeyFile = join(folder, 'identifier.key')
  const pepperFile = join(folder, 'pepper')
  await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
  if (withPepper) await writeFile(pepperFile, `${randomBytes(32).toString('base64')}\n`)
  const config = join(folder, 'smsgw.yaml')
  await writeFile(config, [
    'relay:',
    `  sealingKey: "k1 ${randomBytes(32).toString('base64')}"`,
    `  identifierKeyFile: ${identifierKeyFile}`,
    `  pepperFile: ${pepperFile}`,
    '  grpcPort: 0',
    '  environment: development',
    '  otpDevelopmentCode: "246810"',
    '  otpDevelopmentIdentifiers: ["+237650000001"]',
    ''
  ].join('\n'))
  return config
}

test('smsgw run with relay.grpcPort serves vault.v1.Entity over the run\'s store until it closes', async () => {
  const folder = await temporaryFolder('embedded-relay')
  const app = await startEmbeddedApp({ dataDir: join(folder, 'data'), configFile: await relayConfig(folder, true), httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log: silent, env: {} })
  assert.ok(app.relayGrpcPort !== undefined && app.relayGrpcPort > 0)
  const client = entityClient(app.relayGrpcPort)
  const first = await client.call('CreateEntity', { country_code: 'CM', phone_number: '+237650000001', password: 'Str0ng!pass', ...keyFields(newAppKeys()) })
  assert.equal(first.message, DEVELOPMENT_OTP_MESSAGE)
  client.close()
  await app.close()
  const after = entityClient(app.relayGrpcPort)
  await assert.rejects(after.call('ListEntityStoredTokens', {}), (error: { code: number }) => error.code === status.UNAVAILABLE, 'nothing listens after close')
  after.close()
})

test('smsgw run with relay.grpcPort but no pepper file refuses to start, naming the setting', async () => {
  const folder = await temporaryFolder('embedded-relay')
  await assert.rejects(
    startEmbeddedApp({ dataDir: join(folder, 'data'), configFile: await relayConfig(folder, false), httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log: silent, env: {} }),
    { code: 'SMSGW_RELAY_KEY_FILE', message: /relay\.pepperFile/ }
  )
})
