import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { storedOtpSender } from '../../../src/relay/grpc/stored-otp-sender.ts'
import { emailOtpDelivery, OTP_MAIL_SUBJECT } from '../../../src/relay/otp/email-otp-delivery.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { addressOf, startLoopbackSmtpServer, type LoopbackSmtpServer } from '../otp/loopback-smtp-server.ts'
import { newRing } from '../vault/stored-vault.ts'
import { keyFields, newAppKeys } from './app-client.ts'
import { startEntityHarness, type EntityHarness } from './entity-harness.ts'

// The real one-time codes of relay.md §2 through the RPCs, over both stores: a code per request
// kept in the store (its action, expiry and attempts, as upstream's OTP table), delivered by
// e-mail through nodemailer to a real SMTP server on loopback (otp/loopback-smtp-server.ts),
// and every answer relay-wire.md §4's text. The clock is the test's, shared by the limits and the
// codes; each test uses addresses of its own, so their rate limits do not meet.

const kinds = await storeKinds('relay-grpc-otp')
const PASSWORD = 'Str0ng!pass'
const MINUTE = 60_000
const IDENTIFIER_KEY = Buffer.alloc(32, 7)
const OTP_FROM = 'otp@relay.test'
const refused = (details: string): { code: number, details: string } => ({ code: status.UNAUTHENTICATED, details })

interface OtpBench {
  readonly smtp: LoopbackSmtpServer
  readonly harness: EntityHarness
  /** The code of the next OTP mail to `address`. */
  readonly codeSentTo: (address: string) => Promise<string>
  now: number
}

async function otpBench (store: EmbeddedStore, shared: { pepper: Buffer, keys: ReturnType<typeof newRing> }, smtp?: LoopbackSmtpServer, startAt = Date.UTC(2026, 11, 6, 12)): Promise<OtpBench> {
  const server = smtp ?? await startLoopbackSmtpServer({ mode: 'none' })
  const bench: OtpBench = {
    smtp: server,
    now: startAt,
    harness: undefined as unknown as EntityHarness,
    codeSentTo: async address => {
      const mail = await server.nextMail()
      assert.deepEqual([mail.from, mail.to], [OTP_FROM, [address]])
      assert.deepEqual([addressOf(mail.headers.get('from')), addressOf(mail.headers.get('to')), mail.headers.get('subject')], [OTP_FROM, address, OTP_MAIL_SUBJECT])
      return (/^Your RelaySMS Verification Code is: (\d{6})$/m.exec(mail.text) ?? assert.fail('no code in the mail'))[1] as string
    }
  }
  const nowMs = (): number => bench.now
  const delivery = emailOtpDelivery({ from: OTP_FROM, server: { host: '127.0.0.1', port: server.port, tls: 'none', clientName: 'smsgw.test', timeoutMs: 5_000 } })
  const otpSender = storedOtpSender({ store: store.relayOtps, identifierKey: IDENTIFIER_KEY, deliveries: { email: delivery }, nowMs })
  Object.assign(bench, { harness: await startEntityHarness(store, [], { ...shared, nowMs, otpSender }) })
  return bench
}

