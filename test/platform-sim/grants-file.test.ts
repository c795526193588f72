import assert from 'node:assert/strict'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { startPlatformSimulator, type PlatformSimulator } from '../../src/platform-sim/index.ts'
import { temporaryFolder } from '../harness/temporary-folder.ts'
import { authorizationCode, clientOf, newVerifier, REDIRECT_URI, tokenRequest } from './sim-oauth-client.ts'

// grantsFile: the tokens a simulator issued still work after it restarts on the same file (the
// demo's links survive a restart of `smsgw run`); a revoked or rotated token stays dead.

async function post (simulator: PlatformSimulator, accessToken: string, text: string): Promise<number> {
  const response = await fetch(`${simulator.url}/api/v1/statuses`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: text }) })
  await response.body?.cancel()
  return response.status
}

async function grant (simulator: PlatformSimulator): Promise<Record<string, unknown>> {
  const client = clientOf(simulator, 'mastodon')
  const verifier = newVerifier()
  const code = await authorizationCode(simulator, client, verifier)
  const { status, body } = await tokenRequest(simulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: client.clientId, client_secret: client.clientSecret })
  assert.equal(status, 200)
  return body
}

test('platform simulator grantsFile: tokens survive a restart, revoked and rotated ones do not; the file is its owner\'s only', async () => {
  const grantsFile = join(await temporaryFolder('sim-grants'), 'grants.json')
  const first = await startPlatformSimulator({ grantsFile })
  const kept = await grant(first)
  const revoked = await grant(first)
  const rotated = await grant(first)
  const client = clientOf(first, 'mastodon')
  assert.equal((await tokenRequest(first, { token: String(revoked.access_token), client_id: client.clientId, client_secret: client.clientSecret }, '/oauth/revoke')).status, 200)
  const refreshed = await tokenRequest(first, { grant_type: 'refresh_token', refresh_token: String(rotated.refresh_token), client_id: client.clientId, client_secret: client.clientSecret })
  assert.equal(refreshed.status, 200)
  await first.close()
  assert.equal((await stat(grantsFile)).mode & 0o777, 0o600)

  const second = await startPlatformSimulator({ grantsFile })
  try {
    assert.deepEqual([
      await post(second, String(kept.access_token), 'kept'),
      await post(second, String(refreshed.body.access_token), 'refreshed'),
      await post(second, String(revoked.access_token), 'revoked'),
      await post(second, String(rotated.access_token), 'rotated')
    ], [200, 200, 401, 401])
    assert.deepEqual(second.posts().map(recorded => [recorded.account, recorded.text]), [['alice', 'kept'], ['alice', 'refreshed']])
    assert.equal((await tokenRequest(second, { grant_type: 'refresh_token', refresh_token: String(kept.refresh_token), client_id: client.clientId, client_secret: client.clientSecret })).status, 200)
  } finally {
    await second.close()
  }
  assert.equal(JSON.parse(await readFile(grantsFile, 'utf8')).length, 2)
})

test('platform simulator grantsFile: a file that is no grants file is refused at the start, naming it', async () => {
  const grantsFile = join(await temporaryFolder('sim-grants'), 'grants.json')
  await writeFile(grantsFile, '{"not":"grants"}')
  await assert.rejects(startPlatformSimulator({ grantsFile }), { message: `${grantsFile} is not a platform simulator's grants file: remove it (the links made through it are then lost)` })
})
