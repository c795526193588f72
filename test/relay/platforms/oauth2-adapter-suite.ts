import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, afterEach, before, test } from 'node:test'
import { startPlatformSimulator, type PlatformSimulator, type RecordedPost, type SimClient } from '../../../src/platform-sim/index.ts'
import type { TextContent } from '../../../src/relay/payload/content.ts'
import { PlatformFailure, type LinkedAccount, type OAuth2Adapter, type PlatformFailureKind, type PlatformToken } from '../../../src/relay/platforms/platform-adapter.ts'

// What every OAuth 2.0 adapter of a text platform must do, run with the platform's real client
// library (through the adapter) against the platform simulator on port 0: link with consent and
// PKCE, publish a post and a thread, refresh, map each fault to its failure kind, revoke.

export interface OAuth2AdapterCase {
  /** The simulator's platform name. */
  readonly platform: string
  /** The post limit the adapter threads at. */
  readonly limit: number
  /** The scopes the authorization URL asks for. */
  readonly scopes: readonly string[]
  /** The authorize path the adapter's URL points at on the simulator. */
  readonly authorizePath: string
  /** The authorization URL answer's `scope`, when not the scopes comma-separated (upstream's Bluesky adapter answers its scope string). */
  readonly scopeAnswer?: string
  /**
   * What a post whose answer is lost once the platform took it ends as: `recovered` where the
   * adapter reads back, in the same call, the post its own key names (Bluesky's record key);
   * `transient` where it sends a key the platform tells repeats by (a retry posts nothing twice:
   * Mastodon); `unknown` where the platform has none (X).
   */
  readonly lostAnswer: 'recovered' | 'transient' | 'unknown'
  /** The account identifier of the simulator's account name, when not the name itself (Bluesky: a handle). */
  accountIdentifierOf? (account: string): string
  build (simulator: { url: string }, client: SimClient, options?: { timeoutMs?: number }): OAuth2Adapter
}

const REDIRECT = 'https://relay.smswithoutborders.com/android'

export function text (body: string): TextContent {
  return { serviceType: 'text', from: '+237600000000', body, accessToken: undefined, refreshToken: undefined }
}

/** Links through the consent form as a browser would: open the authorization URL, post the form with Approve. */
export async function link (adapter: OAuth2Adapter, account = 'alice', codeVerifier = randomBytes(32).toString('base64url'), exchangeVerifier = codeVerifier): Promise<LinkedAccount> {
  const { url } = adapter.authorizationUrl({ state: 'dHdpdHRlcix0cnVl', codeVerifier })
  const page = await fetch(url)
  assert.equal(page.status, 200)
  const form = new URL(url)
  const consent = await fetch(`${form.origin}${form.pathname}`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(form.searchParams), account, approve: 'yes' }), redirect: 'manual' })
  const location = new URL(consent.headers.get('location') ?? assert.fail('no redirect'))
  assert.equal(location.searchParams.get('state'), 'dHdpdHRlcix0cnVl')
  return await adapter.exchangeCode({ code: location.searchParams.get('code') ?? assert.fail('no code'), codeVerifier: exchangeVerifier })
}

export async function failureKind (promise: Promise<unknown>): Promise<PlatformFailure> {
  const error = await promise.then(() => assert.fail('no failure'), (error: unknown) => error)
  assert.ok(error instanceof PlatformFailure, `not a PlatformFailure: ${String(error)}`)
  return error
}

