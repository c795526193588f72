import { status, type ServiceError } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { openStore } from '../../../src/store/open-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'
import { keyFields, newAppKeys } from './app-client.ts'
import { entityClient, OTP_CODE, startEntityHarness, TEST_PHONE, type EntityHarness } from './entity-harness.ts'

// Fuzz over every Entity RPC's request fields (issue 11, "Bad input and faults"): whatever the
// fields hold, the answer is a success or one of relay-wire.md §4's statuses with a details text,
// never INTERNAL, and the server keeps serving.

const files = await tempStoreFiles('relay-grpc-fuzz')
let harness: EntityHarness
before(async () => { harness = await startEntityHarness(await openStore(files.next())) })
after(async () => { await harness.close() })

const EXPECTED_CODES = new Set([status.INVALID_ARGUMENT, status.UNAUTHENTICATED, status.NOT_FOUND, status.ALREADY_EXISTS])
const keys = keyFields(newAppKeys())
// Text that mixes what the checks look at: base64 alphabet, whitespace, '+', digits, '@', ':', and any code point.
const fieldText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(...'AZaz09+/=\n \t@.:!-'), maxLength: 80 }),
  fc.constantFrom('', TEST_PHONE, OTP_CODE, 'CM', 'Str0ng!pass', keys.client_publish_pub_key, `${'0'.repeat(32)}:a.b.c`),
  fc.string({ unit: 'binary', maxLength: 300 })
)
const requests: Record<string, string[]> = {
  CreateEntity: ['country_code', 'phone_number', 'password', 'client_publish_pub_key', 'client_device_id_pub_key', 'ownership_proof_response', 'captcha_token', 'email_address'],
  AuthenticateEntity: ['phone_number', 'password', 'client_publish_pub_key', 'client_device_id_pub_key', 'ownership_proof_response', 'captcha_token', 'email_address'],
  ResetPassword: ['phone_number', 'new_password', 'client_publish_pub_key', 'client_device_id_pub_key', 'ownership_proof_response', 'captcha_token', 'email_address'],
  ListEntityStoredTokens: ['long_lived_token'],
  DeleteEntity: ['long_lived_token'],
  UpdateEntityPassword: ['long_lived_token', 'current_password', 'new_password']
}

for (const [rpc, fields] of Object.entries(requests)) {
  test(`${rpc}: random field values answer a documented status, never INTERNAL`, async () => {
    const client = entityClient(harness.server.port)
    const request = fc.record(Object.fromEntries(fields.map(field => [field, fieldText])), { requiredKeys: [] })
    await fc.assert(fc.asyncProperty(request, fc.boolean(), async (fields, migrate) => {
      const sent = rpc === 'ListEntityStoredTokens' ? { ...fields, migrate_to_device: migrate } : fields
      try {
        await client.call(rpc, sent)
      } catch (error) {
        const { code, details } = error as ServiceError
        assert.ok(EXPECTED_CODES.has(code), `${rpc} answered ${code} ${details}`)
        assert.ok(details.length > 0 && details.length < 300)
      }
    }), { numRuns: 150 })
    client.close()
    assert.deepEqual(harness.internalErrors, [])
  })
}
