import assert from 'node:assert/strict'
import { test } from 'node:test'
import Fastify from 'fastify'
import { platforms } from '../../../src/relay/payload/platforms.ts'
import { platformsRoutes } from '../../../src/relay/publisher/platforms-routes.ts'

// GET /v1/platforms and GET /v1/platforms/{name} (relay-wire.md §5.3): exactly the manifest keys,
// upstream's platforms.json values, a case-insensitive name, 404 and FastAPI's 422.

const UPSTREAM_MASTODON = { name: 'mastodon', shortcode: 'm', protocol_type: 'oauth2', service_type: 'text', icon_svg: 'https://raw.githubusercontent.com/smswithoutborders/mastodon-oauth2-adapter/main/icons/mastodon.svg', icon_png: 'https://raw.githubusercontent.com/smswithoutborders/mastodon-oauth2-adapter/main/icons/mastodon.png', support_url_scheme: false }

test('the list holds the served platforms\' manifests with exactly the seven keys, as upstream\'s platforms.json has them', async () => {
  const app = Fastify()
  await app.register(platformsRoutes(platforms))
  const list = (await app.inject({ method: 'GET', url: '/v1/platforms' })).json() as Array<Record<string, unknown>>
  assert.equal(list.length, 6)
  for (const manifest of list) assert.deepEqual(Object.keys(manifest).sort(), ['icon_png', 'icon_svg', 'name', 'protocol_type', 'service_type', 'shortcode', 'support_url_scheme'])
  assert.deepStrictEqual(list.find(manifest => manifest.name === 'mastodon'), UPSTREAM_MASTODON)
  assert.deepStrictEqual(list.find(manifest => manifest.name === 'telegram')?.icon_svg, 'https://raw.githubusercontent.com/smswithoutborders/telegram-pnba-adapter/main/icons/telegram.svg')
  assert.deepStrictEqual(list.filter(manifest => manifest.support_url_scheme === true).map(manifest => manifest.name), ['twitter'])
  await app.close()
})

test('one platform by name, any case; 404 {"detail": "Platform not found"}; 422 FastAPI body for a name outside the pattern', async () => {
  const app = Fastify()
  await app.register(platformsRoutes(platforms.filter(platform => platform.name === 'mastodon')))
  const one = await app.inject({ method: 'GET', url: '/v1/platforms/MastoDon' })
  assert.deepStrictEqual([one.statusCode, one.json()], [200, UPSTREAM_MASTODON])
  const missing = await app.inject({ method: 'GET', url: '/v1/platforms/gmail' })
  assert.deepStrictEqual([missing.statusCode, missing.json()], [404, { detail: 'Platform not found' }], 'a platform this publisher does not serve is not found')
  const bad = await app.inject({ method: 'GET', url: '/v1/platforms/bad.name' })
  assert.deepStrictEqual([bad.statusCode, bad.json()], [422, { detail: [{ type: 'string_pattern_mismatch', loc: ['path', 'platform_name'], msg: 'String should match pattern \'^[a-zA-Z0-9_-]+$\'', input: 'bad.name', ctx: { pattern: '^[a-zA-Z0-9_-]+$' } }] }])
  await app.close()
})
