import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { describe, test } from 'node:test'
import { relayDiagnosticsChannels } from '../../../src/domain/relay-diagnostics-channels.ts'
import { INVALID_TOKEN_DETAILS } from '../../../src/relay/grpc/rpc-failure.ts'
import { computeDeviceId } from '../../../src/relay/vault/index.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { TEST_PHONE } from './entity-harness.ts'
import { signUp, startInternalHarness } from './entity-internal-harness.ts'

// vault.v1.EntityInternal's tokens over a real grpc-js client on both stores (relay-wire.md §2,
// §4): the publisher's store, get, update and delete, the app's ListEntityStoredTokens (with
// migrate_to_device, as upstream's list_tokens: OAuth2 tokens handed over once and dropped from
// the server's copy), DeleteEntity refused while tokens remain, and every error text.

const kinds = await storeKinds('relay-internal-tokens')
const GMAIL_ACCOUNT = 'alice@gmail.example'
const TELEGRAM_ACCOUNT = '+237650000009'
const GMAIL_TOKEN = { access_token: 'ya29.first-access', refresh_token: '1//first-refresh', id_token: 'eyJ.first-id', expires_at: 1767225600, scope: ['mail.send'] }
const TELEGRAM_TOKEN = { session: 'telegram-session-string' }
const unsupported = (platform: string): string => `The platform '${platform}' is currently not supported. Please contact the developers for more information on when this platform will be implemented.`

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('store, get by long-lived token, device id or phone number, update, list (migrate_to_device false, then true) and delete; DeleteEntity waits for the tokens to go', async () => {
      const harness = await startInternalHarness(await kind.open())
      const outcomes: unknown[] = []
      const onRpc = (message: unknown): void => { outcomes.push(message) }
      subscribe(relayDiagnosticsChannels.rpc, onRpc)
      const { keys, app } = await signUp(harness)
      const deviceId = computeDeviceId(app.deviceSecret, TEST_PHONE, keys.deviceId.publicKey).toString('hex')
      const stored = { message: 'Token stored successfully.', success: true }
      assert.deepEqual(await harness.call('StoreEntityToken', { long_lived_token: app.token, token: JSON.stringify({ ...GMAIL_TOKEN, access_token: 'replaced soon' }), platform: 'gmail', account_identifier: GMAIL_ACCOUNT }), stored)
      assert.deepEqual(await harness.call('StoreEntityToken', { long_lived_token: app.token, token: JSON.stringify(GMAIL_TOKEN), platform: 'gmail', account_identifier: GMAIL_ACCOUNT }), stored, 'storing again replaces')
      assert.deepEqual(await harness.call('StoreEntityToken', { long_lived_token: app.token, token: JSON.stringify(TELEGRAM_TOKEN), platform: 'telegram', account_identifier: TELEGRAM_ACCOUNT }), stored)

      const fetched = { token: JSON.stringify(GMAIL_TOKEN), message: 'Successfully fetched tokens.', success: true }
      const gmail = { platform: 'gmail', account_identifier: GMAIL_ACCOUNT }
      assert.deepEqual(await harness.call('GetEntityAccessToken', { long_lived_token: app.token, ...gmail }), fetched)
      assert.deepEqual(await harness.call('GetEntityAccessToken', { device_id: deviceId, ...gmail }), fetched)
      assert.deepEqual(await harness.call('GetEntityAccessToken', { phone_number: TEST_PHONE, platform: 'Gmail', account_identifier: ` ${GMAIL_ACCOUNT}\n` }), fetched, 'the platform in any case, the identifier stripped, as upstream compares them')
      assert.deepEqual(await harness.call('GetEntityAccessToken', { long_lived_token: 'x:y', device_id: deviceId, ...gmail }).catch((error: { details: string }) => error.details), INVALID_TOKEN_DETAILS, 'a long-lived token given is the selector, even beside a device id')

      const refreshed = { ...GMAIL_TOKEN, access_token: 'ya29.second-access' }
      assert.deepEqual(await harness.call('UpdateEntityToken', { device_id: deviceId, token: JSON.stringify(refreshed), ...gmail }), { message: 'Token updated successfully.', success: true })
      assert.equal((await harness.call('GetEntityAccessToken', { device_id: deviceId, ...gmail })).token, JSON.stringify(refreshed))
      assert.deepEqual(await harness.call('UpdateEntityToken', { phone_number: TEST_PHONE, token: JSON.stringify(GMAIL_TOKEN), ...gmail }), { message: 'Token updated successfully.', success: true })

      const list = async (migrate: boolean): Promise<unknown> => await harness.entity.call.ListEntityStoredTokens({ long_lived_token: app.token, migrate_to_device: migrate })
      const telegram = { platform: 'telegram', account_identifier: TELEGRAM_ACCOUNT, account_tokens: {}, is_stored_on_device: false }
      assert.deepEqual(await list(false), { stored_tokens: [{ ...gmail, account_tokens: {}, is_stored_on_device: false }, telegram], message: 'Tokens retrieved successfully.' })
      assert.deepEqual(await harness.entity.failure('DeleteEntity', { long_lived_token: app.token }), {
        code: status.FAILED_PRECONDITION,
        details: `You cannot delete entity because it still has stored tokens. Revoke stored tokens with the following platforms and try again: {'account_identifier': '${GMAIL_ACCOUNT}', 'platform': 'gmail'}; {'account_identifier': '${TELEGRAM_ACCOUNT}', 'platform': 'telegram'}.`
      })

      const handed = { access_token: GMAIL_TOKEN.access_token, refresh_token: GMAIL_TOKEN.refresh_token, id_token: GMAIL_TOKEN.id_token }
      assert.deepEqual((await list(true) as { stored_tokens: unknown }).stored_tokens, [{ ...gmail, account_tokens: handed, is_stored_on_device: false }, telegram], 'OAuth2 tokens are handed over; PNBA ones are not')
      assert.deepEqual(JSON.parse(String((await harness.call('GetEntityAccessToken', { device_id: deviceId, ...gmail })).token)), { expires_at: GMAIL_TOKEN.expires_at, scope: GMAIL_TOKEN.scope }, 'the server\'s copy keeps the rest')
      assert.deepEqual((await list(false) as { stored_tokens: unknown }).stored_tokens, [{ ...gmail, account_tokens: {}, is_stored_on_device: true }, telegram])
      assert.deepEqual((await list(true) as { stored_tokens: unknown }).stored_tokens, [{ ...gmail, account_tokens: { access_token: '', refresh_token: '', id_token: '' }, is_stored_on_device: true }, telegram])

      assert.deepEqual(await harness.call('DeleteEntityToken', { long_lived_token: app.token, ...gmail }), { message: 'Token deleted successfully.', success: true })
      assert.deepEqual(await harness.failure('DeleteEntityToken', { long_lived_token: app.token, ...gmail }), { code: status.NOT_FOUND, details: `No token found with account identifier ${GMAIL_ACCOUNT} for gmail` })
      assert.deepEqual(await harness.call('DeleteEntityToken', { long_lived_token: app.token, platform: 'telegram', account_identifier: TELEGRAM_ACCOUNT }), { message: 'Token deleted successfully.', success: true })
      assert.deepEqual(await harness.entity.call.DeleteEntity({ long_lived_token: app.token }), { message: 'Entity deleted successfully.', success: true })
      unsubscribe(relayDiagnosticsChannels.rpc, onRpc)
      for (const method of ['StoreEntityToken', 'GetEntityAccessToken', 'UpdateEntityToken', 'DeleteEntityToken']) assert.ok(outcomes.some(message => JSON.stringify(message) === JSON.stringify({ method, code: 'OK' })), `${method} is counted`)
      assert.ok(outcomes.some(message => JSON.stringify(message) === JSON.stringify({ method: 'DeleteEntityToken', code: 'NOT_FOUND' })))
      assert.deepEqual(harness.internalErrors, [])
      await harness.close()
    })

    test('every error text: missing fields in upstream\'s order, unknown accounts, unsupported platforms, no token, bridges', async () => {
      const harness = await startInternalHarness(await kind.open())
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
  })
}
