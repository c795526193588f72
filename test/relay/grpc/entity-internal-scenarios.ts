import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { relayDiagnosticsChannels } from '../../../src/domain/relay-diagnostics-channels.ts'
import { INVALID_TOKEN_DETAILS } from '../../../src/relay/grpc/rpc-failure.ts'
import { computeDeviceId } from '../../../src/relay/vault/index.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { TEST_PHONE } from './entity-harness.ts'
import { signUp, startInternalHarness } from './entity-internal-harness.ts'

// vault.v1.EntityInternal's scenarios over a real grpc-js client and a store of any kind: run on
// SQLite by entity-internal.test.ts and on PostgreSQL by entity-internal-postgres.test.ts.

const GMAIL_ACCOUNT = 'alice@gmail.example'
const TELEGRAM_ACCOUNT = '+237650000009'
const GMAIL_TOKEN = { access_token: 'ya29.first-access', refresh_token: '1//first-refresh', id_token: 'eyJ.first-id', expires_at: 1767225600, scope: ['mail.send'] }
const TELEGRAM_TOKEN = { session: 'telegram-session-string' }

/**
 * The tokens of an account over EntityInternal (relay-wire.md §2, §4): the publisher's store,
 * get by long-lived token, device id and phone number, update and delete; the app's
 * ListEntityStoredTokens with migrate_to_device as upstream's list_tokens (OAuth2 tokens handed
 * over once, dropped from the server's copy); DeleteEntity refused while tokens remain; each
 * answer counted by method and status.
 */
export async function tokenLifecycle (open: () => Promise<EmbeddedStore>): Promise<void> {
  const harness = await startInternalHarness(await open())
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
}

/**
 * DecryptPayload and EncryptPayload over EntityInternal: a message made by our initiator (the
 * app's side of relay.md §3) decrypts by device id and by number, a server reply opens on the
 * app's side, forged and replayed messages are refused and change nothing stored.
 */
export async function payloadExchange (open: () => Promise<EmbeddedStore>): Promise<void> {
  const harness = await startInternalHarness(await open())
  const { keys, app } = await signUp(harness)
  const deviceId = computeDeviceId(app.deviceSecret, TEST_PHONE, keys.deviceId.publicKey).toString('hex')
  const first = app.send('first message')
  // Android's Base64.DEFAULT wraps at 76 characters and ends with a line feed.
  const wrapped = `${(first.toString('base64').match(/.{1,76}/g) ?? []).join('\n')}\n`
  assert.deepEqual(await harness.call('DecryptPayload', { device_id: deviceId, payload_ciphertext: wrapped }), {
    payload_plaintext: Buffer.from('first message').toString('base64'), message: 'Successfully decrypted payload', success: true, country_code: 'CM'
  })
  const replayed = await harness.failure('DecryptPayload', { device_id: deviceId, payload_ciphertext: first.toString('base64') })
  assert.equal(replayed.code, status.INVALID_ARGUMENT)
  assert.match(replayed.details, /^Error Decrypting Content: ratchet message 0 was already received/)

  const second = app.send('second message')
  const forged = Buffer.from(second)
  forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 1
  const refused = await harness.failure('DecryptPayload', { phone_number: TEST_PHONE, payload_ciphertext: forged.toString('base64') })
  assert.equal(refused.code, status.INVALID_ARGUMENT)
  assert.match(refused.details, /^Error Decrypting Content: /)
  assert.equal(Buffer.from(String((await harness.call('DecryptPayload', { phone_number: TEST_PHONE, payload_ciphertext: second.toString('base64') })).payload_plaintext), 'base64').toString(), 'second message', 'the forgery changed nothing')

  const reply = await harness.call('EncryptPayload', { device_id: deviceId, payload_plaintext: 'réponse ✓' })
  assert.deepEqual({ ...reply, payload_ciphertext: undefined }, { payload_ciphertext: undefined, message: 'Successfully encrypted payload.', success: true })
  assert.equal(app.receive(Buffer.from(String(reply.payload_ciphertext), 'base64')).toString('utf8'), 'réponse ✓')
  const another = await harness.call('EncryptPayload', { phone_number: TEST_PHONE, payload_plaintext: 'again' })
  assert.equal(app.receive(Buffer.from(String(another.payload_ciphertext), 'base64')).toString(), 'again')
  assert.equal(Buffer.from(String((await harness.call('DecryptPayload', { device_id: deviceId, payload_ciphertext: app.send('third').toString('base64') })).payload_plaintext), 'base64').toString(), 'third', 'the app answers after the replies')
  assert.deepEqual(harness.internalErrors, [])
  await harness.close()
}
