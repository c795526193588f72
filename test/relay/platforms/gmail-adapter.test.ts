import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { gmailAddressOf, startPlatformSimulator, type PlatformSimulator, type SimClient } from '../../../src/platform-sim/index.ts'
import type { EmailContent } from '../../../src/relay/payload/content.ts'
import { GMAIL_SCOPES, gmailAdapter } from '../../../src/relay/platforms/gmail-adapter.ts'
import type { OAuth2Adapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { failureKind, link } from './oauth2-adapter-suite.ts'

// The Gmail adapter over Gmail's REST API (fetch; Google has no client library we use) against
// the platform simulator's Google endpoints on port 0: link, send, refresh, faults, revoke.

const REDIRECT_URL = 'https://relay.smswithoutborders.com/android'
const ACCOUNT = 'alice'
const ADDRESS = gmailAddressOf(ACCOUNT)
let simulator: PlatformSimulator
let adapter: OAuth2Adapter

function simClientOf (sim: PlatformSimulator, platform: string): SimClient {
  return sim.clients.find(client => client.platform === platform) ?? assert.fail(`no simulator client for ${platform}`)
}

async function setFault (sim: PlatformSimulator, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify(fault) })
  assert.equal(response.status, 201, await response.text())
}

before(async () => {
  simulator = await startPlatformSimulator({ port: 0 })
  const client = simClientOf(simulator, 'gmail')
  adapter = gmailAdapter({
    baseUrl: simulator.url,
    authorizationUrl: `${simulator.url}/o/oauth2/auth`,
    tokenUrl: `${simulator.url}/token`,
    revokeUrl: `${simulator.url}/revoke`,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUrl: REDIRECT_URL
  })
})
after(async () => { await simulator.close() })

beforeEach(async () => {
  await fetch(`${simulator.url}/_sim/posts`, { method: 'DELETE' })
  await fetch(`${simulator.url}/_sim/faults`, { method: 'DELETE' })
})

function email (fields: Partial<EmailContent> = {}): EmailContent {
  return { serviceType: 'email', from: ADDRESS, to: 'friend@example.org', cc: '', bcc: '', subject: 'Hello', body: 'Sent by SMS', accessToken: undefined, refreshToken: undefined, ...fields }
}

