import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DEVELOPMENT_OTP_MESSAGE } from '../../../src/relay/grpc/development-otp-sender.ts'
import { decryptPayload, findAccount, verifyLongLivedToken } from '../../../src/relay/vault/index.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { completeOnApp, keyFields, newAppKeys } from './app-client.ts'
import { OTP_CODE, startEntityHarness, TEST_EMAIL, TEST_PHONE } from './entity-harness.ts'

// CreateEntity over a real gRPC client and both stores (relay-wire.md §1 and §4, relay.md §2).

const kinds = await storeKinds('relay-grpc-create')
const PASSWORD = 'Str0ng!pass'

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('sign up in two steps: the token opens with the app\'s device secret and verifies, and a message the app encrypts decrypts through the stored state', async () => {
      const harness = await startEntityHarness(await kind.open())
      const keys = newAppKeys()
      const request = { country_code: 'CM', phone_number: '+237 6500 00001', password: PASSWORD, ...keyFields(keys) }
      const first = await harness.call.CreateEntity(request)
      assert.equal(first.requires_ownership_proof, true)
      assert.equal(first.message, DEVELOPMENT_OTP_MESSAGE)
      assert.ok(Number(first.next_attempt_timestamp) > Date.now() / 1000)
      assert.equal(first.long_lived_token, '')
      assert.equal(await harness.vault.accounts.count(), 0, 'the first step stores nothing')

      const second = await harness.call.CreateEntity({ ...request, ownership_proof_response: OTP_CODE })
      assert.equal(second.message, 'Entity created successfully')
      assert.equal(second.requires_ownership_proof, false)
      const app = completeOnApp(keys, second)
      const account = unwrap(await findAccount(harness.vault, { identifier: TEST_PHONE }))
      assert.equal(unwrap(await verifyLongLivedToken(app.token, app.deviceSecret)).eid, account.entityId)
      const decrypted = unwrap(await decryptPayload(harness.vault, { entityId: account.entityId }, app.send('hello vault')))
      assert.equal(decrypted.plaintext.toString(), 'hello vault')
      assert.equal(decrypted.countryCode, 'CM')

      assert.deepEqual(await harness.failure('CreateEntity', request), { code: status.ALREADY_EXISTS, details: 'Entity with this phone_number already exists.' })
      assert.deepEqual(harness.internalErrors, [])
      await harness.close()
    })

    test('an e-mail identifier wins over the phone number; a wrong code creates nothing', async () => {
      const harness = await startEntityHarness(await kind.open())
      const keys = newAppKeys()
      const request = { country_code: 'CM', phone_number: '', email_address: TEST_EMAIL, password: PASSWORD, ...keyFields(keys) }
      assert.deepEqual(await harness.failure('CreateEntity', { ...request, ownership_proof_response: '654321' }), { code: status.UNAUTHENTICATED, details: 'Incorrect OTP. Try again.' })
      assert.equal(await harness.vault.accounts.count(), 0)
      const created = await harness.call.CreateEntity({ ...request, ownership_proof_response: OTP_CODE })
      completeOnApp(keys, created)
      assert.ok(unwrap(await findAccount(harness.vault, { identifier: TEST_EMAIL })).entityId.length === 32)
      assert.deepEqual(await harness.failure('CreateEntity', request), { code: status.ALREADY_EXISTS, details: 'Entity with this email_address already exists.' })
      await harness.close()
    })
  })
}