export function oauth2AdapterSuite (adapterCase: OAuth2AdapterCase): void {
  const { platform, limit, lostAnswer } = adapterCase
  let simulator: PlatformSimulator
  let adapter: OAuth2Adapter
  const posts = (): RecordedPost[] => simulator.posts().filter(post => post.platform === platform)
  const setFault = async (fault: Record<string, unknown>): Promise<void> => {
    const response = await fetch(`${simulator.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ platform, ...fault }) })
    assert.equal(response.status, 201)
  }
  const client = (): SimClient => simulator.clients.find(candidate => candidate.platform === platform) ?? assert.fail('no client')

  before(async () => {
    simulator = await startPlatformSimulator({ port: 0 })
    adapter = adapterCase.build(simulator, client())
  })
  afterEach(async () => { await fetch(`${simulator.url}/_sim/faults`, { method: 'DELETE' }) })
  after(async () => { await simulator.close() })

  test(`${platform} adapter asks for upstream's scopes with the S256 challenge of the app's verifier`, () => {
    const { url, scope, clientId, redirectUrl } = adapter.authorizationUrl({ state: 'st', codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' })
    const parsed = new URL(url)
    assert.equal(`${parsed.origin}${parsed.pathname}`, `${simulator.url}${adapterCase.authorizePath}`)
    assert.deepEqual(Object.fromEntries(parsed.searchParams), {
      response_type: 'code',
      client_id: client().clientId,
      redirect_uri: REDIRECT,
      scope: adapterCase.scopes.join(' '),
      state: 'st',
      // RFC 7636 appendix B's verifier and challenge.
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256'
    })
    assert.deepEqual({ scope, clientId, redirectUrl }, { scope: adapterCase.scopeAnswer ?? adapterCase.scopes.join(','), clientId: client().clientId, redirectUrl: REDIRECT })
  })

  test(`${platform} adapter links an account: consent, code exchange with PKCE, the account's handle`, async () => {
    const linked = await link(adapter, 'alice')
    assert.equal(linked.accountIdentifier, adapterCase.accountIdentifierOf?.('alice') ?? 'alice')
    assert.equal(typeof linked.token.access_token, 'string')
    assert.equal(typeof linked.token.refresh_token, 'string')
    assert.ok(typeof linked.token.expires_at === 'number' && linked.token.expires_at > Date.now() / 1000)
  })

  test(`${platform} adapter exchange with a wrong verifier is refused (rejected)`, async () => {
    const failure = await failureKind(link(adapter, 'alice', randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')))
    assert.equal(failure.kind, 'rejected')
  })

  test(`${platform} adapter publishes a short post as the linked account`, async () => {
    const { token } = await link(adapter, 'bob')
    assert.deepEqual(await adapter.publish(token, text('Hello from RelaySMS')), {})
    const post = posts().at(-1) ?? assert.fail('nothing posted')
    assert.deepEqual({ account: post.account, text: post.text, inReplyTo: post.inReplyTo }, { account: 'bob', text: 'Hello from RelaySMS', inReplyTo: undefined })
  })

  test(`${platform} adapter publishes a long text as a numbered reply thread within ${limit} characters`, async () => {
    const { token } = await link(adapter, 'carol')
    const words = Array.from({ length: Math.ceil(limit / 2) }, (_, index) => `w${index}`)
    const before = posts().length
    await adapter.publish(token, text(words.join(' ')))
    const thread = posts().slice(before)
    assert.ok(thread.length >= 2)
    thread.forEach((post, index) => {
      assert.ok(post.text.endsWith(` (${index + 1}/${thread.length})`), post.text)
      assert.ok([...post.text].length <= limit)
      assert.equal(post.inReplyTo, index === 0 ? undefined : thread[index - 1]?.id)
    })
    assert.equal(thread.map(post => post.text.replace(/ \(\d+\/\d+\)$/, '')).join(' '), words.join(' '))
  })

  test(`${platform} adapter reports a thread's parts posted before a failure, and goes on after them when given them: each part once, in reply order`, async () => {
    const { token } = await link(adapter, 'carol')
    const words = Array.from({ length: limit }, (_, index) => `w${index}`)
    const before = posts().length
    // The second call fails: the thread's second part.
    await setFault({ kind: 'server-error', after: 1, count: 1 })
    const failure = await failureKind(adapter.publish(token, text(words.join(' '))))
    assert.equal(failure.kind, 'transient')
    assert.equal(failure.postedParts.length, 1)
    assert.equal(posts().length, before + 1)
    assert.deepEqual(await adapter.publish(token, text(words.join(' ')), failure.postedParts), {})
    const thread = posts().slice(before)
    assert.ok(thread.length >= 3, `${thread.length} parts`)
    thread.forEach((post, index) => {
      assert.ok(post.text.endsWith(` (${index + 1}/${thread.length})`), post.text)
      assert.equal(post.inReplyTo, index === 0 ? undefined : thread[index - 1]?.id)
    })
    assert.equal(thread.map(post => post.text.replace(/ \(\d+\/\d+\)$/, '')).join(' '), words.join(' '))
  })

  test(`${platform} adapter refreshes an expired token first and returns the refreshed token`, async () => {
    const { token } = await link(adapter, 'dave')
    const expired: PlatformToken = { ...token, expires_at: Math.floor(Date.now() / 1000) - 10 }
    const published = await adapter.publish(expired, text('after a refresh'))
    const refreshed = published.refreshedToken ?? assert.fail('no refreshed token')
    assert.notEqual(refreshed.access_token, token.access_token)
    assert.notEqual(refreshed.refresh_token, token.refresh_token)
    assert.equal(posts().at(-1)?.text, 'after a refresh')
    // The caller stores it: the refreshed token publishes; the old refresh token is retired.
    assert.deepEqual(await adapter.publish(refreshed, text('with the stored token')), {})
    assert.equal((await failureKind(adapter.publish(expired, text('with the old token')))).kind, 'token-invalid')
  })

  test(`${platform} adapter refreshes once when the platform refuses a token as expired, then posts`, async () => {
    const { token } = await link(adapter, 'erin')
    await setFault({ kind: 'expired-token', count: 1 })
    const published = await adapter.publish(token, text('refused once'))
    assert.ok(published.refreshedToken !== undefined)
    assert.equal(posts().at(-1)?.text, 'refused once')
  })

  test(`${platform} adapter reports token-invalid when the refreshed token is refused too, with the refreshed token to store`, async () => {
    const { token } = await link(adapter, 'frank')
    await setFault({ kind: 'expired-token' })
    const failure = await failureKind(adapter.publish(token, text('never')))
    assert.equal(failure.kind, 'token-invalid')
    assert.ok(failure.refreshedToken !== undefined && failure.refreshedToken.access_token !== token.access_token)
  })

  const kinds: Array<[Record<string, unknown>, PlatformFailureKind, number | undefined]> = [
    [{ kind: 'rate-limit', count: 1, retryAfterSeconds: 7 }, 'rate-limited', 7000],
    [{ kind: 'server-error', count: 1 }, 'transient', undefined]
  ]
  for (const [fault, kind, retryAfterMs] of kinds) {
    test(`${platform} adapter maps the fault ${fault.kind as string} to ${kind}`, async () => {
      const { token } = await link(adapter)
      await setFault(fault)
      const failure = await failureKind(adapter.publish(token, text('faulty')))
      assert.deepEqual({ kind: failure.kind, retryAfterMs: failure.retryAfterMs }, { kind, retryAfterMs })
      assert.ok(!failure.message.includes(token.access_token as string) && !failure.message.includes('faulty'))
    })
  }

  test(`${platform} adapter reports a slow answer past its timeout as ${lostAnswer === 'unknown' ? 'unknown' : 'transient'}`, async () => {
    const hasty = adapterCase.build(simulator, client(), { timeoutMs: 200 })
    const { token } = await link(hasty)
    await setFault({ kind: 'slow', count: 1, delayMs: 5000 })
    assert.equal((await failureKind(hasty.publish(token, text('slow')))).kind, lostAnswer === 'unknown' ? 'unknown' : 'transient')
  })

  // The gap of docs/relay.md "Retries": the platform made the post, its answer never came.
  for (const fault of ['slow-after-post', 'drop-after-post']) {
    test(`${platform} adapter: a post whose answer is lost (${fault}) ${{ recovered: 'is read back and published', transient: 'fails as transient, and published again with the same idempotency makes no second post', unknown: 'fails as unknown, and is on the platform once' }[lostAnswer]}`, async () => {
      const hasty = adapterCase.build(simulator, client(), { timeoutMs: 300 })
      const { token } = await link(hasty)
      const idempotency = { key: randomBytes(32).toString('hex'), claimedAtMs: Date.now() }
      const before = posts().length
      await setFault({ kind: fault, count: 1, delayMs: 5000 })
      const published = hasty.publish(token, text(`lost ${fault}`), [], idempotency)
      if (lostAnswer === 'recovered') {
        assert.deepEqual(await published, {})
      } else {
        const failure = await failureKind(published)
        assert.equal(failure.kind, lostAnswer)
        assert.ok(!failure.message.includes(token.access_token as string) && !failure.message.includes('lost'))
        if (lostAnswer === 'transient') assert.deepEqual(await hasty.publish(token, text(`lost ${fault}`), failure.postedParts, idempotency), {})
      }
      assert.deepEqual(posts().slice(before).map(post => post.text), [`lost ${fault}`])
    })
  }

  if (lostAnswer !== 'unknown') {
    test(`${platform} adapter: a thread whose second part's answer is lost is ${lostAnswer === 'recovered' ? 'read back and continued' : 'continued by a retry with the same idempotency'}, each part once, in reply order`, async () => {
      const { token } = await link(adapter)
      const idempotency = { key: randomBytes(32).toString('hex'), claimedAtMs: Date.now() }
      const body = Array.from({ length: limit }, (_, index) => `lost${index}`).join(' ')
      const before = posts().length
      await setFault({ kind: 'drop-after-post', after: 1, count: 1 })
      if (lostAnswer === 'transient') {
        const failure = await failureKind(adapter.publish(token, text(body), [], idempotency))
        assert.deepEqual({ kind: failure.kind, parts: failure.postedParts.length }, { kind: 'transient', parts: 1 })
        await adapter.publish(token, text(body), failure.postedParts, idempotency)
      } else {
        await adapter.publish(token, text(body), [], idempotency)
      }
      const thread = posts().slice(before)
      assert.ok(thread.length >= 3, 'a thread of three parts or more')
      assert.equal(new Set(thread.map(post => post.text)).size, thread.length, 'no part twice')
      thread.forEach((post, index) => { assert.equal(post.inReplyTo, index === 0 ? undefined : thread[index - 1]?.id) })
    })
  }

  test(`${platform} adapter reports a platform it cannot reach as transient`, async () => {
    const { token } = await link(adapter)
    const gone = await startPlatformSimulator({ port: 0 })
    await gone.close()
    assert.equal((await failureKind(adapterCase.build(gone, client()).publish(token, text('nowhere')))).kind, 'transient')
  })

  test(`${platform} adapter reports content the platform refuses as rejected`, async () => {
    const { token } = await link(adapter)
    assert.equal((await failureKind(adapter.publish(token, text('   ')))).kind, 'rejected')
    const email = { serviceType: 'email', from: 'a', to: 'b', cc: '', bcc: '', subject: 's', body: 'b', accessToken: undefined, refreshToken: undefined } as const
    assert.equal((await failureKind(adapter.publish(token, email))).kind, 'rejected')
  })

  test(`${platform} adapter revokes the grant: its token no longer publishes`, async () => {
    const { token } = await link(adapter, 'grace')
    await adapter.revoke(token)
    assert.equal((await failureKind(adapter.publish(token, text('revoked')))).kind, 'token-invalid')
  })
}
