import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_INTERNAL_REQUEST_BYTES } from '../../../src/relay/grpc/grpc-server.ts'
import { MAX_REPLY_PLAINTEXT_BYTES } from '../../../src/relay/grpc/entity-internal/payload-rpcs.ts'
import { INVALID_TOKEN_DETAILS } from '../../../src/relay/grpc/rpc-failure.ts'
import { MAX_ACCOUNT_IDENTIFIER_BYTES, MAX_PLATFORM_TOKEN_BYTES, MAX_PLATFORM_TOKEN_DEPTH } from '../../../src/relay/vault/platform-tokens.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'
import { TEST_PHONE } from './entity-harness.ts'
import { signUp, startInternalHarness } from './entity-internal-harness.ts'
import { payloadExchange, tokenLifecycle } from './entity-internal-scenarios.ts'

// vault.v1.EntityInternal over a real grpc-js client on a SQLite store (relay-wire.md §2, §4): the
// token and payload scenarios (also run on PostgreSQL, entity-internal-postgres.test.ts), every
// error text, and hostile inputs answered with the contract's errors, never INTERNAL.

const files = await tempStoreFiles('relay-internal')
const unsupported = (platform: string): string => `The platform '${platform}' is currently not supported. Please contact the developers for more information on when this platform will be implemented.`

test('tokens: store, get by long-lived token, device id or phone number, update, list (migrate_to_device false, then true) and delete; DeleteEntity waits for the tokens to go', async () => {
  await tokenLifecycle(async () => await openStore(files.next()))
})

test('payloads: the app\'s messages decrypt by device id or phone number, replies open on the app, and a forged or replayed message changes nothing', async () => {
  await payloadExchange(async () => await openStore(files.next()))
})

