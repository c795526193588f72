import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import { test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { keyIdOf, type VaultKey } from '../../../src/crypto/vault/index.ts'
import { ApiKeyFile } from '../../../src/http/api-keys/index.ts'
import { buildHttpApp } from '../../../src/http/app.ts'
import type { InboundSms } from '../../../src/smpp/inbound/index.ts'
import { SqliteStore } from '../../../src/store/sqlite/index.ts'
import { InboundInbox } from '../../../src/transport/embedded/inbound-inbox.ts'
import { IngressFake, StatusFeedFake, capturingLogger, temporaryFolder } from './http-fakes.ts'

// GET /v1/inbound and GET /v1/inbound/stream over a real inbox on a SQLite store.

const folder = await temporaryFolder()
const keys = await ApiKeyFile.open(join(folder, 'keys.json'))
const acmeKey = (await keys.create('acme')).key
const otherKey = (await keys.create('other')).key
const { privateKey, publicKey } = generateKeyPairSync('x25519')
const vaultKey: VaultKey = { alias: 'acme', type: 'x25519', privateKey, publicKey, keyId: keyIdOf(publicKey) }
const vault = { keysFor: () => [vaultKey] }
let texts = 0
const sms = (recipient: string): InboundSms => ({
  sender: '+4915112345678', recipient, text: `message ${++texts}`, receivedAt: new Date('2026-11-21T10:00:00Z'), connectionId: 'smsc-a', parts: 1, encoding: 'gsm7'
})

async function appWithInbox (t: test.TestContext): Promise<{ app: FastifyInstance, inbox: InboundInbox }> {
  const store = SqliteStore.open(join(folder, `store-${texts}.db`))
  const inbox = new InboundInbox(store.inbound, { owners: [{ client: 'acme', prefixes: ['+49'] }, { client: 'other', prefixes: [''] }], duplicateWindowMs: 60_000 })
  const app = await buildHttpApp({
    ingress: new IngressFake(), statuses: new StatusFeedFake(), inbound: inbox, apiKeys: keys, rateLimit: { requestsPerSecond: 1000, burst: 1000 }, log: capturingLogger().log
  })
  t.after(async () => {
    await app.close()
    store.close()
  })
  return { app, inbox }
}

const get = async (app: FastifyInstance, url: string, key: string | null = acmeKey): Promise<{ status: number, body: any }> => {
  const response = await app.inject({ method: 'GET', url, headers: key === null ? {} : { authorization: `Bearer ${key}` } })
  return { status: response.statusCode, body: response.json() }
}

test('GET /v1/inbound gives the key\'s client\'s messages after a cursor, a page at a time, sealed, and the next cursor', async t => {
  const { app, inbox } = await appWithInbox(t)
  for (const recipient of ['+491', '+331', '+492', '+493']) await inbox.receive(sms(recipient), vault)
  const first = await get(app, '/v1/inbound?limit=2')
  assert.equal(first.status, 200)
  assert.deepStrictEqual(first.body.messages.map((message: { id: string }) => message.id), ['1', '3'])
  assert.deepStrictEqual(Object.keys(first.body.messages[0]), ['id', 'received', 'connection', 'parts', 'incomplete', 'payload'])
  assert.deepStrictEqual([first.body.messages[0].received, first.body.messages[0].connection, first.body.messages[0].parts, first.body.messages[0].incomplete, first.body.next],
    ['2026-11-21T10:00:00Z', 'smsc-a', 1, false, '3'])
  assert.ok(!JSON.stringify(first.body).includes('4915112345678'), 'the sender is sealed')
  assert.deepStrictEqual((await get(app, `/v1/inbound?after=${first.body.next as string}`)).body.messages.map((message: { id: string }) => message.id), ['4'])
  assert.deepStrictEqual((await get(app, '/v1/inbound?after=4')).body, { messages: [], next: '4' })
  assert.deepStrictEqual((await get(app, '/v1/inbound', otherKey)).body.messages.map((message: { id: string }) => message.id), ['2'])
})

test('GET /v1/inbound refuses a bad cursor or limit with 400 and a request without a key with 401', async t => {
  const { app } = await appWithInbox(t)
  for (const url of ['/v1/inbound?after=-1', '/v1/inbound?after=1234567890123456', '/v1/inbound?after=x', '/v1/inbound?limit=501', '/v1/inbound?limit=0']) {
    assert.equal((await get(app, url)).status, 400, url)
  }
  assert.equal((await get(app, '/v1/inbound', null)).status, 401)
})

test('GET /v1/inbound/stream sends the client\'s messages as `inbound` events with their id, replaying those after Last-Event-ID first', async t => {
  const { app, inbox } = await appWithInbox(t)
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/v1/inbound/stream`
  await inbox.receive(sms('+491'), vault)
  await inbox.receive(sms('+492'), vault)
  const abort = new AbortController()
  t.after(() => { abort.abort() })
  const response = await fetch(url, { headers: { authorization: `Bearer ${acmeKey}`, 'last-event-id': '1' }, signal: abort.signal })
  assert.deepStrictEqual([response.status, response.headers.get('content-type')], [200, 'text/event-stream; charset=utf-8'])
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let text = ''
  const readUntil = async (needle: string): Promise<void> => {
    while (!text.includes(needle)) text += decoder.decode((await reader.read()).value, { stream: true })
  }
  await readUntil('id: 2\n')
  await inbox.receive(sms('+331'), vault)
  await inbox.receive(sms('+493'), vault)
  await readUntil('id: 4\n')
  const events = [...text.matchAll(/^id: (\d+)\nevent: inbound\ndata: (.*)$/gm)].map(([, id, data]) => [id, (JSON.parse(data as string) as { id: string }).id])
  assert.deepStrictEqual(events, [['2', '2'], ['4', '4']])
  const bad = await fetch(url, { headers: { authorization: `Bearer ${acmeKey}`, 'last-event-id': 'yesterday' } })
  assert.equal(bad.status, 400)
  await bad.body?.cancel()
})

test('GET /v1/inbound/stream replays more than its 1 MiB buffer bound to a reader that keeps reading', async t => {
  const { app, inbox } = await appWithInbox(t)
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/v1/inbound/stream`
  const count = 3_000
  for (let start = 0; start < count; start += 500) await Promise.all(Array.from({ length: 500 }, async () => { await inbox.receive(sms('+49'), vault) }))
  const abort = new AbortController()
  t.after(() => { abort.abort() })
  const replay = await fetch(`${url}?after=0`, { headers: { authorization: `Bearer ${acmeKey}` }, signal: abort.signal })
  const decoder = new TextDecoder()
  let bytes = 0
  let last = ''
  for await (const chunk of replay.body as ReadableStream<Uint8Array>) {
    bytes += chunk.length
    last = (last + decoder.decode(chunk, { stream: true })).slice(-20_000)
    if (last.includes(`id: ${count}\n`)) break
  }
  assert.ok(bytes > 1024 * 1024, `${bytes} bytes replayed`)
  assert.match(last, new RegExp(`id: ${count}\\n`))
})
