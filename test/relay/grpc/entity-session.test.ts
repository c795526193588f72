import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { INVALID_TOKEN_DETAILS } from '../../../src/relay/grpc/rpc-failure.ts'
import { decryptPayload, findAccount, verifyLongLivedToken } from '../../../src/relay/vault/index.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { completeOnApp, keyFields, newAppKeys, type LoggedIn } from './app-client.ts'
import { OTP_CODE, startEntityHarness, TEST_PHONE, type EntityHarness } from './entity-harness.ts'

// The account's life over a grpc-js client and both stores (relay-wire.md §1 and §4, relay.md §2):
// log in, tokens, reset, password change, deletion.

const kinds = await storeKinds('relay-grpc-session')
const PASSWORD = 'Str0ng!pass'
const NEW_PASSWORD = 'N3w!password'

async function signUp (harness: EntityHarness): Promise<LoggedIn> {
  const keys = newAppKeys()
  return completeOnApp(keys, await harness.call.CreateEntity({ country_code: 'CM', phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(keys), ownership_proof_response: OTP_CODE }))
}

const invalidToken = { code: status.UNAUTHENTICATED, details: INVALID_TOKEN_DETAILS }

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('log in: wrong password and unknown number refused, step 1 leaves the old device working, step 2 replaces it', async () => {
      const harness = await startEntityHarness(await kind.open())
      const old = await signUp(harness)
      assert.deepEqual(await harness.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: 'Wr0ng!pass' }), { code: status.UNAUTHENTICATED, details: 'Incorrect credentials. Please double-check your details and try again.' })
      assert.deepEqual(await harness.failure('AuthenticateEntity', { phone_number: '+237650000002', password: PASSWORD }), { code: status.NOT_FOUND, details: 'Entity with this phone_number not found.' })

      const keys = newAppKeys()
      const first = await harness.call.AuthenticateEntity({ phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(keys) })
      assert.equal(first.requires_ownership_proof, true)
      assert.deepEqual(await harness.call.ListEntityStoredTokens({ long_lived_token: old.token }), { stored_tokens: [], message: 'Tokens retrieved successfully.' }, 'only a completed login cuts off the old device')
      assert.deepEqual(await harness.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: 'Wr0ng!pass', ...keyFields(keys), ownership_proof_response: OTP_CODE }), { code: status.UNAUTHENTICATED, details: 'Incorrect credentials. Please double-check your details and try again.' }, 'a code alone does not log in')

      const second = await harness.call.AuthenticateEntity({ phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(keys), ownership_proof_response: OTP_CODE })
      assert.equal(second.message, 'Entity authenticated successfully!')
      assert.equal(second.requires_password_reset, false)
      const app = completeOnApp(keys, second)
      const account = unwrap(await findAccount(harness.vault, { identifier: TEST_PHONE }))
      assert.equal(unwrap(await verifyLongLivedToken(app.token, app.deviceSecret)).eid, account.entityId)
      assert.equal(unwrap(await decryptPayload(harness.vault, { entityId: account.entityId }, app.send('after login'))).plaintext.toString(), 'after login')
      assert.deepEqual(await harness.failure('ListEntityStoredTokens', { long_lived_token: old.token, migrate_to_device: true }), invalidToken, 'the old device is logged out')
      assert.deepEqual((await harness.call.ListEntityStoredTokens({ long_lived_token: app.token, migrate_to_device: true })).stored_tokens, [])
      assert.deepEqual(harness.internalErrors, [])
      await harness.close()
    })

    test('reset the password in two steps: new keys and token, the new password logs in, the old one does not', async () => {
      const harness = await startEntityHarness(await kind.open())
      const old = await signUp(harness)
      assert.deepEqual(await harness.failure('ResetPassword', { phone_number: TEST_PHONE, new_password: 'weak' }), { code: status.INVALID_ARGUMENT, details: 'Password must be at least 8 characters long' })
      assert.deepEqual(await harness.failure('ResetPassword', { phone_number: '+237650000002', new_password: NEW_PASSWORD }), { code: status.NOT_FOUND, details: 'Entity with this phone_number not found.' })
      const keys = newAppKeys()
      assert.equal((await harness.call.ResetPassword({ phone_number: TEST_PHONE, new_password: NEW_PASSWORD })).requires_ownership_proof, true)
      const done = await harness.call.ResetPassword({ phone_number: TEST_PHONE, new_password: NEW_PASSWORD, ...keyFields(keys), ownership_proof_response: OTP_CODE })
      assert.equal(done.message, 'Password reset successfully!')
      const app = completeOnApp(keys, done)
      assert.deepEqual(await harness.failure('ListEntityStoredTokens', { long_lived_token: old.token }), invalidToken)
      assert.equal((await harness.call.ListEntityStoredTokens({ long_lived_token: app.token })).message, 'Tokens retrieved successfully.')
      assert.deepEqual(await harness.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: PASSWORD }), { code: status.UNAUTHENTICATED, details: 'Incorrect credentials. Please double-check your details and try again.' })
      assert.equal((await harness.call.AuthenticateEntity({ phone_number: TEST_PHONE, password: NEW_PASSWORD })).requires_ownership_proof, true)
      await harness.close()
    })

    test('update the password: the current one is checked, then every device must log in again', async () => {
      const harness = await startEntityHarness(await kind.open())
      const app = await signUp(harness)
      assert.deepEqual(await harness.failure('UpdateEntityPassword', { long_lived_token: app.token, current_password: 'Wr0ng!pass', new_password: NEW_PASSWORD }), { code: status.UNAUTHENTICATED, details: 'The current password you entered is incorrect. Please try again.' })
      assert.deepEqual(await harness.failure('UpdateEntityPassword', { long_lived_token: app.token, current_password: PASSWORD, new_password: 'nouppercase1!' }), { code: status.INVALID_ARGUMENT, details: 'Password must include at least one uppercase letter (A-Z)' })
      assert.deepEqual(await harness.call.UpdateEntityPassword({ long_lived_token: app.token, current_password: PASSWORD, new_password: NEW_PASSWORD }), { message: 'Password updated successfully.', success: true })
      assert.deepEqual(await harness.failure('ListEntityStoredTokens', { long_lived_token: app.token }), invalidToken)
      const account = unwrap(await findAccount(harness.vault, { identifier: TEST_PHONE }))
      const refused = await decryptPayload(harness.vault, { entityId: account.entityId }, app.send('after the change'))
      assert.equal(refused.ok, false, 'the old device\'s ratchet no longer decrypts')
      assert.equal((await harness.call.AuthenticateEntity({ phone_number: TEST_PHONE, password: NEW_PASSWORD })).requires_ownership_proof, true)
      await harness.close()
    })

    test('delete: the token is checked, the account goes, its token no longer works', async () => {
      const harness = await startEntityHarness(await kind.open())
      const app = await signUp(harness)
      const forged = `${app.token.slice(0, -2)}${app.token.endsWith('AA') ? 'BB' : 'AA'}`
      assert.deepEqual(await harness.failure('DeleteEntity', { long_lived_token: forged }), invalidToken)
      assert.deepEqual(await harness.failure('DeleteEntity', {}), { code: status.INVALID_ARGUMENT, details: 'Missing required field: long_lived_token' })
      assert.deepEqual(await harness.call.DeleteEntity({ long_lived_token: app.token }), { message: 'Entity deleted successfully.', success: true })
      assert.equal(await harness.vault.accounts.count(), 0)
      assert.deepEqual(await harness.failure('DeleteEntity', { long_lived_token: app.token }), invalidToken)
      assert.deepEqual(await harness.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: PASSWORD }), { code: status.NOT_FOUND, details: 'Entity with this phone_number not found.' })
      await harness.close()
    })
  })
}
