import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { startPlatformSimulator, s256, type PlatformSimulator } from '../../src/platform-sim/index.ts'
import { authorizationCode, clientOf, consent, newVerifier, REDIRECT_URI, tokenRequest } from './sim-oauth-client.ts'

// The platform simulator's OAuth server, control endpoints and refusals, over HTTP with fetch.
// Publishing through the real client libraries is tested with the adapters (test/relay/platforms/).

let simulator: PlatformSimulator
let nowMs = Date.parse('2026-01-01T00:00:00Z')

before(async () => {
  simulator = await startPlatformSimulator({ port: 0, tokenLifetimeSeconds: 60, maxRecordedPosts: 3, now: () => nowMs })
})
after(async () => { await simulator.close() })

async function exchange (platform: string, verifier: string, code: string): Promise<{ status: number, body: Record<string, unknown> }> {
  const client = clientOf(simulator, platform)
  return await tokenRequest(simulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: client.clientId, client_secret: client.clientSecret })
}

async function post (accessToken: string, text: string): Promise<Response> {
  return await fetch(`${simulator.url}/api/v1/statuses`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: text }) })
}

test('platform simulator shows a consent page naming the client, scope and redirect for a good authorization request', async () => {
  const query = new URLSearchParams({ client_id: 'smsgw-mastodon', redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'profile write:statuses', state: 's<1>', code_challenge: s256(newVerifier()), code_challenge_method: 'S256' })
  const response = await fetch(`${simulator.url}/oauth/authorize?${query}`)
  assert.equal(response.status, 200)
  const page = await response.text()
  for (const part of ['smsgw-mastodon', 'profile write:statuses', REDIRECT_URI, 'value="s&#60;1&#62;"', 'name="approve" value="yes"']) assert.ok(page.includes(part), part)
})

test('platform simulator refuses an authorization request with an unknown client, no PKCE or a plain challenge, and shows why', async () => {
  const good = { client_id: 'smsgw-mastodon', redirect_uri: REDIRECT_URI, response_type: 'code', code_challenge: s256(newVerifier()), code_challenge_method: 'S256' }
  const cases: Array<[Record<string, string>, string]> = [
    [{ ...good, client_id: 'nobody' }, 'unknown client_id'],
    [{ ...good, code_challenge_method: 'plain' }, 'PKCE is required'],
    [{ ...good, code_challenge: 'short' }, 'code_challenge must be'],
    [{ ...good, response_type: 'token' }, 'response_type must be code'],
    [{ ...good, redirect_uri: 'relative/path' }, 'redirect_uri must be an absolute URL']
  ]
  for (const [fields, reason] of cases) {
    const response = await fetch(`${simulator.url}/oauth/authorize?${new URLSearchParams(fields)}`)
    assert.equal(response.status, 400, reason)
    assert.ok((await response.text()).includes(reason), reason)
  }
})

test('platform simulator redirects a denied consent with access_denied and the state', async () => {
  const response = await consent(simulator, { approve: 'no', client_id: 'smsgw-twitter', redirect_uri: REDIRECT_URI, response_type: 'code', state: 'abc', code_challenge: s256(newVerifier()), code_challenge_method: 's256' })
  assert.equal(response.status, 303)
  assert.equal(response.headers.get('location'), `${REDIRECT_URI}?error=access_denied&state=abc`)
})

test('platform simulator exchanges a code once, with its verifier, and the token posts as the approving account', async () => {
  const verifier = newVerifier()
  const code = await authorizationCode(simulator, clientOf(simulator, 'mastodon'), verifier, 'alice')
  const { status, body } = await exchange('mastodon', verifier, code)
  assert.equal(status, 200)
  assert.deepEqual(Object.keys(body).sort(), ['access_token', 'created_at', 'expires_in', 'refresh_token', 'scope', 'token_type'])
  assert.equal(body.expires_in, 60)
  assert.equal(body.scope, 'profile')
  assert.equal((await post(body.access_token as string, 'hello')).status, 200)
  assert.deepEqual(simulator.posts().at(-1), { id: simulator.posts().at(-1)?.id, platform: 'mastodon', account: 'alice', text: 'hello', at: '2026-01-01T00:00:00.000Z' })
})

