import assert from 'node:assert/strict'
import { access, copyFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { startEmbeddedApp } from '../../src/app/embedded-app.ts'
import { BUILTIN_VAULT_FILE } from '../../src/config/index.ts'
import { createLogger } from '../../src/log/logger.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { temporaryFolder } from './app-fixtures.ts'

// `smsgw run --config`: an operator's vault and its password (docs/deployment.md).

const silent = createLogger({ level: 'silent' })

async function start (dataDir: string, configFile: string): Promise<void> {
  const app = await startEmbeddedApp({ dataDir, configFile, httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log: silent, env: {} })
  await app.close()
}

test('startEmbeddedApp with a configuration refuses a vault it has no password for, naming where to give one', async () => {
  const folder = await temporaryFolder('embedded-config')
  const vault = join(folder, 'operator.vault')
  await copyFile(BUILTIN_VAULT_FILE, vault)
  const config = join(folder, 'smsgw.yaml')
  await writeFile(config, `vault:\n  file: ${vault}\n`)
  await assert.rejects(start(join(folder, 'data'), config), {
    code: 'SMSGW_VAULT_PASSWORD',
    message: `no password for the vault ${vault}: set vault.passwordFile or SMSGW_VAULT_PASSWORD`
  })
})

test('startEmbeddedApp with a configuration opens the vault with the password in vault.passwordFile', async () => {
  const folder = await temporaryFolder('embedded-config')
  const vault = join(folder, 'operator.vault')
  await copyFile(BUILTIN_VAULT_FILE, vault)
  const passwordFile = join(folder, 'vault-password')
  await writeFile(passwordFile, '123456\r\n')
  const config = join(folder, 'smsgw.yaml')
  await writeFile(config, `vault:\n  file: ${vault}\n  passwordFile: ${passwordFile}\n`)
  await start(join(folder, 'data'), config)
})

test('startEmbeddedApp with a configuration naming an SMSC and no relay runs no relay: no demo relay, no gRPC, no /v3 routes, no relay files', async t => {
  const folder = await temporaryFolder('embedded-config')
  const smsc = await SmscSimulator.start({ accounts: [{ systemId: 'operator', password: 'secret' }], port: 0 })
  t.after(async () => { await smsc.close() })
  const config = join(folder, 'smsgw.json')
  await writeFile(config, JSON.stringify({ smpp: { host: '127.0.0.1', port: smsc.address.port, systemId: 'operator', password: 'secret' } }))
  const dataDir = join(folder, 'data')
  const app = await startEmbeddedApp({ dataDir, configFile: config, httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log: silent, env: {} })
  try {
    assert.deepEqual([app.relayDemo, app.relayGrpcPort, app.relayPublisherGrpcPort, app.simulator], [undefined, undefined, undefined, undefined])
    const registry = await fetch(`${app.url}/v3/clients`)
    assert.equal(registry.status, 404, 'no gateway-client registry where the relay does not run')
    await registry.body?.cancel()
    assert.equal(await access(join(dataDir, 'relay')).then(() => true, () => false), false)
  } finally {
    await app.close()
  }
})
