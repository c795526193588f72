import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { storeKinds } from '../../store/store-kinds.ts'
import { newRing } from '../vault/stored-vault.ts'
import { keyFields, newAppKeys } from './app-client.ts'
import { OTP_CODE, startEntityHarness, TEST_PHONE } from './entity-harness.ts'

// The rate limits of relay.md §7 through the RPCs, with relay-wire.md §4's texts, kept in the
// store: a server started again over the same store (a restart, or another instance) still holds
// them. The clock is the limits' own, moved by the test.

const kinds = await storeKinds('relay-grpc-limits')
const PASSWORD = 'Str0ng!pass'
const MINUTE = 60_000
const tooManyAttempts = { code: status.UNAVAILABLE, details: 'Too many password attempts. Please wait and try again later.' }
const incorrect = { code: status.UNAUTHENTICATED, details: 'Incorrect credentials. Please double-check your details and try again.' }

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('password attempts: locked after the 3rd failure even for the right password, across a restart, until the lock ends', async () => {
      const location = await kind.newLocation()
      let now = Date.UTC(2026, 11, 6, 12)
      const shared = { nowMs: () => now, pepper: randomBytes(32), keys: newRing() }
      const first = await startEntityHarness(await kind.open(location), [TEST_PHONE], shared)
      await first.call.CreateEntity({ country_code: 'CM', phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(newAppKeys()), ownership_proof_response: OTP_CODE })
      for (let attempt = 1; attempt <= 3; attempt++) assert.deepEqual(await first.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: `Wr0ng!${attempt}` }), incorrect)
      assert.deepEqual(await first.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: PASSWORD }), tooManyAttempts)
      await first.close()

      const again = await startEntityHarness(await kind.open(location), [TEST_PHONE], shared)
      assert.deepEqual(await again.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: PASSWORD }), tooManyAttempts, 'the lock is in the store')
      now += 2 * MINUTE + 1
      assert.deepEqual(await again.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: 'Wr0ng!4' }), incorrect, 'the 4th failure starts no lock')
      assert.deepEqual(await again.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: 'Wr0ng!5' }), incorrect)
      assert.deepEqual(await again.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: PASSWORD }), tooManyAttempts, 'the 5th locks again')
      now += 15 * MINUTE + 1
      assert.equal((await again.call.AuthenticateEntity({ phone_number: TEST_PHONE, password: PASSWORD })).requires_ownership_proof, true)
      assert.deepEqual(await again.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: 'Wr0ng!6' }), incorrect, 'a success cleared the count')
      assert.deepEqual(again.internalErrors, [])
      await again.close()
    })

    test('OTP requests: growing windows, next_attempt_timestamp at the window\'s end, across a restart; a verified code clears them', async () => {
      const location = await kind.newLocation()
      let now = Date.UTC(2026, 11, 6, 12)
      const shared = { nowMs: () => now, pepper: randomBytes(32), keys: newRing() }
      const request = { country_code: 'CM', phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(newAppKeys()) }
      const first = await startEntityHarness(await kind.open(location), [TEST_PHONE], shared)
      assert.equal((await first.call.CreateEntity(request)).next_attempt_timestamp, (now + 5 * MINUTE) / 1000)
      await first.close()
      const again = await startEntityHarness(await kind.open(location), [TEST_PHONE], shared)
      assert.deepEqual(await again.failure('CreateEntity', request), { code: status.INVALID_ARGUMENT, details: 'Too many OTP requests. Wait and try again.' })
      now += 5 * MINUTE + 1
      assert.equal((await again.call.CreateEntity(request)).next_attempt_timestamp, Math.floor((now + 10 * MINUTE) / 1000), 'the second window is longer')
      now += MINUTE
      assert.deepEqual(await again.failure('CreateEntity', request), { code: status.INVALID_ARGUMENT, details: 'Too many OTP requests. Wait and try again.' })
      await again.call.CreateEntity({ ...request, ownership_proof_response: OTP_CODE })
      assert.equal((await again.call.AuthenticateEntity({ phone_number: TEST_PHONE, password: PASSWORD })).requires_ownership_proof, true, 'the verified code cleared the windows')
      await again.close()
    })
  })
}

for (const kind of kinds) {
  test(`${kind.name} store: pruning deletes limit rows neither changed nor blocked since the cutoff, and keeps the others`, async () => {
    const store = await kind.open()
    const [stale, blocked] = ['a', 'b'].map(letter => letter.repeat(128)) as [string, string]
    assert.equal(await store.relayLimits.bump(stale), 1)
    assert.equal(await store.relayLimits.bump(blocked), 1)
    assert.equal(await store.relayLimits.bump(blocked), 2, 'the count grows by one per bump')
    await store.relayLimits.block(blocked, Date.now() + 60 * MINUTE)
    await store.relayLimits.block(blocked, Date.now())
    assert.equal(await store.relayLimits.prune(Date.now() + MINUTE), 1)
    assert.equal(await store.relayLimits.get(stale), undefined)
    assert.equal((await store.relayLimits.get(blocked))?.count, 2)
    assert.ok(((await store.relayLimits.get(blocked))?.blockedUntilMs ?? 0) > Date.now() + 59 * MINUTE, 'an earlier block does not shorten a later one')
    await assert.rejects(store.relayLimits.bump('not a digest'), RangeError)
    await store.close()
  })
}