test('platform simulator refuses a wrong verifier, an unknown client, a wrong secret and another redirect_uri', async () => {
  const verifier = newVerifier()
  const client = clientOf(simulator, 'mastodon')
  const code = await authorizationCode(simulator, client, verifier)
  const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: client.clientId, client_secret: client.clientSecret }
  assert.deepEqual(await tokenRequest(simulator, { ...base, code_verifier: newVerifier() }), { status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' } })
  assert.deepEqual(await tokenRequest(simulator, { ...base, code_verifier: 'short' }), { status: 400, body: { error: 'invalid_request', error_description: 'code_verifier must be 43 to 128 unreserved characters' } })
  assert.equal((await tokenRequest(simulator, { ...base, client_id: 'nobody' })).status, 401)
  assert.deepEqual((await tokenRequest(simulator, { ...base, client_secret: 'wrong' })).body.error, 'invalid_client')
  assert.deepEqual((await tokenRequest(simulator, { ...base, redirect_uri: 'https://elsewhere.example/' })).body.error_description, 'redirect_uri differs from the authorization request\'s')
  // The same code, by the client of another platform.
  const twitter = clientOf(simulator, 'twitter')
  assert.deepEqual((await tokenRequest(simulator, { ...base, client_id: twitter.clientId, client_secret: twitter.clientSecret })).body.error_description, 'authorization code issued to another client')
  // None of these used the code up.
  assert.equal((await tokenRequest(simulator, base)).status, 200)
})

test('platform simulator refuses a replayed code and revokes the grant the code gave (RFC 6749 §4.1.2)', async () => {
  const verifier = newVerifier()
  const code = await authorizationCode(simulator, clientOf(simulator, 'mastodon'), verifier)
  const first = await exchange('mastodon', verifier, code)
  assert.equal((await post(first.body.access_token as string, 'before the replay')).status, 200)
  assert.deepEqual(await exchange('mastodon', verifier, code), { status: 400, body: { error: 'invalid_grant', error_description: 'authorization code already used' } })
  assert.equal((await post(first.body.access_token as string, 'after the replay')).status, 401)
})

test('platform simulator accepts client authentication by HTTP Basic as well as in the body', async () => {
  const verifier = newVerifier()
  const client = clientOf(simulator, 'twitter')
  const code = await authorizationCode(simulator, client, verifier)
  const response = await fetch(`${simulator.url}/2/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier })
  })
  assert.equal(response.status, 200)
})

test('platform simulator tokens expire; a refresh gives a new pair and retires the old one', async () => {
  const verifier = newVerifier()
  const client = clientOf(simulator, 'mastodon')
  const { body } = await exchange('mastodon', verifier, await authorizationCode(simulator, client, verifier))
  nowMs += 61_000
  assert.equal((await post(body.access_token as string, 'too late')).status, 401)
  const refreshed = await tokenRequest(simulator, { grant_type: 'refresh_token', refresh_token: body.refresh_token as string, client_id: client.clientId, client_secret: client.clientSecret })
  assert.equal(refreshed.status, 200)
  assert.notEqual(refreshed.body.access_token, body.access_token)
  assert.equal((await post(refreshed.body.access_token as string, 'fresh')).status, 200)
  const again = await tokenRequest(simulator, { grant_type: 'refresh_token', refresh_token: body.refresh_token as string, client_id: client.clientId, client_secret: client.clientSecret })
  assert.deepEqual(again, { status: 400, body: { error: 'invalid_grant', error_description: 'unknown or revoked refresh token' } })
})

test('platform simulator revokes a grant by either token; an unknown token is no error (RFC 7009)', async () => {
  const verifier = newVerifier()
  const client = clientOf(simulator, 'mastodon')
  const { body } = await exchange('mastodon', verifier, await authorizationCode(simulator, client, verifier))
  const revoke = async (token: string): Promise<number> => (await tokenRequest(simulator, { token, client_id: client.clientId, client_secret: client.clientSecret }, '/oauth/revoke')).status
  assert.equal(await revoke(body.refresh_token as string), 200)
  assert.equal((await post(body.access_token as string, 'revoked')).status, 401)
  assert.equal(await revoke('never-issued'), 200)
})

test('platform simulator counts an X post\'s length in code points: 280 emoji pass, 281 are refused; answers carry their length', async () => {
  const verifier = newVerifier()
  const { body } = await exchange('twitter', verifier, await authorizationCode(simulator, clientOf(simulator, 'twitter'), verifier))
  const tweet = async (text: string): Promise<Response> => await fetch(`${simulator.url}/2/tweets`, { method: 'POST', headers: { authorization: `Bearer ${body.access_token as string}`, 'content-type': 'application/json' }, body: JSON.stringify({ text }) })
  // 560 UTF-16 units, 280 code points: past the shortcut on length, within the limit.
  const accepted = await tweet('😀'.repeat(280))
  assert.equal(accepted.status, 201)
  const answer = await accepted.text()
  assert.equal(accepted.headers.get('content-length'), String(Buffer.byteLength(answer)))
  assert.equal(simulator.posts().at(-1)?.text, '😀'.repeat(280))
  const refused = await tweet('😀'.repeat(281))
  assert.equal(refused.status, 400)
  assert.match(await refused.text(), /too long/)
})

test('platform simulator answers a token of one platform on another platform\'s API with 401', async () => {
  const verifier = newVerifier()
  const { body } = await exchange('mastodon', verifier, await authorizationCode(simulator, clientOf(simulator, 'mastodon'), verifier))
  const response = await fetch(`${simulator.url}/2/users/me`, { headers: { authorization: `Bearer ${body.access_token as string}` } })
  assert.equal(response.status, 401)
})

test('platform simulator keeps the latest posts only, lists and clears them, and escapes them on its page', async () => {
  const verifier = newVerifier()
  const { body } = await exchange('mastodon', verifier, await authorizationCode(simulator, clientOf(simulator, 'mastodon'), verifier))
  for (const text of ['one', 'two', 'three', '<b>four</b>']) assert.equal((await post(body.access_token as string, text)).status, 200)
  const listed = await (await fetch(`${simulator.url}/_sim/posts`)).json() as { total: number, posts: Array<{ text: string }> }
  assert.deepEqual(listed.posts.map(post => post.text), ['two', 'three', '<b>four</b>'])
  const page = await (await fetch(`${simulator.url}/`)).text()
  assert.ok(page.includes('&#60;b&#62;four&#60;/b&#62;') && !page.includes('<b>four'))
  assert.equal((await fetch(`${simulator.url}/_sim/posts`, { method: 'DELETE' })).status, 204)
  assert.deepEqual(await (await fetch(`${simulator.url}/_sim/posts`)).json(), { total: 0, posts: [] })
})

test('platform simulator answers faults for their count, with Retry-After on a 429, then serves again', async () => {
  const verifier = newVerifier()
  const { body } = await exchange('mastodon', verifier, await authorizationCode(simulator, clientOf(simulator, 'mastodon'), verifier))
  const setFault = async (fault: object): Promise<Response> => await fetch(`${simulator.url}/_sim/faults`, { method: 'POST', body: JSON.stringify(fault) })
  assert.equal((await setFault({ platform: 'mastodon', kind: 'rate-limit', count: 1, retryAfterSeconds: 7 })).status, 201)
  const limited = await post(body.access_token as string, 'limited')
  assert.equal(limited.status, 429)
  assert.equal(limited.headers.get('retry-after'), '7')
  assert.equal((await post(body.access_token as string, 'through')).status, 200)
  await setFault({ platform: 'mastodon', kind: 'server-error' })
  assert.equal((await post(body.access_token as string, 'failing')).status, 503)
  assert.equal((await post(body.access_token as string, 'failing')).status, 503)
  assert.equal((await fetch(`${simulator.url}/_sim/faults`, { method: 'DELETE' })).status, 204)
  assert.equal((await post(body.access_token as string, 'through')).status, 200)
  // Aimed past the next call: the second call alone fails (a thread's second part).
  await setFault({ platform: 'mastodon', kind: 'server-error', after: 1, count: 1 })
  assert.equal((await post(body.access_token as string, 'first')).status, 200)
  assert.equal((await post(body.access_token as string, 'second')).status, 503)
  assert.equal((await post(body.access_token as string, 'third')).status, 200)
  assert.deepEqual(await (await fetch(`${simulator.url}/_sim/faults`)).json(), { faults: [] })
})

test('platform simulator answers a slow call late, and carries out none whose client gave up', async () => {
  const verifier = newVerifier()
  const { body } = await exchange('mastodon', verifier, await authorizationCode(simulator, clientOf(simulator, 'mastodon'), verifier))
  const setSlow = async (): Promise<void> => { await fetch(`${simulator.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ platform: 'mastodon', kind: 'slow', count: 1, delayMs: 300 }) }) }
  await setSlow()
  const started = performance.now()
  assert.equal((await post(body.access_token as string, 'late')).status, 200)
  assert.ok(performance.now() - started >= 290)
  assert.equal(simulator.posts().at(-1)?.text, 'late')
  await setSlow()
  const impatient = fetch(`${simulator.url}/api/v1/statuses`, { method: 'POST', headers: { authorization: `Bearer ${body.access_token as string}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'abandoned' }), signal: AbortSignal.timeout(50) })
  await assert.rejects(impatient, { name: 'TimeoutError' })
  // The fault was used up by the abandoned call: the next one goes straight through, after it.
  assert.equal((await post(body.access_token as string, 'next')).status, 200)
  // A post that does not happen sends no event: wait past the moment it would have been made.
  await sleep(400)
  assert.deepEqual(simulator.posts().slice(-2).map(post => post.text), ['late', 'next'])
})

test('platform simulator answers a repeated Idempotency-Key of an account with its first status for an hour, posting nothing, as Mastodon', async () => {
  const tokenOf = async (account: string): Promise<string> => {
    const verifier = newVerifier()
    return (await exchange('mastodon', verifier, await authorizationCode(simulator, clientOf(simulator, 'mastodon'), verifier, account))).body.access_token as string
  }
  const keyed = async (accessToken: string, text: string, key: string): Promise<{ status: number, id: unknown }> => {
    const response = await fetch(`${simulator.url}/api/v1/statuses`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ status: text }) })
    return { status: response.status, id: ((await response.json()) as { id?: unknown }).id }
  }
  const total = async (): Promise<number> => ((await (await fetch(`${simulator.url}/_sim/posts`)).json()) as { total: number }).total
  const before = await total()
  const alice = await tokenOf('alice')
  const first = await keyed(alice, 'first', 'key-1')
  assert.equal(first.status, 200)
  assert.deepEqual(await keyed(alice, 'first again', 'key-1'), first)
  assert.equal(await total(), before + 1)
  // Another account's key of the same name is its own.
  assert.notEqual((await keyed(await tokenOf('bob'), 'bob\'s', 'key-1')).id, first.id)
  assert.equal(await total(), before + 2)
  // An hour on, the key is forgotten.
  nowMs += 3_600_000
  assert.notEqual((await keyed(await tokenOf('alice'), 'an hour on', 'key-1')).id, first.id)
  assert.equal(await total(), before + 3)
})

test('platform simulator carries out a call and loses its answer: late (slow-after-post) or never (drop-after-post)', async () => {
  const verifier = newVerifier()
  const { body } = await exchange('mastodon', verifier, await authorizationCode(simulator, clientOf(simulator, 'mastodon'), verifier))
  await fetch(`${simulator.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ platform: 'mastodon', kind: 'drop-after-post', count: 1 }) })
  await assert.rejects(post(body.access_token as string, 'dropped'), { name: 'TypeError' })
  assert.equal(simulator.posts().at(-1)?.text, 'dropped')
  await fetch(`${simulator.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ platform: 'mastodon', kind: 'slow-after-post', count: 1, delayMs: 5000 }) })
  const impatient = fetch(`${simulator.url}/api/v1/statuses`, { method: 'POST', headers: { authorization: `Bearer ${body.access_token as string}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'answered late' }), signal: AbortSignal.timeout(100) })
  await assert.rejects(impatient, { name: 'TimeoutError' })
  assert.equal(simulator.posts().at(-1)?.text, 'answered late')
})