const signUp = (address: string): Record<string, unknown> => ({ country_code: 'CM', email_address: address, password: PASSWORD, ...keyFields(newAppKeys()) })
const shared = (): { pepper: Buffer, keys: ReturnType<typeof newRing> } => ({ pepper: randomBytes(32), keys: newRing() })

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('a mailed code creates the account once; a wrong one is refused, a used one is gone', async () => {
      const bench = await otpBench(await kind.open(), shared())
      const { harness } = bench
      const address = 'first.user@example.org'
      const first = await harness.call.CreateEntity(signUp(address))
      assert.deepEqual([first.requires_ownership_proof, first.message], [true, 'OTP sent. Check your email.'])
      const code = await bench.codeSentTo(address)
      const wrong = code === '000000' ? '000001' : '000000'
      assert.deepEqual(await harness.failure('CreateEntity', { ...signUp(address), ownership_proof_response: wrong }), refused('Incorrect OTP. Try again.'))
      const created = await harness.call.CreateEntity({ ...signUp(address), ownership_proof_response: code })
      assert.equal(created.message, 'Entity created successfully')
      assert.deepEqual(await harness.failure('AuthenticateEntity', { email_address: address, password: PASSWORD, ...keyFields(newAppKeys()), ownership_proof_response: code }), refused('OTP not initiated. Request a new OTP first.'), 'a code is used once')
      assert.deepEqual(harness.internalErrors, [])
      await harness.close()
    })

    test('a code asked for one action does not complete another', async () => {
      const bench = await otpBench(await kind.open(), shared())
      const { harness } = bench
      const address = 'mismatch@example.org'
      await harness.call.CreateEntity(signUp(address))
      await harness.call.CreateEntity({ ...signUp(address), ownership_proof_response: await bench.codeSentTo(address) })
      await harness.call.AuthenticateEntity({ email_address: address, password: PASSWORD })
      const loginCode = await bench.codeSentTo(address)
      assert.deepEqual(await harness.failure('ResetPassword', { email_address: address, new_password: 'N3w!password', ...keyFields(newAppKeys()), ownership_proof_response: loginCode }), refused('OTP action mismatch. Request a new OTP.'))
      assert.equal((await harness.call.AuthenticateEntity({ email_address: address, password: PASSWORD, ...keyFields(newAppKeys()), ownership_proof_response: loginCode })).message, 'Entity authenticated successfully!', 'the mismatch used no attempt of the code')
      await harness.close()
    })

    test('a code expires after 10 minutes; after that the record is gone', async () => {
      const bench = await otpBench(await kind.open(), shared())
      const { harness } = bench
      const address = 'late@example.org'
      await harness.call.CreateEntity(signUp(address))
      const code = await bench.codeSentTo(address)
      bench.now += 10 * MINUTE
      const complete = { ...signUp(address), ownership_proof_response: code }
      assert.deepEqual(await harness.failure('CreateEntity', { ...complete, ownership_proof_response: code === '000000' ? '000001' : '000000' }), refused('Incorrect OTP. Try again.'), 'still valid at exactly 10 minutes')
      bench.now += 1
      assert.deepEqual(await harness.failure('CreateEntity', complete), refused('OTP expired. Request a new one.'))
      assert.deepEqual(await harness.failure('CreateEntity', complete), refused('No OTP record found for this email.'))
      await harness.close()
    })

    test('the 5th attempt invalidates the code, even the right one', async () => {
      const bench = await otpBench(await kind.open(), shared())
      const { harness } = bench
      const address = 'guesser@example.org'
      await harness.call.CreateEntity(signUp(address))
      const code = await bench.codeSentTo(address)
      for (let attempt = 1; attempt <= 4; attempt++) {
        const wrong = String((Number(code) + attempt) % 1_000_000).padStart(6, '0')
        assert.deepEqual(await harness.failure('CreateEntity', { ...signUp(address), ownership_proof_response: wrong }), refused('Incorrect OTP. Try again.'), `attempt ${attempt}`)
      }
      assert.deepEqual(await harness.failure('CreateEntity', { ...signUp(address), ownership_proof_response: code }), refused('Too many incorrect attempts. OTP invalidated. Request a new one.'))
      assert.deepEqual(await harness.failure('CreateEntity', { ...signUp(address), ownership_proof_response: code }), refused('No OTP record found for this email.'))
      bench.now += 5 * MINUTE + 1
      await harness.call.CreateEntity(signUp(address))
      assert.equal((await harness.call.CreateEntity({ ...signUp(address), ownership_proof_response: await bench.codeSentTo(address) })).message, 'Entity created successfully', 'a new code starts over')
      await harness.close()
    })

    test('a code sent by one instance is verified by another over the same store; two verifications at once use it once', async () => {
      const location = await kind.newLocation()
      const parts = shared()
      const first = await otpBench(await kind.open(location), parts)
      const address = 'two.instances@example.org'
      await first.harness.call.CreateEntity(signUp(address))
      const code = await first.codeSentTo(address)
      await first.harness.close()
      const second = await otpBench(await kind.open(location), parts, first.smtp)
      await second.harness.call.CreateEntity({ ...signUp(address), ownership_proof_response: code })
      second.now += 5 * MINUTE + 1
      await second.harness.call.AuthenticateEntity({ email_address: address, password: PASSWORD })
      const loginCode = await second.codeSentTo(address)
      const third = await otpBench(await kind.open(location), parts, first.smtp, second.now)
      const login = { email_address: address, password: PASSWORD, ...keyFields(newAppKeys()), ownership_proof_response: loginCode }
      const outcomes = await Promise.allSettled([second.harness.call.AuthenticateEntity(login), third.harness.call.AuthenticateEntity(login)])
      assert.equal(outcomes.filter(outcome => outcome.status === 'fulfilled').length, 1, 'exactly one login')
      const failure = outcomes.find(outcome => outcome.status === 'rejected')?.reason as { code: number, details: string }
      assert.ok([refused('OTP not initiated. Request a new OTP first.'), refused('No OTP record found for this email.')].some(expected => expected.code === failure.code && expected.details === failure.details), failure.details)
      await second.harness.close()
      await third.harness.close()
    })

    test('a channel without a delivery answers that its OTP service is unavailable, sending nothing', async () => {
      const store = await kind.open()
      const otpSender = storedOtpSender({ store: store.relayOtps, identifierKey: IDENTIFIER_KEY, deliveries: {} })
      const harness = await startEntityHarness(store, [], { otpSender })
      const unavailable = { code: status.INVALID_ARGUMENT, details: 'EMAIL OTP service unavailable for your region. Contact support.' }
      assert.deepEqual(await harness.failure('CreateEntity', signUp('nobody@example.org')), unavailable)
      assert.deepEqual(await harness.failure('CreateEntity', { ...signUp('nobody@example.org'), ownership_proof_response: '123456' }), unavailable)
      assert.deepEqual(await harness.failure('CreateEntity', { country_code: 'CM', phone_number: '+237650000009', password: PASSWORD, ...keyFields(newAppKeys()) }), { code: status.INVALID_ARGUMENT, details: 'SMS OTP service unavailable for your region. Contact support.' })
      await harness.close()
    })

    test('a mail server that refuses the mail is "Failed to send OTP via email. Try again."', async () => {
      // It requires AUTH, which this client does not give: it refuses MAIL FROM.
      const smtp = await startLoopbackSmtpServer({ mode: 'none', user: 'relay', password: 'secret' })
      const store = await kind.open()
      const errors: unknown[] = []
      const delivery = emailOtpDelivery({ from: OTP_FROM, server: { host: '127.0.0.1', port: smtp.port, tls: 'none', clientName: 'smsgw.test', timeoutMs: 5_000 } })
      const otpSender = storedOtpSender({ store: store.relayOtps, identifierKey: IDENTIFIER_KEY, deliveries: { email: delivery }, onDeliveryError: (channel, error) => { errors.push([channel, (error as Error).message]) } })
      const harness = await startEntityHarness(store, [], { otpSender })
      assert.deepEqual(await harness.failure('CreateEntity', signUp('refused@example.org')), { code: status.INVALID_ARGUMENT, details: 'Failed to send OTP via email. Try again.' })
      assert.deepEqual(errors, [['email', 'the SMTP server answered MAIL FROM with 530']], 'the failure is reported without the address')
      await harness.close()
    })
  })
}
