import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { MAX_REQUEST_BYTES } from '../../../src/relay/grpc/grpc-server.ts'
import { INVALID_TOKEN_DETAILS } from '../../../src/relay/grpc/rpc-failure.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'
import { keyFields, newAppKeys } from './app-client.ts'
import { OTP_CODE, startEntityHarness, TEST_PHONE, type EntityHarness } from './entity-harness.ts'

// Every RPC's missing, malformed and oversized input answers relay-wire.md §4's status and exact
// details text over the wire, and nothing is stored or answered INTERNAL.

const files = await tempStoreFiles('relay-grpc-inputs')
const US_NUMBER = '+12024561111'
let harness: EntityHarness
before(async () => { harness = await startEntityHarness(await openStore(files.next()), [TEST_PHONE, US_NUMBER]) })
after(async () => { await harness.close() })

const keys = keyFields(newAppKeys())
const create = { country_code: 'CM', phone_number: TEST_PHONE, password: 'Str0ng!pass', ...keys }
const invalid = (details: string): { code: number, details: string } => ({ code: status.INVALID_ARGUMENT, details })

test('CreateEntity: missing fields, numbers, country codes, e-mail, keys and passwords', async () => {
  const cases: Array<[Record<string, unknown>, { code: number, details: string }]> = [
    [{ ...create, country_code: '' }, invalid('Missing required field: country_code')],
    [{ ...create, phone_number: ' \n' }, invalid('Missing required field: phone_number or email_address')],
    [{ ...create, password: '' }, invalid('Missing required field: password')],
    [{ ...create, client_publish_pub_key: '' }, invalid('Missing required field: client_publish_pub_key')],
    [{ ...create, client_device_id_pub_key: '' }, invalid('Missing required field: client_device_id_pub_key')],
    [{ ...create, country_code: 'NG' }, invalid('The phone number does not match the provided country code NG. Expected country code is CM.')],
    [{ ...create, country_code: 'CAN' }, invalid('The phone number does not match the provided country code CAN. Expected country code is CM.')],
    [{ ...create, country_code: 'X'.repeat(10_000) }, invalid('The phone number does not match the provided country code XXXXXXXX. Expected country code is unknown.')],
    [{ ...create, phone_number: '+999' }, invalid('The phone number is invalid. Missing or invalid default region.')],
    [{ ...create, phone_number: 'abc' }, invalid('The phone number is invalid. The string supplied did not seem to be a phone number.')],
    [{ ...create, phone_number: '+2376500000011111' }, invalid('The phone number is invalid. The string supplied did not seem to be a phone number.')],
    [{ ...create, phone_number: '+237'.padEnd(5000, '1') }, invalid('The phone number is invalid. The string supplied is too long to be a phone number.')],
    [{ ...create, email_address: 'not an address' }, invalid('Invalid email address format.')],
    [{ ...create, email_address: `${'a'.repeat(400)}@example.org` }, invalid('Invalid email address format.')],
    [{ ...create, client_publish_pub_key: 'not*base64' }, invalid('The client_publish_pub_key field has an Invalid base64 encoding.')],
    [{ ...create, client_device_id_pub_key: Buffer.alloc(31, 1).toString('base64') }, invalid('The client_device_id_pub_key field has an Invalid X25519 public key: An X25519 public key is 32 bytes long.')],
    [{ ...create, client_publish_pub_key: Buffer.alloc(32).toString('base64') }, invalid('The client_publish_pub_key field has an Invalid X25519 public key: it is a low-order point.')],
    [{ ...create, client_publish_pub_key: 'A'.repeat(20_000) }, invalid('The client_publish_pub_key field has an Invalid base64 encoding.')],
    [{ ...create, password: 'Sh0rt!' }, invalid('Password must be at least 8 characters long')],
    [{ ...create, password: 'NOLOWER1!' }, invalid('Password must include at least one lowercase letter (a-z)')],
    [{ ...create, password: 'noupper1!' }, invalid('Password must include at least one uppercase letter (A-Z)')],
    [{ ...create, password: 'NoNumber!' }, invalid('Password must include at least one number (0-9)')],
    [{ ...create, password: 'NoSpecial1' }, invalid('Password must include at least one special character from the following set: !@#$%^&*()_+-=')],
    [{ ...create, password: `Aa1!${'x'.repeat(600)}` }, invalid('Password must be at most 512 characters long')],
    [{ ...create, ownership_proof_response: '9'.repeat(1000) }, { code: status.UNAUTHENTICATED, details: 'Incorrect OTP. Try again.' }],
    [{ ...create, phone_number: '+33612345678', country_code: 'FR' }, invalid('Failed to send OTP. Try again.')],
    [{ ...create, phone_number: '+33612345678', country_code: 'FR', ownership_proof_response: OTP_CODE }, { code: status.UNAUTHENTICATED, details: 'OTP not initiated. Request a new OTP first.' }]
  ]
  for (const [request, expected] of cases) assert.deepEqual(await harness.failure('CreateEntity', request), expected, JSON.stringify(request).slice(0, 200))
  assert.equal((await harness.call.CreateEntity({ ...create, phone_number: US_NUMBER, country_code: 'CA' })).requires_ownership_proof, true, 'CA is accepted for US numbers')
  assert.equal(await harness.vault.accounts.count(), 0)
  assert.deepEqual(harness.internalErrors, [])
})

