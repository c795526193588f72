import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { rangeApiBreachLookup } from '../../../src/relay/grpc/breach-lookup.ts'
import { BREACHED_PASSWORD_DETAILS } from '../../../src/relay/grpc/entity-inputs.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { completeOnApp, keyFields, newAppKeys } from './app-client.ts'
import { OTP_CODE, startEntityHarness } from './entity-harness.ts'
import { startLoopbackHttpService, type SeenRequest } from './loopback-http-service.ts'

// The breach lookup of new passwords (relay-wire.md §4, last strength rule) against a real HTTP
// server on loopback that answers in the Pwned Passwords range format.

const [sqlite] = await storeKinds('relay-breach-lookup')
const BREACHED = 'Br3ached!pass'
const CLEAN = 'Cl3an!password'
const COMMON_PADDING = ['0000000000000000000000000000000000A:0', '0000000000000000000000000000000000B:0']

function sha1 (text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase()
}

/** The range API: the breached password's suffix with a count; the clean one's only as padding (count 0). */
async function rangeService (): Promise<Awaited<ReturnType<typeof startLoopbackHttpService>>> {
  return await startLoopbackHttpService((request, response) => {
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(request.url)?.[1]
    if (request.method !== 'GET' || prefix === undefined) { response.writeHead(404).end(); return }
    const lines = [...COMMON_PADDING]
    if (sha1(BREACHED).startsWith(prefix)) lines.push(`${sha1(BREACHED).slice(5)}:42`)
    if (sha1(CLEAN).startsWith(prefix)) lines.push(`${sha1(CLEAN).slice(5)}:0`)
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end(lines.join('\r\n'))
  })
}

function assertOnlyPrefixesLeft (seen: readonly SeenRequest[], passwords: readonly string[]): void {
  const sent = JSON.stringify(seen)
  for (const password of passwords) {
    assert.ok(!sent.includes(password), 'the password never reaches the service')
    assert.ok(!sent.toUpperCase().includes(sha1(password)), 'its full hash never does either')
    assert.ok(!sent.toUpperCase().includes(sha1(password).slice(5)), 'nor the suffix that would tell it')
  }
  for (const request of seen) {
    assert.match(request.url, /^\/range\/[0-9A-F]{5}$/)
    assert.equal(request.body, '')
    assert.equal(request.headers['add-padding'], 'true')
  }
}

test('a breached password is refused with the contract\'s text by CreateEntity, ResetPassword and UpdateEntityPassword; a clean one (listed only as padding) is accepted; only the 5-digit prefix leaves', async () => {
  const service = await rangeService()
  const harness = await startEntityHarness(await sqlite!.open(), undefined, { breachLookup: rangeApiBreachLookup({ baseUrl: `${service.baseUrl}/` }) })
  const keys = newAppKeys()
  const request = { country_code: 'CM', phone_number: '+237650000001', ...keyFields(keys) }
  const breached = { code: status.INVALID_ARGUMENT, details: BREACHED_PASSWORD_DETAILS }

  assert.deepEqual(await harness.failure('CreateEntity', { ...request, password: BREACHED }), breached)
  assert.deepEqual(service.seen.map(seen => [seen.method, seen.url]), [['GET', `/range/${sha1(BREACHED).slice(0, 5)}`]])
  assert.equal(await harness.vault.accounts.count(), 0)

  const first = await harness.call.CreateEntity({ ...request, password: CLEAN })
  assert.equal(first.requires_ownership_proof, true)
  const app = completeOnApp(keys, await harness.call.CreateEntity({ ...request, password: CLEAN, ownership_proof_response: OTP_CODE }))

  assert.deepEqual(await harness.failure('ResetPassword', { phone_number: request.phone_number, new_password: BREACHED }), breached)
  assert.deepEqual(await harness.failure('UpdateEntityPassword', { long_lived_token: app.token, current_password: CLEAN, new_password: BREACHED }), breached)
  assertOnlyPrefixesLeft(service.seen, [BREACHED, CLEAN])
  assert.equal(service.seen.length, 5, 'one lookup per password checked: two refusals, the two steps of the sign-up, and the two refusals after')
  assert.deepEqual(harness.internalErrors, [])
  await harness.close()
  await service.close()
})

test('a failed lookup skips the rule: the service down, answering 500, or slower than the timeout', async () => {
  const down = await rangeService()
  await down.close()
  const failing = await startLoopbackHttpService((_request, response) => { response.writeHead(500).end('breach database unavailable') })
  const silent = await startLoopbackHttpService(() => { /* never answers; closed below */ })
  for (const lookup of [rangeApiBreachLookup({ baseUrl: down.baseUrl }), rangeApiBreachLookup({ baseUrl: failing.baseUrl }), rangeApiBreachLookup({ baseUrl: silent.baseUrl, timeoutMs: 200 })]) {
    assert.equal(await lookup(BREACHED), undefined)
    const harness = await startEntityHarness(await sqlite!.open(), undefined, { breachLookup: lookup })
    const started = Date.now()
    const first = await harness.call.CreateEntity({ country_code: 'CM', phone_number: '+237650000001', password: BREACHED, ...keyFields(newAppKeys()) })
    assert.equal(first.requires_ownership_proof, true)
    assert.ok(Date.now() - started < 3000, 'bounded by the lookup\'s timeout')
    await harness.close()
  }
  assert.equal(silent.seen.length, 2)
  assertOnlyPrefixesLeft([...failing.seen, ...silent.seen], [BREACHED])
  await failing.close()
  await silent.close()
})