test('every error text: missing fields in upstream\'s order, unknown accounts, unsupported platforms, no token, bridges', async () => {
  const harness = await startInternalHarness(await openStore(files.next()))
  const { app } = await signUp(harness)
  const missing = async (rpc: string, request: Record<string, unknown>): Promise<string> => {
    const failure = await harness.failure(rpc, request)
    assert.equal(failure.code, status.INVALID_ARGUMENT)
    return failure.details.replace('Missing required field: ', '')
  }
  const llt = { long_lived_token: app.token }
  assert.deepEqual([
    await missing('StoreEntityToken', {}), await missing('StoreEntityToken', llt), await missing('StoreEntityToken', { ...llt, token: '{}' }), await missing('StoreEntityToken', { ...llt, token: '{}', platform: 'gmail' }),
    await missing('GetEntityAccessToken', { platform: 'gmail' }), await missing('GetEntityAccessToken', { phone_number: TEST_PHONE }), await missing('GetEntityAccessToken', { device_id: 'x', platform: 'gmail' }),
    await missing('UpdateEntityToken', { long_lived_token: app.token, token: '{}' }), await missing('UpdateEntityToken', { phone_number: TEST_PHONE }), await missing('UpdateEntityToken', { phone_number: TEST_PHONE, token: '{}' }), await missing('UpdateEntityToken', { phone_number: TEST_PHONE, token: '{}', platform: 'gmail' }),
    await missing('DeleteEntityToken', {}), await missing('DeleteEntityToken', llt), await missing('DeleteEntityToken', { ...llt, platform: 'gmail' }),
    await missing('DecryptPayload', { payload_ciphertext: 'AAAA' }), await missing('DecryptPayload', { phone_number: TEST_PHONE }),
    await missing('EncryptPayload', { payload_plaintext: 'x' }), await missing('EncryptPayload', { device_id: 'x' }),
    await missing('CreateBridgeEntity', {}), await missing('CreateBridgeEntity', { country_code: 'CM' }), await missing('CreateBridgeEntity', { country_code: 'CM', phone_number: TEST_PHONE }), await missing('CreateBridgeEntity', { country_code: 'CM', phone_number: TEST_PHONE, client_publish_pub_key: 'x' }),
    await missing('AuthenticateBridgeEntity', { language: 'en' })
  ], [
    'long_lived_token', 'token', 'platform', 'account_identifier',
    'device_id or long_lived_token or phone_number', 'platform', 'account_identifier',
    'device_id or phone_number', 'token', 'platform', 'account_identifier',
    'long_lived_token', 'platform', 'account_identifier',
    'device_id or phone_number', 'payload_ciphertext',
    'device_id or phone_number', 'payload_plaintext',
    'country_code', 'phone_number', 'client_publish_pub_key', 'server_pub_key_identifier',
    'phone_number'
  ])

  const gmail = { platform: 'gmail', account_identifier: 'bob@gmail.example' }
  const invalidToken = { code: status.UNAUTHENTICATED, details: INVALID_TOKEN_DETAILS }
  assert.deepEqual(await harness.failure('StoreEntityToken', { long_lived_token: 'not a token', token: '{}', ...gmail }), invalidToken)
  assert.deepEqual(await harness.failure('DeleteEntityToken', { long_lived_token: `${app.token.slice(0, -2)}xx`, ...gmail }), invalidToken)
  for (const deviceId of ['00'.repeat(32), 'not hex']) {
    const unknown = { code: status.UNAUTHENTICATED, details: `Entity associated with device ID '${deviceId}' not found. Please log in again to obtain a valid device ID.` }
    assert.deepEqual(await harness.failure('GetEntityAccessToken', { device_id: deviceId, ...gmail }), unknown)
    assert.deepEqual(await harness.failure('UpdateEntityToken', { device_id: deviceId, token: '{}', ...gmail }), unknown)
    assert.deepEqual(await harness.failure('DecryptPayload', { device_id: deviceId, payload_ciphertext: 'AAAA' }), unknown)
    assert.deepEqual(await harness.failure('EncryptPayload', { device_id: deviceId, payload_plaintext: 'x' }), unknown)
  }
  const unknownPhone = { code: status.UNAUTHENTICATED, details: 'Entity associated with phone number \'+237650000002\' not found. Please check your phone number and try again.' }
  assert.deepEqual(await harness.failure('GetEntityAccessToken', { phone_number: '+237650000002', ...gmail }), unknownPhone)
  assert.deepEqual(await harness.failure('DecryptPayload', { phone_number: '+237650000002', payload_ciphertext: 'AAAA' }), unknownPhone)

  const myspace = { platform: 'MySpace', account_identifier: 'bob' }
  assert.deepEqual(await harness.failure('StoreEntityToken', { ...llt, token: '{}', ...myspace }), { code: status.UNIMPLEMENTED, details: unsupported('MySpace') })
  assert.deepEqual(await harness.failure('GetEntityAccessToken', { phone_number: TEST_PHONE, ...myspace }), { code: status.UNIMPLEMENTED, details: unsupported('MySpace') })
  assert.deepEqual(await harness.failure('DeleteEntityToken', { ...llt, ...myspace }), { code: status.UNIMPLEMENTED, details: unsupported('MySpace') })
  assert.deepEqual(await harness.failure('UpdateEntityToken', { phone_number: TEST_PHONE, token: '{}', ...myspace }), { code: status.NOT_FOUND, details: 'No token found with account identifier bob for MySpace' }, 'upstream\'s update does not check the platform')
  assert.deepEqual(await harness.failure('GetEntityAccessToken', { phone_number: TEST_PHONE, ...gmail }), { code: status.NOT_FOUND, details: 'No token found with account identifier bob@gmail.example for gmail' })
  assert.deepEqual(await harness.failure('UpdateEntityToken', { phone_number: TEST_PHONE, token: '{}', ...gmail }), { code: status.NOT_FOUND, details: 'No token found with account identifier bob@gmail.example for gmail' })

  const bridge = { country_code: 'CM', phone_number: TEST_PHONE, client_publish_pub_key: Buffer.alloc(32, 9).toString('base64'), server_pub_key_identifier: '0' }
  assert.deepEqual(await harness.failure('CreateBridgeEntity', bridge), { code: status.NOT_FOUND, details: 'The server public key identifier \'0\' for version  is not found.' })
  assert.deepEqual(await harness.failure('CreateBridgeEntity', { ...bridge, server_pub_key_version: 'v1' }), { code: status.NOT_FOUND, details: 'The server public key identifier \'0\' for version v1 is not found.' })
  assert.deepEqual(await harness.failure('CreateBridgeEntity', { ...bridge, country_code: 'NG' }), { code: status.INVALID_ARGUMENT, details: 'The phone number does not match the provided country code NG. Expected country code is CM.' })
  assert.deepEqual(await harness.failure('CreateBridgeEntity', { ...bridge, client_publish_pub_key: 'AAAA' }), { code: status.INVALID_ARGUMENT, details: 'The client_publish_pub_key field has an Invalid X25519 public key: An X25519 public key is 32 bytes long.' })
  assert.deepEqual(await harness.failure('AuthenticateBridgeEntity', { phone_number: '+237650000002' }), { code: status.NOT_FOUND, details: 'Bridge Entity with this phone number not found.' })
  assert.deepEqual(await harness.failure('AuthenticateBridgeEntity', { phone_number: TEST_PHONE, language: 'fr' }), { code: status.UNAUTHENTICATED, details: 'Bridges are not enabled for Entity with this phone number.' })
  assert.deepEqual(harness.internalErrors, [])
  await harness.close()
})