describe('gmailAdapter', () => {
  test('builds Google\'s authorization URL: offline access, consent prompt, PKCE S256, upstream\'s scopes', () => {
    const { url, scope, clientId, redirectUrl } = adapter.authorizationUrl({ state: 's', codeVerifier: 'v'.repeat(43) })
    const parameters = new URL(url).searchParams
    assert.equal(parameters.get('access_type'), 'offline')
    assert.equal(parameters.get('prompt'), 'consent')
    assert.equal(parameters.get('code_challenge_method'), 'S256')
    assert.equal(parameters.get('code_challenge')?.length, 43)
    assert.equal(parameters.get('scope'), GMAIL_SCOPES.join(' '))
    assert.equal(parameters.get('redirect_uri'), REDIRECT_URL)
    assert.deepStrictEqual([scope, clientId, redirectUrl], [GMAIL_SCOPES.join(','), simClientOf(simulator, 'gmail').clientId, REDIRECT_URL])
  })

  test('links (the account is the userinfo e-mail) and sends the message, which Gmail reads back as written', async () => {
    const linked = await link(adapter, ACCOUNT)
    assert.equal(linked.accountIdentifier, ADDRESS)
    assert.equal(typeof linked.token.refresh_token, 'string')
    assert.equal(typeof linked.token.expires_at, 'number')

    const published = await adapter.publish(linked.token, email({ to: 'Zoë <zoe@example.org>', cc: 'cc@example.org', subject: 'Habari — سلام 🌍', body: 'Line one\nLine two: ünïcode' }))
    assert.deepStrictEqual(published, {})
    const posts = simulator.posts()
    assert.equal(posts.length, 1)
    assert.deepStrictEqual({ ...posts[0], id: undefined, at: undefined }, {
      id: undefined, at: undefined, platform: 'gmail', account: ACCOUNT, to: 'Zoë <zoe@example.org>', subject: 'Habari — سلام 🌍', text: 'Line one\r\nLine two: ünïcode'
    })
  })

  test('refuses a header injection before anything reaches Gmail', async () => {
    const { token } = await link(adapter, ACCOUNT)
    const failure = await failureKind(adapter.publish(token, email({ subject: 'Hi\r\nBcc: everyone@example.org' })))
    assert.equal(failure.kind, 'rejected')
    assert.deepStrictEqual(simulator.posts(), [])
  })

  test('refreshes a token whose expiry has passed before sending, and hands the new token back', async () => {
    const { token } = await link(adapter, ACCOUNT)
    const published = await adapter.publish({ ...token, expires_at: Math.floor(Date.now() / 1000) - 10 }, email())
    assert.ok(published.refreshedToken !== undefined)
    assert.notEqual(published.refreshedToken.access_token, token.access_token)
    assert.notEqual(published.refreshedToken.refresh_token, token.refresh_token, 'the simulator rotates refresh tokens')
    assert.equal(simulator.posts().length, 1)
    // The refreshed token is the one that works now.
    assert.deepStrictEqual(await adapter.publish(published.refreshedToken, email({ subject: 'again' })), {})
  })

  test('refreshes and sends once more when Gmail answers 401 to a token it thinks expired', async () => {
    const { token } = await link(adapter, ACCOUNT)
    await setFault(simulator, { platform: 'gmail', kind: 'expired-token', count: 1 })
    const published = await adapter.publish(token, email())
    assert.ok(published.refreshedToken !== undefined)
    assert.equal(simulator.posts().length, 1)
  })

  test('maps 429 to rate-limited with Retry-After, and 5xx to transient, posting nothing', async () => {
    const { token } = await link(adapter, ACCOUNT)
    await setFault(simulator, { platform: 'gmail', kind: 'rate-limit', count: 1, retryAfterSeconds: 17 })
    const limited = await failureKind(adapter.publish(token, email()))
    assert.deepStrictEqual([limited.kind, limited.retryAfterMs], ['rate-limited', 17_000])
    await setFault(simulator, { platform: 'gmail', kind: 'server-error', count: 1 })
    assert.equal((await failureKind(adapter.publish(token, email()))).kind, 'transient')
    assert.deepStrictEqual(simulator.posts(), [])
  })

  test('maps an unreachable Gmail (connection refused: nothing sent) to transient', async () => {
    const client = simClientOf(simulator, 'gmail')
    const gone = await startPlatformSimulator({ port: 0 })
    await gone.close()
    const unreachable = gmailAdapter({ baseUrl: gone.url, authorizationUrl: `${gone.url}/auth`, tokenUrl: `${gone.url}/token`, revokeUrl: `${gone.url}/revoke`, clientId: client.clientId, clientSecret: client.clientSecret, redirectUrl: REDIRECT_URL })
    assert.equal((await failureKind(unreachable.publish({ access_token: 'a', refresh_token: 'r' }, email()))).kind, 'transient')
  })

  // Gmail takes no key to tell a repeated send from a new one (docs/relay.md, "Retries").
  for (const fault of ['slow', 'slow-after-post', 'drop-after-post']) {
    test(`maps an answer lost after the request was sent (${fault}) to unknown: the message may have gone, never sent again`, async () => {
      const client = simClientOf(simulator, 'gmail')
      const hasty = gmailAdapter({ baseUrl: simulator.url, authorizationUrl: `${simulator.url}/o/oauth2/auth`, tokenUrl: `${simulator.url}/token`, revokeUrl: `${simulator.url}/revoke`, clientId: client.clientId, clientSecret: client.clientSecret, redirectUrl: REDIRECT_URL, timeoutMs: 300 })
      const { token } = await link(hasty, ACCOUNT)
      await setFault(simulator, { platform: 'gmail', kind: fault, count: 1, delayMs: 5000 })
      const failure = await failureKind(hasty.publish(token, email({ subject: 'lost' })))
      assert.equal(failure.kind, 'unknown')
      assert.ok(!failure.message.includes('lost') && !failure.message.includes(token.access_token as string))
      assert.equal(simulator.posts().length, fault === 'slow' ? 0 : 1)
    })
  }

  test('refuses an exchange with the wrong verifier (rejected)', async () => {
    assert.equal((await failureKind(link(adapter, ACCOUNT, 'a'.repeat(43), 'b'.repeat(43)))).kind, 'rejected')
  })

  test('revokes the grant: the token then neither sends nor refreshes (token-invalid)', async () => {
    const { token } = await link(adapter, ACCOUNT)
    await adapter.revoke(token)
    const failure = await failureKind(adapter.publish(token, email()))
    assert.equal(failure.kind, 'token-invalid')
    assert.deepStrictEqual(simulator.posts(), [])
  })
})
