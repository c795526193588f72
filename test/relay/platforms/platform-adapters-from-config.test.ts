import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { loadConfig } from '../../../src/config/index.ts'
import { startPlatformSimulator, type PlatformSimulator } from '../../../src/platform-sim/index.ts'
import { platformAdaptersFromConfig } from '../../../src/relay/platforms/platform-adapters-from-config.ts'
import { temporaryFolder } from '../../harness/temporary-folder.ts'
import { link, text } from './oauth2-adapter-suite.ts'

// relay.platforms from the environment to adapters: the platforms whose client id is set, their
// secrets from files, pointed at the platform simulator.

let simulator: PlatformSimulator
const folder = await temporaryFolder('platform-adapters')

before(async () => {
  simulator = await startPlatformSimulator({ port: 0 })
  for (const client of simulator.clients) await writeFile(join(folder, `${client.platform}.secret`), `${client.clientSecret}\n`)
})
after(async () => { await simulator.close() })

function simulatorEnv (): Record<string, string> {
  return {
    SMSGW_RELAY_PLATFORMS_MASTODON_BASE_URL: simulator.url,
    SMSGW_RELAY_PLATFORMS_MASTODON_CLIENT_ID: 'smsgw-mastodon',
    SMSGW_RELAY_PLATFORMS_MASTODON_CLIENT_SECRET_FILE: join(folder, 'mastodon.secret'),
    SMSGW_RELAY_PLATFORMS_TWITTER_BASE_URL: simulator.url,
    SMSGW_RELAY_PLATFORMS_TWITTER_AUTHORIZATION_URL: `${simulator.url}/i/oauth2/authorize`,
    SMSGW_RELAY_PLATFORMS_TWITTER_CLIENT_ID: 'smsgw-twitter',
    SMSGW_RELAY_PLATFORMS_TWITTER_CLIENT_SECRET_FILE: join(folder, 'twitter.secret')
  }
}

test('platformAdaptersFromConfig gives no adapter when no platform is configured', async () => {
  const adapters = platformAdaptersFromConfig((await loadConfig({ env: {} })).relay.platforms)
  assert.deepEqual(adapters.ok && [...adapters.value.keys()], [])
})

test('platformAdaptersFromConfig gives an adapter per configured platform, with the secret from its file, that links and publishes', async () => {
  const adapters = platformAdaptersFromConfig((await loadConfig({ env: simulatorEnv() })).relay.platforms)
  assert.ok(adapters.ok)
  assert.deepEqual([...adapters.value.keys()].sort(), ['mastodon', 'twitter'])
  for (const [name, adapter] of adapters.value) {
    assert.ok(adapter.protocol === 'oauth2')
    const { token, accountIdentifier } = await link(adapter, `${name}_user`)
    assert.equal(accountIdentifier, `${name}_user`)
    await adapter.publish(token, text(`configured ${name}`))
    assert.equal(simulator.posts().at(-1)?.text, `configured ${name}`)
  }
})

test('platformAdaptersFromConfig fails with SMSGW_RELAY_KEY_FILE naming the setting when a secret file is missing or empty', async () => {
  await writeFile(join(folder, 'empty.secret'), '\n')
  const cases: Array<[string, RegExp]> = [
    [join(folder, 'absent.secret'), /relay\.platforms\.mastodon\.clientSecretFile \(.*absent\.secret\): ENOENT/],
    [join(folder, 'empty.secret'), /relay\.platforms\.mastodon\.clientSecretFile \(.*empty\.secret\): the first line is empty/]
  ]
  for (const [file, message] of cases) {
    const config = await loadConfig({ env: { ...simulatorEnv(), SMSGW_RELAY_PLATFORMS_MASTODON_CLIENT_SECRET_FILE: file } })
    const adapters = platformAdaptersFromConfig(config.relay.platforms)
    assert.ok(!adapters.ok)
    assert.equal(adapters.error.code, 'SMSGW_RELAY_KEY_FILE')
    assert.match(adapters.error.message, message)
  }
})

test('relay.platforms: a client id needs its secret file (and the other way round), telegram its api id and hash together', async () => {
  const messageOf = async (env: Record<string, string>): Promise<string> => await loadConfig({ env }).then(() => 'loaded', (error: Error) => error.message)
  assert.match(await messageOf({ SMSGW_RELAY_PLATFORMS_TWITTER_CLIENT_ID: 'x' }), /relay\.platforms\.twitter\.clientId: needs relay\.platforms\.twitter\.clientSecretFile/)
  assert.match(await messageOf({ SMSGW_RELAY_PLATFORMS_GMAIL_CLIENT_SECRET_FILE: '/x' }), /relay\.platforms\.gmail\.clientSecretFile: needs relay\.platforms\.gmail\.clientId/)
  assert.equal(await messageOf({ SMSGW_RELAY_PLATFORMS_BLUESKY_CLIENT_ID: 'https://relay.example/client-metadata.json' }), 'loaded')
  assert.match(await messageOf({ SMSGW_RELAY_PLATFORMS_TELEGRAM_API_ID: '12345' }), /relay\.platforms\.telegram\.apiId: needs relay\.platforms\.telegram\.apiHashFile/)
  assert.match(await messageOf({ SMSGW_RELAY_PLATFORMS_MASTODON_BASE_URL: 'mastodon.social' }), /relay\.platforms\.mastodon\.baseUrl.*must be an http:\/\/ or https:\/\/ URL/)
})