test('hostile inputs are the contract\'s errors, never INTERNAL: bad base64, bad framing, oversized payload, token and identifier, bad JSON, unknown platform', async () => {
  const harness = await startInternalHarness(await openStore(files.next()))
  const { app } = await signUp(harness)
  const decrypt = async (payload: string): Promise<{ code: number, details: string }> => await harness.failure('DecryptPayload', { phone_number: TEST_PHONE, payload_ciphertext: payload })
  const decodingError = (details: string): { code: number, details: string } => ({ code: status.INVALID_ARGUMENT, details: `Error Decoding Content: ${details}` })
  assert.deepEqual(await decrypt('not base64!'), decodingError('Invalid base64-encoded string.'))
  assert.deepEqual(await decrypt('AAA='), decodingError('ratchet message of 2 bytes is too short'))
  const wrongLength = Buffer.alloc(80)
  wrongLength.writeInt32LE(-1)
  assert.deepEqual(await decrypt(wrongLength.toString('base64')), decodingError('ratchet header length is -1, not 40'))
  assert.deepEqual(await decrypt('A'.repeat(90_000)), decodingError('the payload is longer than 65580 bytes.'))
  const garbage = await decrypt(Buffer.alloc(200, 0x41).fill(0, 0, 4).fill(40, 0, 1).toString('base64'))
  assert.equal(garbage.code, status.INVALID_ARGUMENT)
  assert.match(garbage.details, /^Error Decrypting Content: /)
  assert.deepEqual(await harness.failure('EncryptPayload', { phone_number: TEST_PHONE, payload_plaintext: 'x'.repeat(MAX_REPLY_PLAINTEXT_BYTES + 1) }), { code: status.INVALID_ARGUMENT, details: `Error Encrypting Content: the plaintext is longer than ${MAX_REPLY_PLAINTEXT_BYTES} bytes.` })
  assert.deepEqual(await harness.failure('EncryptPayload', { phone_number: TEST_PHONE, payload_plaintext: 'too early' }), { code: status.INVALID_ARGUMENT, details: 'Error Encrypting Content: the ratchet has no sending chain yet: the responder can reply only after a first message' }, 'nothing was received yet (every message above was refused)')

  const store = (fields: Record<string, unknown>): Record<string, unknown> => ({ long_lived_token: app.token, platform: 'gmail', account_identifier: 'bob@gmail.example', token: '{"access_token":"a"}', ...fields })
  const notObject = { code: status.INVALID_ARGUMENT, details: 'The token field is not a JSON object.' }
  assert.deepEqual(await harness.failure('StoreEntityToken', store({ token: `{"access_token":"${'a'.repeat(MAX_PLATFORM_TOKEN_BYTES)}"}` })), { code: status.INVALID_ARGUMENT, details: `The token field is longer than ${MAX_PLATFORM_TOKEN_BYTES} bytes.` })
  for (const token of ['{', 'null', '[1]', '"text"', '{"a":1}x']) assert.deepEqual(await harness.failure('StoreEntityToken', store({ token })), notObject, token)
  const deep = (levels: number): string => `{"access_token":"a","x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`
  assert.deepEqual(await harness.failure('StoreEntityToken', store({ token: deep(8000) })), { code: status.INVALID_ARGUMENT, details: `The token field nests deeper than ${MAX_PLATFORM_TOKEN_DEPTH} levels.` })
  assert.deepEqual(await harness.call('StoreEntityToken', store({ account_identifier: 'deep@gmail.example', token: deep(MAX_PLATFORM_TOKEN_DEPTH) })), { message: 'Token stored successfully.', success: true })
  assert.equal((await harness.entity.call.ListEntityStoredTokens({ long_lived_token: app.token, migrate_to_device: true })).message, 'Tokens retrieved successfully.', 'the deepest token allowed is written back')
  assert.deepEqual(await harness.failure('StoreEntityToken', store({ account_identifier: 'é'.repeat(MAX_ACCOUNT_IDENTIFIER_BYTES / 2 + 1) })), { code: status.INVALID_ARGUMENT, details: `The account_identifier field is longer than ${MAX_ACCOUNT_IDENTIFIER_BYTES} bytes.` })
  assert.deepEqual(await harness.failure('StoreEntityToken', store({ platform: '../gmail' })), { code: status.UNIMPLEMENTED, details: 'The platform \'../gmail\' is currently not supported. Please contact the developers for more information on when this platform will be implemented.' })
  assert.deepEqual(await harness.call('StoreEntityToken', store({})), { message: 'Token stored successfully.', success: true })
  assert.deepEqual(await harness.failure('UpdateEntityToken', { phone_number: TEST_PHONE, platform: 'gmail', account_identifier: 'bob@gmail.example', token: '[]' }), notObject)
  assert.equal((await harness.call('GetEntityAccessToken', { phone_number: TEST_PHONE, platform: 'gmail', account_identifier: 'bob@gmail.example' })).token, '{"access_token":"a"}', 'nothing refused was stored')
  const tooLarge = await harness.failure('StoreEntityToken', store({ token: 'x'.repeat(MAX_INTERNAL_REQUEST_BYTES) }))
  assert.equal(tooLarge.code, status.RESOURCE_EXHAUSTED, 'grpc-js refuses a request over the server\'s bound before any handler')
  assert.deepEqual(harness.internalErrors, [])
  await harness.close()
})
