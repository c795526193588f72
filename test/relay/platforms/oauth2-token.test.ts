import assert from 'node:assert/strict'
import { test } from 'node:test'
import { accessTokenOf, expiresSoon, grantsScopes, storedToken } from '../../../src/relay/platforms/oauth2-token.ts'
import { PlatformFailure } from '../../../src/relay/platforms/platform-adapter.ts'

test('storedToken keeps the token answer in its snake_case fields and adds expires_at in Unix seconds', () => {
  const nowMs = Date.parse('2026-01-01T00:00:00.900Z')
  assert.deepEqual(storedToken({ access_token: 'a', refresh_token: 'r', expires_in: 7200, scope: 'tweet.read users.read' }, nowMs), {
    access_token: 'a', token_type: 'bearer', refresh_token: 'r', scope: 'tweet.read users.read', expires_in: 7200, expires_at: nowMs / 1000 - 0.9 + 7200
  })
  assert.deepEqual(storedToken({ access_token: 'a', refresh_token: '', token_type: 'Bearer' }, nowMs), { access_token: 'a', token_type: 'Bearer' })
})

test('expiresSoon is true past the expiry or within a minute of it, false without one', () => {
  const nowMs = 1_000_000_000
  assert.equal(expiresSoon({ expires_at: nowMs / 1000 + 61 }, nowMs), false)
  assert.equal(expiresSoon({ expires_at: nowMs / 1000 + 60 }, nowMs), true)
  assert.equal(expiresSoon({ expires_at: nowMs / 1000 - 1 }, nowMs), true)
  assert.equal(expiresSoon({ access_token: 'a' }, nowMs), false)
})

test('accessTokenOf refuses a stored token without an access token as token-invalid', () => {
  assert.equal(accessTokenOf({ access_token: 'a' }, 'X'), 'a')
  assert.throws(() => accessTokenOf({ refresh_token: 'r' }, 'X'), (error: unknown) => error instanceof PlatformFailure && error.kind === 'token-invalid')
})

test('grantsScopes checks every wanted scope is granted, spaces or commas between them', () => {
  assert.equal(grantsScopes('profile write:statuses write:media', ['profile', 'write:statuses']), true)
  assert.equal(grantsScopes('profile,write:statuses', ['profile', 'write:statuses']), true)
  assert.equal(grantsScopes('profile', ['profile', 'write:statuses']), false)
  assert.equal(grantsScopes(undefined, ['profile']), false)
})
