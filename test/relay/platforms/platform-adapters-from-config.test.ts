import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { defaultRelayPlatforms } from '../../../src/config/relay-platforms-schema.ts'
import { errorCodes } from '../../../src/errors.ts'
import type { OAuth2Adapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { platformAdaptersFromConfig, type PlatformsConfig } from '../../../src/relay/platforms/platform-adapters-from-config.ts'
import { temporaryFolder } from '../../harness/temporary-folder.ts'

// The registry's Gmail, Bluesky and Telegram entries: built from relay.platforms once the client
// id (Telegram: the api id) is set, with the secret read from its file; nothing is contacted.

async function secretFile (folder: string, name: string, content: string): Promise<string> {
  const path = join(folder, name)
  await writeFile(path, content)
  return path
}

test('platformAdaptersFromConfig builds Gmail, Bluesky (a public client) and Telegram from their settings', async () => {
  const folder = await temporaryFolder('platform-registry')
  const platforms: PlatformsConfig = {
    ...defaultRelayPlatforms,
    gmail: { ...defaultRelayPlatforms.gmail, authorizationUrl: 'http://127.0.0.1:9/o/oauth2/auth', clientId: 'gmail-app', clientSecretFile: await secretFile(folder, 'gmail', 'gmail-secret\n') },
    bluesky: { ...defaultRelayPlatforms.bluesky, baseUrl: 'http://127.0.0.1:9', clientId: 'https://relay.example/client-metadata.json' },
    telegram: { apiId: 12345, apiHashFile: await secretFile(folder, 'telegram', 'hash\n') }
  }
  const adapters = platformAdaptersFromConfig(platforms)
  assert.ok(adapters.ok)
  assert.deepStrictEqual([...adapters.value].map(([name, adapter]) => [name, adapter.protocol]), [['gmail', 'oauth2'], ['bluesky', 'oauth2'], ['telegram', 'pnba']])
  const gmail = adapters.value.get('gmail') as OAuth2Adapter
  const authorization = gmail.authorizationUrl({ state: 's', codeVerifier: 'v'.repeat(43) })
  assert.ok(authorization.url.startsWith('http://127.0.0.1:9/o/oauth2/auth?'))
  assert.equal(authorization.clientId, 'gmail-app')
  const bluesky = adapters.value.get('bluesky') as OAuth2Adapter
  assert.ok(bluesky.authorizationUrl({ state: 's', codeVerifier: 'v'.repeat(43) }).url.startsWith('http://127.0.0.1:9/oauth/authorize?'))
})

test('platformAdaptersFromConfig leaves out a platform without its client id, and names an unreadable secret file', async () => {
  const none = platformAdaptersFromConfig(defaultRelayPlatforms)
  assert.ok(none.ok)
  assert.equal(none.value.size, 0)
  const missing = platformAdaptersFromConfig({ ...defaultRelayPlatforms, telegram: { apiId: 1, apiHashFile: '/nonexistent/telegram-hash' } })
  assert.ok(!missing.ok)
  assert.equal(missing.error.code, errorCodes.relayKeyFile)
  assert.match(missing.error.message, /relay\.platforms\.telegram\.apiHashFile/)
})