test('platform simulator refuses a bad fault naming the field', async () => {
  const cases: Array<[string, string]> = [
    ['not json', 'the body must be JSON'],
    ['[]', 'the body must be a JSON object {platform, kind, count?, after?, retryAfterSeconds?, delayMs?}'],
    ['{"platform":"twitter","kind":"slow","after":-1}', 'after must be a whole number from 0 to 1000000'],
    ['{"platform":"myspace","kind":"slow"}', 'platform must be one of mastodon, twitter, gmail, bluesky'],
    ['{"platform":"twitter","kind":"flaky"}', 'kind must be one of expired-token, rate-limit, server-error, slow, slow-after-post, drop-after-post'],
    ['{"platform":"twitter","kind":"slow","count":0}', 'count must be a whole number from 1 to 1000000'],
    ['{"platform":"twitter","kind":"slow","delayMs":1.5}', 'delayMs must be a whole number from 0 to 120000'],
    ['{"platform":"twitter","kind":"slow","extra":1}', 'unknown field extra']
  ]
  for (const [body, error] of cases) {
    const response = await fetch(`${simulator.url}/_sim/faults`, { method: 'POST', body })
    assert.deepEqual({ status: response.status, body: await response.json() }, { status: 400, body: { error } })
  }
})

test('platform simulator answers an unknown path 404, a wrong method 405 and a too large body 413, and keeps serving', async () => {
  assert.equal((await fetch(`${simulator.url}/nowhere`)).status, 404)
  assert.equal((await fetch(`${simulator.url}/api/v1/statuses`)).status, 405)
  assert.equal((await fetch(`${simulator.url}/oauth/token`, { method: 'POST', body: 'x'.repeat(300 * 1024) })).status, 413)
  assert.equal((await fetch(`${simulator.url}/_sim/posts`)).status, 200)
})

test('platform simulator with autoApprove redirects an authorization request at once', async () => {
  await using auto = await startPlatformSimulator({ port: 0, autoApprove: true })
  const query = new URLSearchParams({ client_id: 'smsgw-twitter', redirect_uri: REDIRECT_URI, response_type: 'code', state: 'q', code_challenge: s256(newVerifier()), code_challenge_method: 'S256' })
  const response = await fetch(`${auto.url}/i/oauth2/authorize?${query}`, { redirect: 'manual' })
  assert.equal(response.status, 303)
  assert.match(response.headers.get('location') ?? '', /^https:\/\/relay\.smswithoutborders\.com\/android\?code=[A-Za-z0-9_-]+&state=q$/)
})
