import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { status } from '@grpc/grpc-js'
import { encodePlatformPayload } from '../../../src/relay/payload/index.ts'
import { PlatformFailure, type PlatformAdapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { publicationDigest, publicationKeyOf } from '../../../src/relay/publisher/publication-key.ts'
import type { ReliabilityTests, RoutedTestSms } from '../../../src/relay/publisher/reliability-tests.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'
import { DEVICE_ID, recordedSms, scriptedOAuth2, scriptedPnba, SENDER, StandInEntityInternal, startPublisherHarness, textContentV2, VALID_LLT, type PublisherHarness } from './publisher-harness.ts'

// publisher.v1.Publisher over a real grpc-js client and a real SQLite store: every RPC's success
// and each failure's code and text (relay-wire.md §3, §4, upstream's grpc_publisher_service.py).
// The vault's EntityInternal and the adapters are stand-ins here (publisher-harness.ts says why);
// publish-pipeline.test.ts runs the pipeline over the real vault, ratchet and Mastodon client.

const UNSUPPORTED = (platform: string, protocol: string): string => `The platform '${platform}' with protocol '${protocol}' is currently not supported. Please contact the developers for more information on when this platform will be implemented.`

const files = await tempStoreFiles('publisher-service')
let store: EmbeddedStore
let harness: PublisherHarness
const vault = new StandInEntityInternal()
const mastodon = scriptedOAuth2()
const telegram = scriptedPnba()
const notices = recordedSms()
const routed: Array<{ testId: string, sms: RoutedTestSms }> = []
// A stand-in of the registry's reliabilityTestsOf(store) (branch gateway-clients), with upstream's adapter texts.
const reliabilityTests: ReliabilityTests = {
  recordRouted: async (testId, sms) => {
    routed.push({ testId, sms })
    if (sms.sentAtMs === undefined) return { success: false, message: 'sms_sent_timestamp is required.' }
    if (sms.receivedAtMs === undefined) return { success: false, message: 'sms_received_timestamp is required.' }
    if (testId === '404') return { success: false, message: `Test ID ${testId} not found in the database.` }
    if (testId === '7') return { success: false, message: `Test ID ${testId} is already marked as 'timedout'.` }
    return { success: true, message: `Test ID ${testId} updated successfully.` }
  }
}
const publicationKey = publicationKeyOf(randomBytes(32))

before(async () => {
  store = await openStore(files.next())
  harness = await startPublisherHarness(store, { entityInternal: vault, adapters: new Map<string, PlatformAdapter>([['mastodon', mastodon], ['telegram', telegram]]), notices, reliabilityTests, publicationKey })
})
after(async () => {
  await harness.close()
  await store.close()
})

const call = async (rpc: string, request: unknown): Promise<Record<string, unknown>> => await harness.client.call(rpc, request)
const failure = async (rpc: string, request: unknown): Promise<{ code: number, details: string }> => await harness.client.failure(rpc, request)

function payload (shortcode: string, content: Buffer, options: { deviceId?: Buffer, language?: string } = {}): string {
  return encodePlatformPayload({ version: 2, platformShortcode: shortcode, encryptedMessage: content, deviceId: options.deviceId ?? DEVICE_ID, language: options.language ?? 'en' }).toString('base64')
}

describe('OAuth2 linking', () => {
  test('GetOAuth2AuthorizationUrl makes a PKCE verifier of its own, echoes the state and answers upstream\'s text; the name is lower-cased', async () => {
    const answer = await call('GetOAuth2AuthorizationUrl', { platform: 'Mastodon', state: 'bWFzdG9kb24sZmFsc2U=', autogenerate_code_verifier: true, redirect_url: 'https://relay.smswithoutborders.com/android' })
    assert.match(String(answer.code_verifier), /^[A-Za-z0-9_-]{43}$/)
    assert.deepStrictEqual({ ...answer, code_verifier: '' }, { authorization_url: 'https://platform.example/authorize?state=bWFzdG9kb24sZmFsc2U=&verifier-length=43', state: 'bWFzdG9kb24sZmFsc2U=', code_verifier: '', message: 'Successfully generated authorization url', scope: 'write:statuses', client_id: 'client-1', redirect_url: 'https://relay.smswithoutborders.com/android' })
    const given = await call('GetOAuth2AuthorizationUrl', { platform: 'mastodon', code_verifier: 'v'.repeat(50) })
    assert.equal(given.code_verifier, 'v'.repeat(50), 'a verifier the app gives is used')
  })

  test('GetOAuth2AuthorizationUrl: a missing platform, an unknown one and a platform of another protocol', async () => {
    assert.deepStrictEqual(await failure('GetOAuth2AuthorizationUrl', {}), { code: status.INVALID_ARGUMENT, details: 'Missing required field: platform' })
    assert.deepStrictEqual(await failure('GetOAuth2AuthorizationUrl', { platform: 'MySpace' }), { code: status.UNIMPLEMENTED, details: UNSUPPORTED('myspace', 'oauth2') })
    assert.deepStrictEqual(await failure('GetOAuth2AuthorizationUrl', { platform: 'telegram' }), { code: status.UNIMPLEMENTED, details: UNSUPPORTED('telegram', 'oauth2') })
  })

  test('ExchangeOAuth2CodeAndStore checks fields in upstream\'s order, then the platform, then the long-lived token, then the code', async () => {
    assert.deepStrictEqual(await failure('ExchangeOAuth2CodeAndStore', { platform: 'mastodon' }), { code: status.INVALID_ARGUMENT, details: 'Missing required field: long_lived_token' })
    assert.deepStrictEqual(await failure('ExchangeOAuth2CodeAndStore', { long_lived_token: 'x' }), { code: status.INVALID_ARGUMENT, details: 'Missing required field: platform' })
    assert.deepStrictEqual(await failure('ExchangeOAuth2CodeAndStore', { long_lived_token: 'x', platform: 'mastodon' }), { code: status.INVALID_ARGUMENT, details: 'Missing required field: authorization_code' })
    assert.deepStrictEqual(await failure('ExchangeOAuth2CodeAndStore', { long_lived_token: 'x', platform: 'friendster', authorization_code: 'c' }), { code: status.UNIMPLEMENTED, details: UNSUPPORTED('friendster', 'oauth2') })
    assert.deepStrictEqual(await failure('ExchangeOAuth2CodeAndStore', { long_lived_token: 'x', platform: 'mastodon', authorization_code: 'good-code' }), { code: status.UNAUTHENTICATED, details: 'The long-lived token is invalid. Please log in again to generate a new token.' })
    assert.deepStrictEqual(await failure('ExchangeOAuth2CodeAndStore', { long_lived_token: VALID_LLT, platform: 'mastodon', authorization_code: 'bad-code' }), { code: status.INVALID_ARGUMENT, details: 'invalid_grant: the authorization code is invalid' })
  })

  test('ExchangeOAuth2CodeAndStore stores the token through the vault; with store_on_device the device gets access, refresh and id token and the vault the rest', async () => {
    const stored = await call('ExchangeOAuth2CodeAndStore', { long_lived_token: VALID_LLT, platform: 'mastodon', authorization_code: 'good-code', code_verifier: 'v'.repeat(43) })
    assert.deepStrictEqual(stored, { success: true, message: 'Successfully fetched and stored token', tokens: {} })
    assert.deepEqual(JSON.parse(vault.tokens.get('mastodon/@someone@platform.example') ?? ''), { access_token: 'at-1', refresh_token: 'rt-1', id_token: 'id-1', scope: 'write:statuses' })
    const onDevice = await call('ExchangeOAuth2CodeAndStore', { long_lived_token: VALID_LLT, platform: 'mastodon', authorization_code: 'good-code', store_on_device: true })
    assert.deepStrictEqual(onDevice, { success: true, message: 'Successfully fetched and stored token', tokens: { access_token: 'at-1', refresh_token: 'rt-1', id_token: 'id-1' } })
    assert.deepEqual(JSON.parse(vault.tokens.get('mastodon/@someone@platform.example') ?? ''), { scope: 'write:statuses' })
  })

  test('RevokeAndDeleteOAuth2Token revokes at the platform, only logs a refused revoke, deletes our copy; the vault\'s failures pass through', async () => {
    vault.tokens.set('mastodon/@gone@platform.example', JSON.stringify({ access_token: 'at-gone' }))
    mastodon.failRevoke = true
    const before = harness.internalErrors.length
    assert.deepStrictEqual(await call('RevokeAndDeleteOAuth2Token', { long_lived_token: VALID_LLT, platform: 'Mastodon', account_identifier: '@gone@platform.example' }), { message: 'Successfully deleted token', success: true })
    mastodon.failRevoke = false
    assert.deepEqual(mastodon.revoked.at(-1), { access_token: 'at-gone' })
    assert.equal(vault.tokens.has('mastodon/@gone@platform.example'), false)
    assert.equal(harness.internalErrors.length, before, 'a refused revoke is no error of the RPC')
    assert.deepStrictEqual(await failure('RevokeAndDeleteOAuth2Token', { long_lived_token: VALID_LLT, platform: 'mastodon', account_identifier: '@gone@platform.example' }), { code: status.NOT_FOUND, details: 'No token found with account identifier @gone@platform.example for mastodon' })
    assert.deepStrictEqual(await failure('RevokeAndDeleteOAuth2Token', { long_lived_token: VALID_LLT, platform: 'mastodon' }), { code: status.INVALID_ARGUMENT, details: 'Missing required field: account_identifier' })
    assert.deepStrictEqual(await failure('RevokeAndDeleteOAuth2Token', { long_lived_token: VALID_LLT, platform: 'telegram', account_identifier: 'a' }), { code: status.UNIMPLEMENTED, details: UNSUPPORTED('telegram', 'oauth2') })
  })
})

describe('phone-number based linking', () => {
  test('GetPNBACode: the adapter\'s text, its refusal as INVALID_ARGUMENT, phone_number checked before platform', async () => {
    assert.deepStrictEqual(await call('GetPNBACode', { platform: 'telegram', phone_number: SENDER }), { success: true, message: 'Code sent successfully' })
    assert.deepStrictEqual(await failure('GetPNBACode', { platform: 'telegram', phone_number: '+10000000000' }), { code: status.INVALID_ARGUMENT, details: 'The phone number is invalid' })
    assert.deepStrictEqual(await failure('GetPNBACode', {}), { code: status.INVALID_ARGUMENT, details: 'Missing required field: phone_number' })
    assert.deepStrictEqual(await failure('GetPNBACode', { platform: 'mastodon', phone_number: SENDER }), { code: status.UNIMPLEMENTED, details: UNSUPPORTED('mastodon', 'pnba') })
  })

  test('ExchangePNBACodeAndStore asks for the 2FA password, refuses a wrong one with the adapter\'s text, then stores the session', async () => {
    const request = { long_lived_token: VALID_LLT, platform: 'telegram', phone_number: SENDER, authorization_code: '12345' }
    assert.deepStrictEqual(await call('ExchangePNBACodeAndStore', request), { success: true, message: 'two-steps verification is enabled and a password is required', two_step_verification_enabled: true })
    assert.deepStrictEqual(await failure('ExchangePNBACodeAndStore', { ...request, password: 'wrong' }), { code: status.INVALID_ARGUMENT, details: 'The password (and thus its hash value) you entered is invalid' })
    assert.deepStrictEqual(await failure('ExchangePNBACodeAndStore', { ...request, authorization_code: '99999' }), { code: status.INVALID_ARGUMENT, details: 'The phone code entered was invalid' })
    assert.deepStrictEqual(await failure('ExchangePNBACodeAndStore', { ...request, long_lived_token: 'stale' }), { code: status.UNAUTHENTICATED, details: 'The long-lived token is invalid. Please log in again to generate a new token.' })
    assert.deepStrictEqual(await failure('ExchangePNBACodeAndStore', { long_lived_token: VALID_LLT, platform: 'telegram', phone_number: SENDER }), { code: status.INVALID_ARGUMENT, details: 'Missing required field: authorization_code' })
    assert.deepStrictEqual(await call('ExchangePNBACodeAndStore', { ...request, password: 'secret' }), { success: true, message: 'Successfully fetched and stored token', two_step_verification_enabled: false })
    assert.deepEqual(JSON.parse(vault.tokens.get(`telegram/${SENDER}`) ?? ''), { session: 'telegram-session' })
  })

  test('RevokeAndDeletePNBAToken deletes the session', async () => {
    vault.tokens.set('telegram/+237650000009', JSON.stringify({ session: 's' }))
    assert.deepStrictEqual(await call('RevokeAndDeletePNBAToken', { long_lived_token: VALID_LLT, platform: 'telegram', account_identifier: '+237650000009' }), { message: 'Successfully deleted token', success: true })
    assert.deepStrictEqual(await failure('RevokeAndDeletePNBAToken', { long_lived_token: 'stale', platform: 'telegram', account_identifier: '+237650000009' }), { code: status.UNAUTHENTICATED, details: 'The long-lived token is invalid. Please log in again to generate a new token.' })
  })
})

describe('PublishContent', () => {
  const linked = (account: string, token: Record<string, unknown> = { access_token: 'stored-at', refresh_token: 'stored-rt' }): void => { vault.tokens.set(`mastodon/${account}`, JSON.stringify(token)) }

  test('a payload published: the adapter gets the body and the stored token, the answer is upstream\'s, the sender gets the notice in the payload\'s language', async () => {
    linked('alice')
    notices.sent.length = 0
    const answer = await call('PublishContent', { content: payload('m', textContentV2('alice\n', 'Hello from the bush'), { language: 'fr' }), metadata: { From: SENDER, Date: '1765000000', Date_sent: '1764999990' } })
    assert.deepStrictEqual(answer, { success: true, message: 'Successfully published mastodon message', publisher_response: 'Successfully sent message' })
    assert.deepStrictEqual(mastodon.published.at(-1), { token: { access_token: 'stored-at', refresh_token: 'stored-rt' }, body: 'Hello from the bush', from: 'alice' })
    assert.equal(notices.sent.length, 1)
    assert.equal(notices.sent[0]?.recipient, SENDER)
    assert.match(notices.sent[0]?.text ?? '', /^Livraison RelaySMS: Envoyé avec succès message à mastodon à \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\)\.$/)
  })

  test('the same payload again is answered from its record: no second post, no second notice', async () => {
    linked('bob')
    const content = payload('m', textContentV2('bob', 'Only once'))
    const first = await call('PublishContent', { content, metadata: { From: SENDER } })
    const posts = mastodon.published.length
    const sent = notices.sent.length
    const again = await Promise.all([call('PublishContent', { content, metadata: { From: SENDER } }), call('PublishContent', { content, metadata: { From: '+237650000002' } })])
    assert.deepStrictEqual(again, [first, first])
    assert.deepEqual([mastodon.published.length, notices.sent.length], [posts, sent])
  })

  test('a payload whose earlier copy was cut off while the platform was called is never published: its outcome is unknown', async () => {
    linked('carol')
    const content = payload('m', textContentV2('carol', 'Posted before the crash?'))
    // What a crash between the durable claim and the platform's answer leaves.
    await store.relayPublications.claim(publicationDigest(publicationKey, Buffer.from(content, 'base64')), 'mastodon', Date.now())
    const posts = mastodon.published.length
    assert.deepStrictEqual(await failure('PublishContent', { content, metadata: { From: SENDER } }), { code: status.ALREADY_EXISTS, details: 'This message was received before, and whether it was published is unknown; it is not published again.' })
    assert.equal(mastodon.published.length, posts)
    assert.equal(await store.relayPublications.countPublishing(Date.now() + 1), 1)
  })

  test('the platform\'s refusal is INVALID_ARGUMENT with its text, told to the sender, and recorded: a copy gets the same answer without a call', async () => {
    linked('dave')
    notices.sent.length = 0
    mastodon.failures.push(new PlatformFailure('rejected', 'Validation failed: Text character limit of 500 exceeded'))
    const content = payload('m', textContentV2('dave', 'x'.repeat(600)), { language: 'sw' })
    const refused = { code: status.INVALID_ARGUMENT, details: 'Validation failed: Text character limit of 500 exceeded' }
    assert.deepStrictEqual(await failure('PublishContent', { content, metadata: { From: SENDER } }), refused)
    assert.match(notices.sent[0]?.text ?? '', /^Uwasilishaji wa RelaySMS: Imeshindwa kutuma ujumbe kwa mastodon tarehe /)
    assert.deepStrictEqual(await failure('PublishContent', { content, metadata: { From: SENDER } }), refused)
    assert.equal(notices.sent.length, 1)
  })

  test('a revoked token is reported at once, not retried; transient failures and rate limits are retried within the bound', async () => {
    linked('erin')
    const calls = (): number => mastodon.published.length + mastodon.failures.length
    mastodon.failures.push(new PlatformFailure('token-invalid', 'The access token was revoked'), new PlatformFailure('transient', 'should never be reached'))
    assert.deepStrictEqual(await failure('PublishContent', { content: payload('m', textContentV2('erin', 'revoked')), metadata: { From: SENDER } }), { code: status.INVALID_ARGUMENT, details: 'The access token was revoked' })
    assert.equal(mastodon.failures.length, 1, 'one call only')
    mastodon.failures.length = 0

    const posts = mastodon.published.length
    mastodon.failures.push(new PlatformFailure('transient', 'Bad Gateway'), new PlatformFailure('rate-limited', 'Too Many Requests', 5))
    assert.equal((await call('PublishContent', { content: payload('m', textContentV2('erin', 'third time lucky')), metadata: { From: SENDER } })).success, true)
    assert.equal(mastodon.published.length, posts + 1)

    mastodon.failures.push(...Array.from({ length: 3 }, () => new PlatformFailure('rate-limited', 'Too Many Requests')))
    assert.deepStrictEqual(await failure('PublishContent', { content: payload('m', textContentV2('erin', 'never')), metadata: { From: SENDER } }), { code: status.INVALID_ARGUMENT, details: 'Too Many Requests' })
    assert.equal(mastodon.failures.length, 0, 'three calls in all (maxAttempts)')
    mastodon.failures.push(new PlatformFailure('rate-limited', 'Too Many Requests', 60_000))
    assert.deepStrictEqual(await failure('PublishContent', { content: payload('m', textContentV2('erin', 'later')), metadata: { From: SENDER } }), { code: status.INVALID_ARGUMENT, details: 'Too Many Requests' })
    assert.equal(calls(), posts + 1, 'a Retry-After over the longest wait gets no second call')
  })

  test('a refreshed token is stored back through the vault; a user who keeps tokens on the device has them used and gets the new refresh token in the notice', async () => {
    linked('fay')
    mastodon.refreshedToken = { access_token: 'at-2', refresh_token: 'rt-2' }
    await call('PublishContent', { content: payload('m', textContentV2('fay', 'refresh me')), metadata: { From: SENDER } })
    assert.deepEqual(JSON.parse(vault.tokens.get('mastodon/fay') ?? ''), { access_token: 'at-2', refresh_token: 'rt-2' })

    linked('gus', { scope: 'write:statuses' })
    notices.sent.length = 0
    await call('PublishContent', { content: payload('m', textContentV2('gus', 'my own tokens', 'device-at', 'device-rt')), metadata: { From: SENDER } })
    mastodon.refreshedToken = undefined
    assert.deepEqual(mastodon.published.at(-1)?.token, { scope: 'write:statuses', access_token: 'device-at', refresh_token: 'device-rt' })
    assert.deepEqual(JSON.parse(vault.tokens.get('mastodon/gus') ?? ''), { scope: 'write:statuses' }, 'the device\'s tokens are not stored')
    assert.ok(notices.sent[0]?.text.endsWith(`\n\nPlease paste this message in your RelaySMS app\n${Buffer.from('gus:rt-2').toString('base64')}`))
  })

  test('decoding, platform, decryption, token and content failures: upstream\'s codes and texts, the vault\'s passed through behind their prefix', async () => {
    const metadata = { From: SENDER }
    assert.deepStrictEqual(await failure('PublishContent', { metadata }), { code: status.INVALID_ARGUMENT, details: 'Missing required field: content' })
    assert.deepStrictEqual(await failure('PublishContent', { content: 'not base64!', metadata }), { code: status.INVALID_ARGUMENT, details: 'Error Decoding Platform Payload: Invalid base64-encoded string' })
    assert.deepStrictEqual(await failure('PublishContent', { content: Buffer.from([3, 1, 2]).toString('base64'), metadata }), { code: status.INVALID_ARGUMENT, details: 'Error Decoding Platform Payload: platform payload does not decode: version 3 is not in use' })
    assert.deepStrictEqual(await failure('PublishContent', { content: payload('z', textContentV2('a', 'b')), metadata }), { code: status.INVALID_ARGUMENT, details: 'No platform found for shortcode \'z\'.' })
    const stranger = 'ab'.repeat(32)
    assert.deepStrictEqual(await failure('PublishContent', { content: payload('m', textContentV2('a', 'b'), { deviceId: Buffer.from(stranger, 'hex') }), metadata }), { code: status.UNAUTHENTICATED, details: `Error Decrypting Platform Payload: Entity associated with device ID '${stranger}' not found. Please log in again to obtain a valid device ID.` })
    assert.deepStrictEqual(await failure('PublishContent', { content: payload('m', textContentV2('a', 'b'), { deviceId: Buffer.alloc(0) }), metadata: { From: '+237650000099' } }), { code: status.UNAUTHENTICATED, details: 'Error Decrypting Platform Payload: Entity associated with phone number \'+237650000099\' not found. Please check your phone number and try again.' })
    assert.deepStrictEqual(await failure('PublishContent', { content: payload('m', textContentV2('nobody', 'b')), metadata }), { code: status.NOT_FOUND, details: 'Error Fetching Access Token: No token found with account identifier nobody for mastodon' })
    assert.deepStrictEqual(await failure('PublishContent', { content: payload('m', Buffer.from([1, 2])), metadata }), { code: status.INVALID_ARGUMENT, details: 'content does not decode: it is shorter than its 14-byte header' })
    assert.deepStrictEqual(await failure('PublishContent', { content: payload('g', textContentV2('a', 'b')), metadata }), { code: status.UNIMPLEMENTED, details: UNSUPPORTED('gmail', 'oauth2') })
  })

  test('an unforeseen failure of the platform is INTERNAL\'s text, the sender is told it failed, and a copy gets the same answer', async () => {
    linked('hal')
    notices.sent.length = 0
    mastodon.failures.push(new TypeError('Cannot read properties of undefined'))
    const content = payload('m', textContentV2('hal', 'boom'))
    const internal = { code: status.INTERNAL, details: 'Oops! Something went wrong. Please try again later.' }
    assert.deepStrictEqual(await failure('PublishContent', { content, metadata: { From: SENDER } }), internal)
    assert.match(notices.sent[0]?.text ?? '', /^RelaySMS Delivery: Failed to send message to mastodon at /)
    assert.ok(harness.internalErrors.some(error => error instanceof TypeError))
    assert.deepStrictEqual(await failure('PublishContent', { content, metadata: { From: SENDER } }), internal)
  })

  test('an unforeseen failure before the platform is called (the vault\'s store down) is INTERNAL without a notice or a record: the same payload later publishes', async () => {
    linked('jon')
    notices.sent.length = 0
    const content = payload('m', textContentV2('jon', 'after the outage'))
    vault.failNext = { method: 'decryptPayload', failure: new Error('the store is unreachable') }
    assert.deepStrictEqual(await failure('PublishContent', { content, metadata: { From: SENDER } }), { code: status.INTERNAL, details: 'Oops! Something went wrong. Please try again later.' })
    assert.equal(notices.sent.length, 0)
    assert.equal(await store.relayPublications.get(publicationDigest(publicationKey, Buffer.from(content, 'base64'))), undefined)
    assert.equal((await call('PublishContent', { content, metadata: { From: SENDER } })).success, true)
    assert.deepEqual(mastodon.published.at(-1)?.body, 'after the outage')
  })

  test('the record is claimed, durably, before the payload is decrypted (which uses its ratchet key), and released when the payload is refused before the platform', async () => {
    linked('kim')
    const content = payload('m', textContentV2('kim', 'claimed first'))
    const keyOf = (copy: string): string => publicationDigest(publicationKey, Buffer.from(copy, 'base64'))
    let key = keyOf(content)
    const seen: Array<string | undefined> = []
    const decrypt = vault.decryptPayload.bind(vault)
    vault.decryptPayload = async request => {
      seen.push((await store.relayPublications.get(key))?.state)
      return await decrypt(request)
    }
    try {
      assert.equal((await call('PublishContent', { content, metadata: { From: SENDER } })).success, true)
      // A crash during the decryption leaves the claim: a copy is then "unknown", never decrypted again.
      assert.deepEqual(seen, ['publishing'])
      const refused = payload('m', textContentV2('nobody', 'no token'))
      key = keyOf(refused)
      assert.equal((await failure('PublishContent', { content: refused, metadata: { From: SENDER } })).code, status.NOT_FOUND)
      assert.deepEqual(seen, ['publishing', 'publishing'])
      assert.equal(await store.relayPublications.get(key), undefined, 'the refused payload\'s claim is released')
    } finally {
      vault.decryptPayload = decrypt
    }
  })

  test('a reliability test payload marks the test routed with the SMS times (metadata in seconds, handed on in ms), answers with the tests\' text and sends no notice', async () => {
    notices.sent.length = 0
    const testPayload = (id: string): string => payload('r', textContentV2(id, ''))
    assert.deepStrictEqual(await call('PublishContent', { content: testPayload('42'), metadata: { From: SENDER, Date: '1765000010', Date_sent: '1765000000' } }), { success: true, message: 'Successfully published reliability message', publisher_response: 'Test ID 42 updated successfully.' })
    assert.deepStrictEqual(routed.at(-1), { testId: '42', sms: { sentAtMs: 1_765_000_000_000, receivedAtMs: 1_765_000_010_000 } })
    assert.deepStrictEqual(await failure('PublishContent', { content: testPayload('404'), metadata: { From: SENDER, Date: '1', Date_sent: '1' } }), { code: status.INVALID_ARGUMENT, details: 'Test ID 404 not found in the database.' })
    assert.deepStrictEqual(await failure('PublishContent', { content: testPayload('7'), metadata: { From: SENDER, Date: '1', Date_sent: '1' } }), { code: status.INVALID_ARGUMENT, details: 'Test ID 7 is already marked as \'timedout\'.' })
    assert.deepStrictEqual(await failure('PublishContent', { content: testPayload('8'), metadata: { From: SENDER, Date: '1' } }), { code: status.INVALID_ARGUMENT, details: 'sms_sent_timestamp is required.' })
    assert.deepStrictEqual(await failure('PublishContent', { content: testPayload('9'), metadata: { From: SENDER, Date_sent: '1' } }), { code: status.INVALID_ARGUMENT, details: 'sms_received_timestamp is required.' })
    assert.equal(notices.sent.length, 0)
  })
})

test('without the reliability tests, the reliability platform is UNIMPLEMENTED for protocol event; without notices, none is sent', async () => {
  const other = await startPublisherHarness(store, { entityInternal: vault, adapters: new Map([['mastodon', mastodon]]) })
  try {
    assert.deepStrictEqual(await other.client.failure('PublishContent', { content: payload('r', textContentV2('1', '')), metadata: { From: SENDER, Date: '1', Date_sent: '1' } }), { code: status.UNIMPLEMENTED, details: UNSUPPORTED('reliability', 'event') })
    vault.tokens.set('mastodon/ivy', JSON.stringify({ access_token: 'a' }))
    const sent = notices.sent.length
    assert.equal((await other.client.call('PublishContent', { content: payload('m', textContentV2('ivy', 'quiet')), metadata: { From: SENDER } })).success, true)
    assert.equal(notices.sent.length, sent)
  } finally {
    await other.close()
  }
})
