import assert from 'node:assert/strict'
import { beforeEach, describe, test } from 'node:test'
import type { MessageContent } from '../../../src/relay/payload/content.ts'
import { PlatformFailure, type LinkedAccount, type PnbaAdapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { CODE_SENT_MESSAGE, NO_PENDING_LOGIN_MESSAGE, telegramAdapter } from '../../../src/relay/platforms/telegram-adapter.ts'
import { UNKNOWN_RECIPIENT_MESSAGE } from '../../../src/relay/platforms/telegram-failure.ts'
import { TelegramDouble } from './telegram-double.ts'

// The Telegram adapter at its boundary: MTProto cannot run locally, so the GramJS client the
// adapter connects is a TEST DOUBLE (telegram-double.ts) of the client's methods, throwing the
// errors GramJS throws and checking the 2FA password as Telegram's server does. What this does
// not exercise: GramJS's own MTProto transport and Telegram's servers (docs/relay.md, "Platforms").

const PHONE = '+237650000001'
const PHONE_2FA = '+237650000002'
const PASSWORD = 'correct horse battery staple'

function message (to: string, body: string): MessageContent {
  return { serviceType: 'message', from: PHONE, to, body, accessToken: undefined, refreshToken: undefined }
}

async function rejection (promise: Promise<unknown>): Promise<PlatformFailure> {
  const error = await promise.then(() => assert.fail('expected a PlatformFailure'), (failure: unknown) => failure)
  assert.ok(error instanceof PlatformFailure, String(error))
  return error
}

describe('telegramAdapter', () => {
  let telegram: TelegramDouble
  let adapter: PnbaAdapter

  beforeEach(() => {
    telegram = new TelegramDouble(12345, 'api-hash')
    telegram.addAccount(PHONE)
    telegram.addAccount(PHONE_2FA, { password: PASSWORD })
    adapter = telegramAdapter({ apiId: 12345, apiHash: 'api-hash', connect: telegram.connect })
  })

  async function link (phone: string): Promise<LinkedAccount> {
    await adapter.requestCode(phone)
    const linked = await adapter.exchangeCode({ phoneNumber: phone, code: telegram.codeSentTo(phone) as string })
    assert.ok('token' in linked)
    return linked
  }

  test('links with the code Telegram sent, then publishes to the recipient with the saved session', async () => {
    assert.deepStrictEqual(await adapter.requestCode(PHONE), { message: CODE_SENT_MESSAGE })
    const linked = await adapter.exchangeCode({ phoneNumber: PHONE, code: telegram.codeSentTo(PHONE) as string })
    assert.ok('token' in linked)
    assert.equal(linked.accountIdentifier, PHONE)
    assert.equal(typeof linked.token.session, 'string')

    assert.deepStrictEqual(await adapter.publish(linked.token, message('@friend', 'Hello from an SMS')), {})
    assert.deepStrictEqual(telegram.sent, [{ fromPhone: PHONE, to: '@friend', message: 'Hello from an SMS' }])
    assert.ok(telegram.balanced, 'every client connected was disconnected')
  })

  test('asks for the 2FA password after SESSION_PASSWORD_NEEDED, and links with the right one (SRP checked)', async () => {
    await adapter.requestCode(PHONE_2FA)
    const code = telegram.codeSentTo(PHONE_2FA) as string
    assert.deepStrictEqual(await adapter.exchangeCode({ phoneNumber: PHONE_2FA, code }), { twoStepVerificationRequired: true })

    const wrong = await rejection(adapter.exchangeCode({ phoneNumber: PHONE_2FA, code, password: 'wrong' }))
    assert.deepStrictEqual([wrong.kind, wrong.message], ['rejected', 'The password (and thus its hash value) you entered is invalid'])

    // The login waits for another try: the same code and the right password link the account.
    const linked = await adapter.exchangeCode({ phoneNumber: PHONE_2FA, code, password: PASSWORD })
    assert.ok('token' in linked)
    assert.equal(linked.accountIdentifier, PHONE_2FA)
    await adapter.publish(linked.token, message('+237650000009', 'after 2FA'))
    assert.deepStrictEqual(telegram.sent, [{ fromPhone: PHONE_2FA, to: '+237650000009', message: 'after 2FA' }])
  })

  test('links in one call when the password comes with the code', async () => {
    await adapter.requestCode(PHONE_2FA)
    const linked = await adapter.exchangeCode({ phoneNumber: PHONE_2FA, code: telegram.codeSentTo(PHONE_2FA) as string, password: PASSWORD })
    assert.ok('token' in linked)
  })

  test('refuses a wrong code (and takes the right one after), and an expired code for good', async () => {
    await adapter.requestCode(PHONE)
    const invalid = await rejection(adapter.exchangeCode({ phoneNumber: PHONE, code: '00000' }))
    assert.deepStrictEqual([invalid.kind, invalid.message], ['rejected', 'The phone code entered was invalid'])
    assert.ok('token' in await adapter.exchangeCode({ phoneNumber: PHONE, code: telegram.codeSentTo(PHONE) as string }))

    await adapter.requestCode(PHONE)
    const code = telegram.codeSentTo(PHONE) as string
    telegram.expireCodes()
    const expired = await rejection(adapter.exchangeCode({ phoneNumber: PHONE, code }))
    assert.deepStrictEqual([expired.kind, expired.message], ['rejected', 'The confirmation code has expired'])
    const gone = await rejection(adapter.exchangeCode({ phoneNumber: PHONE, code }))
    assert.deepStrictEqual([gone.kind, gone.message], ['rejected', NO_PENDING_LOGIN_MESSAGE])
  })

  test('refuses a code for a number that asked for none, or whose wait has run out', async () => {
    const none = await rejection(adapter.exchangeCode({ phoneNumber: PHONE, code: '12345' }))
    assert.equal(none.message, NO_PENDING_LOGIN_MESSAGE)

    const shortLived = telegramAdapter({ apiId: 12345, apiHash: 'api-hash', connect: telegram.connect, pendingLoginTtlMs: 0 })
    await shortLived.requestCode(PHONE)
    const late = await rejection(shortLived.exchangeCode({ phoneNumber: PHONE, code: telegram.codeSentTo(PHONE) as string }))
    assert.equal(late.message, NO_PENDING_LOGIN_MESSAGE)
  })

  test('keeps at most maxPendingLogins waiting, the oldest giving way', async () => {
    const small = telegramAdapter({ apiId: 12345, apiHash: 'api-hash', connect: telegram.connect, maxPendingLogins: 1 })
    await small.requestCode(PHONE)
    await small.requestCode(PHONE_2FA)
    const evicted = await rejection(small.exchangeCode({ phoneNumber: PHONE, code: telegram.codeSentTo(PHONE) as string }))
    assert.equal(evicted.message, NO_PENDING_LOGIN_MESSAGE)
  })

  test('refuses a number without a Telegram account', async () => {
    await adapter.requestCode('+237650000003')
    const failure = await rejection(adapter.exchangeCode({ phoneNumber: '+237650000003', code: telegram.codeSentTo('+237650000003') as string }))
    assert.equal(failure.kind, 'rejected')
  })

  test('maps FLOOD_WAIT_n to rate-limited with retryAfterMs, on the code request and on publishing', async () => {
    telegram.failNext('sendCode', 'FLOOD_WAIT_42')
    const onCode = await rejection(adapter.requestCode(PHONE))
    assert.deepStrictEqual([onCode.kind, onCode.retryAfterMs, onCode.message], ['rate-limited', 42_000, 'A wait of 42 seconds is required'])

    const { token } = await link(PHONE)
    telegram.failNext('messages.SendMessage', 'FLOOD_WAIT_7')
    const onPublish = await rejection(adapter.publish(token, message('@friend', 'hi')))
    assert.deepStrictEqual([onPublish.kind, onPublish.retryAfterMs], ['rate-limited', 7000])
    assert.deepStrictEqual(telegram.sent, [])
  })

  test('maps Telegram internal errors to transient and an unknown recipient to rejected', async () => {
    const { token } = await link(PHONE)
    telegram.failNext('messages.SendMessage', 'INTERNAL_SERVER_ERROR')
    assert.equal((await rejection(adapter.publish(token, message('@friend', 'hi')))).kind, 'transient')
    telegram.failNext('messages.SendMessage', 'USERNAME_NOT_OCCUPIED')
    assert.equal((await rejection(adapter.publish(token, message('@nobody', 'hi')))).kind, 'rejected')
    // GramJS's own error for a recipient it cannot resolve names the recipient: the failure does not.
    telegram.addUnknownRecipient('+237699999999')
    const unknown = await rejection(adapter.publish(token, message('+237699999999', 'hi')))
    assert.deepStrictEqual([unknown.kind, unknown.message], ['rejected', UNKNOWN_RECIPIENT_MESSAGE])
    assert.deepStrictEqual(telegram.sent, [])
  })

  test('sends the publication\'s random_id: a message whose answer was lost is not sent again by the retry', async () => {
    const { token } = await link(PHONE)
    const idempotency = { key: 'c3'.repeat(32), claimedAtMs: Date.now() }
    telegram.loseNextAnswer()
    assert.equal((await rejection(adapter.publish(token, message('@friend', 'once'), idempotency))).kind, 'transient')
    assert.deepStrictEqual(await adapter.publish(token, message('@friend', 'once'), idempotency), {})
    assert.deepStrictEqual(telegram.sent, [{ fromPhone: PHONE, to: '@friend', message: 'once' }])
    // Another publication has another random_id; without one (a caller with no publication), each call is a new message.
    await adapter.publish(token, message('@friend', 'another'), { ...idempotency, key: 'd4'.repeat(32) })
    await adapter.publish(token, message('@friend', 'twice'))
    await adapter.publish(token, message('@friend', 'twice'))
    assert.deepStrictEqual(telegram.sent.map(sent => sent.message), ['once', 'another', 'twice', 'twice'])
  })

  test('takes RANDOM_ID_DUPLICATE (a repeat while the first call is still running) as the message sent, and only with a random_id of a publication', async () => {
    const { token } = await link(PHONE)
    telegram.failNext('messages.SendMessage', 'RANDOM_ID_DUPLICATE')
    assert.deepStrictEqual(await adapter.publish(token, message('@friend', 'in flight'), { key: 'e5'.repeat(32), claimedAtMs: Date.now() }), {})
    telegram.failNext('messages.SendMessage', 'RANDOM_ID_DUPLICATE')
    assert.equal((await rejection(adapter.publish(token, message('@friend', 'random')))).kind, 'transient')
  })

  test('parses the text as GramJS\'s sendMessage does by default (Markdown): the entities go with the message', async () => {
    const { token } = await link(PHONE)
    await adapter.publish(token, message('@friend', 'a **bold** word'))
    assert.deepStrictEqual(telegram.sent.map(sent => sent.message), ['a bold word'])
  })

  test('revokes by logging the session out; the session then publishes no more (token-invalid)', async () => {
    const { token } = await link(PHONE)
    await adapter.revoke(token)
    const failure = await rejection(adapter.publish(token, message('@friend', 'after revoke')))
    assert.equal(failure.kind, 'token-invalid')
    assert.deepStrictEqual(telegram.sent, [])
    assert.ok(telegram.balanced)
  })

  test('refuses a stored token without a session as token-invalid', async () => {
    assert.equal((await rejection(adapter.publish({}, message('@friend', 'hi')))).kind, 'token-invalid')
  })
})
