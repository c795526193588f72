import { status, type ServiceError } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { computeDeviceId } from '../../../src/relay/vault/index.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'
import { TEST_PHONE, vaultClient } from './entity-harness.ts'
import { signUp, startInternalHarness, type InternalHarness } from './entity-internal-harness.ts'

// Fuzz over every EntityInternal RPC's request fields (issue 11, "Bad input and faults"): whatever
// the fields hold, among them a real account's long-lived token, device id, number and messages,
// the answer is a success or one of relay-wire.md §4's statuses with a details text, never
// INTERNAL, and the server keeps serving.

const files = await tempStoreFiles('relay-internal-fuzz')
let harness: InternalHarness
let known: string[] = []
before(async () => {
  harness = await startInternalHarness(await openStore(files.next()))
  const { keys, app } = await signUp(harness)
  const deviceId = computeDeviceId(app.deviceSecret, TEST_PHONE, keys.deviceId.publicKey).toString('hex')
  known = [app.token, deviceId, TEST_PHONE, 'gmail', 'Telegram', 'alice@gmail.example', '{"access_token":"a"}', '[]', app.send('hello').toString('base64'), 'CM', '0', 'v1']
})
after(async () => { await harness.close() })

const EXPECTED_CODES = new Set([status.INVALID_ARGUMENT, status.UNAUTHENTICATED, status.NOT_FOUND, status.UNIMPLEMENTED])
const requests: Record<string, string[]> = {
  StoreEntityToken: ['long_lived_token', 'token', 'platform', 'account_identifier'],
  GetEntityAccessToken: ['device_id', 'long_lived_token', 'platform', 'account_identifier', 'phone_number'],
  DecryptPayload: ['device_id', 'payload_ciphertext', 'phone_number'],
  EncryptPayload: ['device_id', 'payload_plaintext', 'phone_number'],
  UpdateEntityToken: ['device_id', 'token', 'platform', 'account_identifier', 'phone_number'],
  DeleteEntityToken: ['long_lived_token', 'platform', 'account_identifier'],
  CreateBridgeEntity: ['country_code', 'phone_number', 'client_publish_pub_key', 'ownership_proof_response', 'server_pub_key_identifier', 'server_pub_key_version', 'language'],
  AuthenticateBridgeEntity: ['phone_number', 'language']
}

for (const [rpc, fields] of Object.entries(requests)) {
  test(`${rpc}: random field values answer a documented status, never INTERNAL`, async () => {
    const client = vaultClient('EntityInternal', harness.internal.port)
    // Text that mixes what the checks look at: JSON, base64 and hex alphabets, whitespace, and any code point.
    const fieldText = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: fc.constantFrom(...'AZaz09+/=\n {}[]":,af'), maxLength: 120 }),
      fc.constantFrom('', ...known),
      fc.string({ unit: 'binary', maxLength: 300 })
    )
    const request = fc.record(Object.fromEntries(fields.map(field => [field, fieldText])), { requiredKeys: [] })
    await fc.assert(fc.asyncProperty(request, async sent => {
      try {
        await client.call(rpc, sent)
      } catch (error) {
        const { code, details } = error as ServiceError
        assert.ok(EXPECTED_CODES.has(code), `${rpc} answered ${code} ${details}`)
        assert.ok(details.length > 0 && details.length < 1000)
      }
    }), { numRuns: 120 })
    client.close()
    assert.deepEqual(harness.internalErrors, [])
  })
}
