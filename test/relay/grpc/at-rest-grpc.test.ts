import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { rowBytes, sqliteBytes } from '../../store/at-rest.ts'
import { storeKinds, withAdmin } from '../../store/store-kinds.ts'
import { completeOnApp, keyFields, newAppKeys } from './app-client.ts'
import { storedOtpSender } from '../../../src/relay/grpc/stored-otp-sender.ts'
import { emailOtpDelivery } from '../../../src/relay/otp/email-otp-delivery.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { startLoopbackSmtpServer, type LoopbackSmtpServer } from '../otp/loopback-smtp-server.ts'
import { OTP_CODE, startEntityHarness, TEST_EMAIL, TEST_PHONE, type EntityHarness } from './entity-harness.ts'

// Issue 11 "Sealed at rest", through the RPCs: after sign-ups, a login, a failed password, an OTP
// request (rate-limit rows), a real OTP mailed and tried with a wrong code (its row left in
// relay_otps) and a message, no table holds a phone number, e-mail address, password, one-time
// code, long-lived token or device secret in clear, in raw, hex or base64 form.

const kinds = await storeKinds('relay-grpc-at-rest')
const PASSWORD = 'Str0ng!pass'

function inClear (haystack: Buffer, secrets: readonly Buffer[]): string[] {
  return secrets.flatMap(secret => [secret, Buffer.from(secret.toString('hex')), Buffer.from(secret.toString('base64'))])
    .filter(form => haystack.includes(form)).map(form => form.toString('utf8').slice(0, 24))
}

/**
 * A real one-time code for TEST_EMAIL's login, mailed through nodemailer, then tried with a
 * wrong code: its row stays in the store. Resolves with the code. The clock is past the OTP window
 * the session opened.
 */
async function mailedCodeLeftUnused (store: EmbeddedStore, session: EntityHarness, pepper: Buffer): Promise<string> {
  const smtp = await startLoopbackSmtpServer({ mode: 'none' })
  const nowMs = (): number => Date.now() + 6 * 60_000
  const delivery = emailOtpDelivery({ from: 'otp@relay.test', server: { host: '127.0.0.1', port: smtp.port, tls: 'none', clientName: 'smsgw.test', timeoutMs: 5_000 } })
  const otpSender = storedOtpSender({ store: store.relayOtps, identifierKey: session.vault.identifierKey, deliveries: { email: delivery }, nowMs })
  const harness = await startEntityHarness(store, [], { nowMs, otpSender, keys: session.vault.keys, pepper })
  try {
    return await leaveCodeUnused(harness, smtp)
  } finally {
    await harness.close()
    await smtp.close()
  }
}

async function leaveCodeUnused (harness: EntityHarness, smtp: LoopbackSmtpServer): Promise<string> {
  await harness.call.AuthenticateEntity({ email_address: TEST_EMAIL, password: PASSWORD })
  const code = (/Verification Code is: (\d{6})/.exec((await smtp.nextMail()).text) ?? assert.fail('no code'))[1] as string
  const wrong = code === '000000' ? '000001' : '000000'
  assert.equal((await harness.failure('AuthenticateEntity', { email_address: TEST_EMAIL, password: PASSWORD, ...keyFields(newAppKeys()), ownership_proof_response: wrong })).details, 'Incorrect OTP. Try again.')
  return code
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('after a session over gRPC, the relay tables hold no identifier, password, token or device secret in clear', async () => {
      const location = await kind.newLocation()
      const pepper = randomBytes(32)
      const harness = await startEntityHarness(await kind.open(location), undefined, { pepper })
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
      const code = await mailedCodeLeftUnused(await kind.open(location), harness, pepper)

      const secrets: Buffer[] = [TEST_PHONE, TEST_EMAIL, PASSWORD, 'Wr0ng!password', code, phone.token, email.token, again.token, String(login.long_lived_token)].map(text => Buffer.from(text))
      secrets.push(phone.deviceSecret, email.deviceSecret, again.deviceSecret, phoneKeys.deviceId.publicKey, loginKeys.publish.publicKey)
      let raw: Buffer
      if (kind.name === 'sqlite') {
        raw = await sqliteBytes(location)
        assert.ok(raw.includes(Buffer.from('relay_limits')) && raw.includes(Buffer.from('relay_otps')), 'the file holds the limits and codes tables')
      } else {
        const rows = await withAdmin(async admin => [
          ...(await admin.query('SELECT * FROM smsgw_relay_entities')).rows,
          ...(await admin.query('SELECT * FROM smsgw_relay_limits')).rows,
          ...(await admin.query('SELECT * FROM smsgw_relay_otps')).rows
        ], location)
        assert.equal(rows.length, 4, 'two accounts, the e-mail\'s OTP window (the later login cleared the failed password) and its code')
        raw = rowBytes(rows)
      }
      assert.deepEqual(inClear(raw, secrets), [])
    })
  })
}
