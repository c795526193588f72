import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PlatformFailure, type PlatformToken } from '../../../src/relay/platforms/platform-adapter.ts'
import { publishThread, type ThreadPoster } from '../../../src/relay/platforms/thread-publishing.ts'

// publishThread's order of posts and refreshes, with a scripted poster: the platforms' own
// behaviour is tested through the adapters against the platform simulator; here, the cases the
// simulator's faults cannot aim at (a token refused in the middle of a thread).

interface Script {
  readonly posted: Array<{ accessToken: string, text: string, inReplyTo: string | undefined }>
  readonly poster: ThreadPoster
}

function script (refuse: (call: number, accessToken: string) => PlatformFailure | undefined): Script {
  const posted: Script['posted'] = []
  let calls = 0
  let refreshes = 0
  return {
    posted,
    poster: {
      platform: 'Test',
      now: () => 1_000_000_000,
      refresh: async refreshToken => {
        refreshes += 1
        return { access_token: `access-${refreshes}`, refresh_token: `${refreshToken}+` }
      },
      post: async (accessToken, text, inReplyTo) => {
        calls += 1
        const failure = refuse(calls, accessToken)
        if (failure !== undefined) throw failure
        posted.push({ accessToken, text, inReplyTo })
        return `id-${posted.length}`
      }
    }
  }
}

const token: PlatformToken = { access_token: 'access-0', refresh_token: 'refresh' }

test('publishThread refreshes when a part is refused as expired mid-thread and goes on from that part, posting none twice', async () => {
  const { posted, poster } = script((call, accessToken) => call === 2 && accessToken === 'access-0' ? new PlatformFailure('token-invalid', 'expired') : undefined)
  const published = await publishThread(poster, token, ['one', 'two', 'three'])
  assert.deepEqual(published, { refreshedToken: { access_token: 'access-1', refresh_token: 'refresh+' } })
  assert.deepEqual(posted, [
    { accessToken: 'access-0', text: 'one', inReplyTo: undefined },
    { accessToken: 'access-1', text: 'two', inReplyTo: 'id-1' },
    { accessToken: 'access-1', text: 'three', inReplyTo: 'id-2' }
  ])
})

test('publishThread hands back the refreshed token with a failure after the refresh', async () => {
  const { poster } = script(call => call === 1 ? new PlatformFailure('token-invalid', 'expired') : new PlatformFailure('transient', 'down'))
  const failure = await publishThread(poster, token, ['one']).then(() => assert.fail('published'), (error: unknown) => error as PlatformFailure)
  assert.deepEqual({ kind: failure.kind, refreshedToken: failure.refreshedToken }, { kind: 'transient', refreshedToken: { access_token: 'access-1', refresh_token: 'refresh+' } })
})

test('publishThread does not refresh for other failures, nor without a refresh token', async () => {
  const transient = script(() => new PlatformFailure('transient', 'down'))
  const failure = await publishThread(transient.poster, token, ['one']).then(() => assert.fail('published'), (error: unknown) => error as PlatformFailure)
  assert.deepEqual({ kind: failure.kind, refreshedToken: failure.refreshedToken }, { kind: 'transient', refreshedToken: undefined })
  const expired = script(() => undefined)
  const noRefresh = await publishThread(expired.poster, { access_token: 'a', expires_at: 1 }, ['one']).then(() => assert.fail('published'), (error: unknown) => error as PlatformFailure)
  assert.equal(noRefresh.kind, 'token-invalid')
  assert.deepEqual(expired.posted, [])
})

test('publishThread reports the parts posted before a failure, and given them goes on after them in reply to the last, with the first as root and each part\'s index', async () => {
  const roots: Array<string | undefined> = []
  const { posted, poster } = script(call => call === 2 ? new PlatformFailure('transient', 'down') : undefined)
  const indexes: number[] = []
  const counting: ThreadPoster = { ...poster, post: async (accessToken, text, inReplyTo, root, index) => { roots.push(root); indexes.push(index); return await poster.post(accessToken, text, inReplyTo, root, index) } }
  const failure = await publishThread(counting, token, ['one', 'two', 'three']).then(() => assert.fail('published'), (error: unknown) => error as PlatformFailure)
  assert.deepEqual({ kind: failure.kind, postedParts: failure.postedParts, refreshedToken: failure.refreshedToken }, { kind: 'transient', postedParts: ['id-1'], refreshedToken: undefined })
  assert.deepEqual(await publishThread(counting, token, ['one', 'two', 'three'], failure.postedParts), {})
  assert.deepEqual(posted, [
    { accessToken: 'access-0', text: 'one', inReplyTo: undefined },
    { accessToken: 'access-0', text: 'two', inReplyTo: 'id-1' },
    { accessToken: 'access-0', text: 'three', inReplyTo: 'id-2' }
  ])
  assert.deepEqual(roots, [undefined, 'id-1', 'id-1', 'id-1'])
  // Each call names its part's index, which the platforms' idempotency keys are derived from: the retried part keeps its own.
  assert.deepEqual(indexes, [0, 1, 1, 2])
})

test('publishThread keeps the parts posted by earlier calls in a failure before any new part, and the refreshed token with them', async () => {
  const { poster } = script(call => call === 1 ? new PlatformFailure('token-invalid', 'expired') : new PlatformFailure('rate-limited', 'slow down', 1000))
  const failure = await publishThread(poster, token, ['one', 'two', 'three'], ['id-a']).then(() => assert.fail('published'), (error: unknown) => error as PlatformFailure)
  assert.deepEqual({ kind: failure.kind, retryAfterMs: failure.retryAfterMs, postedParts: failure.postedParts, refreshedToken: failure.refreshedToken }, { kind: 'rate-limited', retryAfterMs: 1000, postedParts: ['id-a'], refreshedToken: { access_token: 'access-1', refresh_token: 'refresh+' } })
})
