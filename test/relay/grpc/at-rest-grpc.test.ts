import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { describe, test } from 'node:test'
import { storeKinds, withAdmin } from '../../store/store-kinds.ts'
import { completeOnApp, keyFields, newAppKeys } from './app-client.ts'
import { OTP_CODE, startEntityHarness, TEST_EMAIL, TEST_PHONE } from './entity-harness.ts'

// Issue 11 "Sealed at rest", through the RPCs: after sign-ups, a login, a failed password, an OTP
// request (rate-limit rows) and a message, no table holds a phone number, e-mail address,
// password, long-lived token or device secret in clear, in raw, hex or base64 form.

const kinds = await storeKinds('relay-grpc-at-rest')
const PASSWORD = 'Str0ng!pass'

function inClear (haystack: Buffer, secrets: readonly Buffer[]): string[] {
  return secrets.flatMap(secret => [secret, Buffer.from(secret.toString('hex')), Buffer.from(secret.toString('base64'))])
    .filter(form => haystack.includes(form)).map(form => form.toString('utf8').slice(0, 24))
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('after a session over gRPC, the relay tables hold no identifier, password, token or device secret in clear', async () => {
      const location = await kind.newLocation()
      const harness = await startEntityHarness(await kind.open(location))
      const phoneKeys = newAppKeys()
      const phone = completeOnApp(phoneKeys, await harness.call.CreateEntity({ country_code: 'CM', phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(phoneKeys), ownership_proof_response: OTP_CODE }))
      const emailKeys = newAppKeys()
      const email = completeOnApp(emailKeys, await harness.call.CreateEntity({ country_code: 'CM', email_address: TEST_EMAIL, password: PASSWORD, ...keyFields(emailKeys), ownership_proof_response: OTP_CODE }))
      await harness.failure('AuthenticateEntity', { phone_number: TEST_PHONE, password: 'Wr0ng!password' })
      await harness.call.AuthenticateEntity({ email_address: TEST_EMAIL, password: PASSWORD })
      const loginKeys = newAppKeys()
      const login = await harness.call.AuthenticateEntity({ phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(loginKeys), ownership_proof_response: OTP_CODE })
      const again = completeOnApp(loginKeys, login)
      // Left counted: the e-mail account's OTP window and a failed password.
      await harness.failure('AuthenticateEntity', { email_address: TEST_EMAIL, password: 'Wr0ng!password' })
      await harness.close()

      const secrets: Buffer[] = [TEST_PHONE, TEST_EMAIL, PASSWORD, 'Wr0ng!password', phone.token, email.token, again.token, String(login.long_lived_token)].map(text => Buffer.from(text))
      secrets.push(phone.deviceSecret, email.deviceSecret, again.deviceSecret, phoneKeys.deviceId.publicKey, loginKeys.publish.publicKey)
      let raw: Buffer
      if (kind.name === 'sqlite') {
        raw = Buffer.concat(await Promise.all([location, `${location}-wal`].filter(file => existsSync(file)).map(async file => await readFile(file))))
        assert.ok(raw.includes(Buffer.from('relay_limits')), 'the file holds the limits table')
      } else {
        const rows = await withAdmin(async admin => [
          ...(await admin.query('SELECT * FROM smsgw_relay_entities')).rows,
          ...(await admin.query('SELECT * FROM smsgw_relay_limits')).rows
        ], location)
        assert.equal(rows.length, 4, 'two accounts and two limit rows')
        raw = Buffer.concat(rows.flatMap(row => Object.values(row).map(value => Buffer.isBuffer(value) ? value : Buffer.from(String(value)))))
      }
      assert.deepEqual(inClear(raw, secrets), [])
    })
  })
}
