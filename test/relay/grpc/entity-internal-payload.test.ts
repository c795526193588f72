import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MAX_INTERNAL_REQUEST_BYTES } from '../../../src/relay/grpc/grpc-server.ts'
import { MAX_REPLY_PLAINTEXT_BYTES } from '../../../src/relay/grpc/entity-internal/payload-rpcs.ts'
import { MAX_ACCOUNT_IDENTIFIER_BYTES, MAX_PLATFORM_TOKEN_BYTES } from '../../../src/relay/vault/platform-tokens.ts'
import { computeDeviceId } from '../../../src/relay/vault/index.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { TEST_PHONE } from './entity-harness.ts'
import { signUp, startInternalHarness } from './entity-internal-harness.ts'

// DecryptPayload and EncryptPayload of vault.v1.EntityInternal over a real grpc-js client on both
// stores (relay-wire.md §2, §4): a message made by our initiator (the app's side of relay.md §3)
// decrypts, a reply encrypted by the server opens on the app's side; forged, replayed and
// malformed payloads and hostile token fields are the contract's INVALID_ARGUMENT, never INTERNAL,
// and change nothing stored.

const kinds = await storeKinds('relay-internal-payload')

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('the app\'s messages decrypt by device id or phone number, replies open on the app, and a forged or replayed message changes nothing', async () => {
      const harness = await startInternalHarness(await kind.open())
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
    })

    test('hostile inputs are the contract\'s errors, never INTERNAL: bad base64, bad framing, oversized payload, token and identifier, bad JSON, unknown platform', async () => {
      const harness = await startInternalHarness(await kind.open())
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

      const store = (fields: Record<string, unknown>): Record<string, unknown> => ({ long_lived_token: app.token, platform: 'gmail', account_identifier: 'bob@gmail.example', token: '{"access_token":"a"}', ...fields })
      const notObject = { code: status.INVALID_ARGUMENT, details: 'The token field is not a JSON object.' }
      assert.deepEqual(await harness.failure('StoreEntityToken', store({ token: `{"access_token":"${'a'.repeat(MAX_PLATFORM_TOKEN_BYTES)}"}` })), { code: status.INVALID_ARGUMENT, details: `The token field is longer than ${MAX_PLATFORM_TOKEN_BYTES} bytes.` })
      for (const token of ['{', 'null', '[1]', '"text"', '{"a":1}x']) assert.deepEqual(await harness.failure('StoreEntityToken', store({ token })), notObject, token)
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
  })
}
