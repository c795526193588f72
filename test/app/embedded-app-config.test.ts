import assert from 'node:assert/strict'
import { copyFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { startEmbeddedApp } from '../../src/app/embedded-app.ts'
import { BUILTIN_VAULT_FILE } from '../../src/config/index.ts'
import { createLogger } from '../../src/log/logger.ts'
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