test('AuthenticateEntity and ResetPassword: missing fields, bad keys on the completing step', async () => {
  const cases: Array<['AuthenticateEntity' | 'ResetPassword', Record<string, unknown>, { code: number, details: string }]> = [
    ['AuthenticateEntity', {}, invalid('Missing required field: phone_number or email_address')],
    ['AuthenticateEntity', { phone_number: TEST_PHONE }, invalid('Missing required field: password')],
    ['AuthenticateEntity', { phone_number: TEST_PHONE, password: 'x', ownership_proof_response: OTP_CODE }, invalid('Missing required field: client_publish_pub_key')],
    ['AuthenticateEntity', { phone_number: TEST_PHONE, password: 'x', ...keys, client_device_id_pub_key: '%%%%', ownership_proof_response: OTP_CODE }, invalid('The client_device_id_pub_key field has an Invalid base64 encoding.')],
    ['AuthenticateEntity', { email_address: 'a@b', password: 'x' }, invalid('Invalid email address format.')],
    ['AuthenticateEntity', { email_address: 'nobody@example.org', password: 'x' }, { code: status.NOT_FOUND, details: 'Entity with this email_address not found.' }],
    ['ResetPassword', { phone_number: TEST_PHONE }, invalid('Missing required field: new_password')],
    ['ResetPassword', { phone_number: TEST_PHONE, new_password: 'Str0ng!pass', ownership_proof_response: OTP_CODE, ...keys, client_publish_pub_key: '' }, invalid('Missing required field: client_publish_pub_key')],
    ['ResetPassword', { email_address: 'nobody@example.org', new_password: 'Str0ng!pass' }, { code: status.NOT_FOUND, details: 'Entity with this email_address not found.' }]
  ]
  for (const [rpc, request, expected] of cases) assert.deepEqual(await harness.failure(rpc, request), expected, `${rpc} ${JSON.stringify(request)}`)
  assert.deepEqual(harness.internalErrors, [])
})

test('the token RPCs: missing, malformed, oversized and unknown tokens', async () => {
  const tokens = ['garbage', `${'0'.repeat(32)}:not.a.jwt`, `${'f'.repeat(32)}:${'x'.repeat(5000)}`, ':', 'G'.repeat(32) + ':a.b.c']
  for (const rpc of ['ListEntityStoredTokens', 'DeleteEntity'] as const) {
    assert.deepEqual(await harness.failure(rpc, {}), invalid('Missing required field: long_lived_token'))
    for (const token of tokens) assert.deepEqual(await harness.failure(rpc, { long_lived_token: token }), { code: status.UNAUTHENTICATED, details: INVALID_TOKEN_DETAILS })
  }
  assert.deepEqual(await harness.failure('UpdateEntityPassword', { long_lived_token: 'garbage', new_password: 'N3w!password' }), invalid('Missing required field: current_password'))
  assert.deepEqual(await harness.failure('UpdateEntityPassword', { long_lived_token: 'garbage', current_password: 'x' }), invalid('Missing required field: new_password'))
  assert.deepEqual(await harness.failure('UpdateEntityPassword', { long_lived_token: 'garbage', current_password: 'x', new_password: 'N3w!password' }), { code: status.UNAUTHENTICATED, details: INVALID_TOKEN_DETAILS })
  assert.deepEqual(harness.internalErrors, [])
})

test('a request over the size bound is refused by the transport, and the server keeps serving', async () => {
  const refused = await harness.failure('CreateEntity', { ...create, captcha_token: 'x'.repeat(MAX_REQUEST_BYTES + 1) })
  assert.equal(refused.code, status.RESOURCE_EXHAUSTED)
  assert.deepEqual(await harness.failure('ListEntityStoredTokens', {}), invalid('Missing required field: long_lived_token'))
})
