import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { MAX_CLIENT_ID_BYTES, MAX_CORREL_ID_BYTES } from '../../src/domain/request-ids.ts'
import { MAX_REQUEST_BYTES } from '../../src/gateway/stages/parse-request.ts'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { ApiClient, FAR_DEADLINE, eventually, hasFinal, kinds, sealedRequest, temporaryFolder } from './app-fixtures.ts'
import { RunChild } from './run-child.ts'

// A hostile client against `bin/smsgw run` as a user starts it, with its default heap cap of
// 160 MB (bin/smsgw): issue 9 found that 424 accepted requests with 60,000-character correl-ids
// made V8 abort. Here many clients send the largest ids the API accepts, and larger ones, as fast
// as they are answered; the process must survive, keep answering, and keep its memory flat.

const MiB = 1024 * 1024
const CLIENTS = 16
/** Requests of the largest accepted fields, over all clients. */
const FLOOD_REQUESTS = 6_000
const CONCURRENCY = 16
/** How far RSS may rise from the first half of the flood to the end: caches fill, then stay. */
const FLAT_RSS_BYTES = 48 * MiB
const HEAP_CAP_BYTES = 160 * MiB

/** A client-id of exactly MAX_CLIENT_ID_BYTES bytes in UTF-8, of characters of 1 and 2 bytes. */
function clientIdOf (n: number): string {
  const head = `flood-${n}-`
  return head + 'é'.repeat((MAX_CLIENT_ID_BYTES - head.length) / 2) + (head.length % 2 === 0 ? '' : 'x')
}

/** A correl-id of exactly MAX_CORREL_ID_BYTES bytes in UTF-8 (4-byte characters: 2 UTF-16 units each). */
function correlIdOf (n: number): string {
  const head = String(n).padStart(8, '0')
  return head + '😀'.repeat((MAX_CORREL_ID_BYTES - 8) / 4)
}

/** Memory as the process itself reports it on /metrics. */
async function memoryOf (url: string): Promise<{ rss: number, heapUsed: number }> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const value = (name: string): number => Number((text.match(new RegExp(`^${name} (\\S+)$`, 'm')) ?? assert.fail(`no ${name} on /metrics`))[1])
  return { rss: value('process_resident_memory_bytes'), heapUsed: value('nodejs_heap_size_used_bytes') }
}

/** Runs `work` for 0 … count-1 on `concurrency` workers. */
async function inParallel (count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await work(next++)
  }))
}

/** POST /v1/messages with `key`, waiting out 429s; resolves to the status code and the answer. */
async function post (url: string, key: string, body: string): Promise<{ status: number, answer: Record<string, unknown> }> {
  for (;;) {
    const response = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body })
    const answer = await response.json() as Record<string, unknown>
    if (response.status !== 429) return { status: response.status, answer }
    await new Promise(resolve => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000))
  }
}

test('smsgw run under its default heap cap survives a flood of the largest ids from many clients, and of larger ones, with its memory flat', { timeout: 240_000 }, async t => {
  const dataDir = await temporaryFolder('run-flood')
  const child = new RunChild(dataDir)
  t.after(() => { if (child.running) child.signal('SIGKILL') })
  const welcome = await child.welcome()
  const { url } = welcome
  const demoKey = welcome.key ?? assert.fail('no demo key')

  // Keys for many clients, made beside the running gateway as `smsgw api-key create` would.
  const keyFile = await ApiKeyFile.open(join(dataDir, 'api-keys.json'))
  const clients: Array<{ clientId: string, key: string }> = []
  for (let n = 0; n < CLIENTS; n++) clients.push({ clientId: clientIdOf(n), key: (await keyFile.create(clientIdOf(n))).key })
  assert.ok(clients.every(({ clientId }) => Buffer.byteLength(clientId) === MAX_CLIENT_ID_BYTES))
  const last = clients.at(-1) ?? assert.fail('no client')
  await eventually('the gateway knows the new keys', async () => {
    const response = await fetch(`${url}/v1/messages/none`, { headers: { authorization: `Bearer ${last.key}` } })
    await response.body?.cancel()
    return response.status === 404
  })

  // Status streams that nobody reads: the gateway must drop them rather than buffer for them.
  const unread = await Promise.all(clients.map(async ({ key }) => await fetch(`${url}/v1/statuses/stream`, { headers: { authorization: `Bearer ${key}` } })))
  assert.ok(unread.every(response => response.status === 200))

  // The attack: correl-ids of 60,000 characters, within 64 KiB bodies. Each is refused, naming the field.
  const demoPayload = (await sealedRequest(join(dataDir, 'demo.pub'), 'demo', 'x', { to: '+255712345678', sender: 'DEMO', body: 'flood' })).payload as string
  await inParallel(600, CONCURRENCY, async n => {
    const { clientId, key } = clients[n % CLIENTS] as { clientId: string, key: string }
    const body = JSON.stringify({ 'client-id': clientId, 'correl-id': `${n}-${'x'.repeat(60_000)}`, deadline: FAR_DEADLINE, payload: demoPayload })
    assert.ok(Buffer.byteLength(body) < MAX_REQUEST_BYTES)
    const { status, answer } = await post(url, key, body)
    assert.deepStrictEqual([status, answer.message], [400, 'correl-id is longer than 256 bytes in UTF-8'])
  })

  // The largest accepted fields: a 64-byte client-id, a 256-byte correl-id, a request of almost
  // 64 KiB. Requests of unknown clients are INVALID (row 4); those of `demo` go to the SMSC.
  const largePayload = Buffer.alloc(45_000, 7).toString('base64')
  let before: { rss: number, heapUsed: number } | undefined
  const demoCorrelIds: string[] = []
  await inParallel(FLOOD_REQUESTS, CONCURRENCY, async n => {
    if (n === FLOOD_REQUESTS / 2) before = await memoryOf(url)
    const toDemo = n % 10 === 0
    const { clientId, key } = toDemo ? { clientId: 'demo', key: demoKey } : clients[n % CLIENTS] as { clientId: string, key: string }
    const correlId = correlIdOf(n)
    if (toDemo) demoCorrelIds.push(correlId)
    const body = JSON.stringify({ 'client-id': clientId, 'correl-id': correlId, deadline: FAR_DEADLINE, payload: toDemo ? demoPayload : largePayload })
    const { status } = await post(url, key, body)
    assert.equal(status, 202)
  })
  const demoApi = new ApiClient(url, demoKey)
  const lastDemo = demoCorrelIds.at(-1) ?? assert.fail('no demo request')
  assert.deepStrictEqual(kinds(await demoApi.statusesWhen(lastDemo, hasFinal, 60_000)), ['SENT', 'DELIVERED'])
  const after = await memoryOf(url)

  assert.ok(child.running, child.output.slice(-2_000))
  assert.ok(before !== undefined)
  assert.ok(after.heapUsed < HEAP_CAP_BYTES * 0.75, `heap used ${after.heapUsed} bytes of a ${HEAP_CAP_BYTES} cap`)
  assert.ok(after.rss - before.rss < FLAT_RSS_BYTES, `RSS from ${before.rss} to ${after.rss} bytes over the second half of the flood`)
  // Still answering, with exact ids.
  const unknown = new ApiClient(url, last.key)
  assert.deepStrictEqual(kinds(await unknown.statusesWhen(correlIdOf(FLOOD_REQUESTS - 1), hasFinal, 20_000)), ['INVALID'])
  assert.equal((await fetch(`${url}/healthz`)).status, 200)
  for (const response of unread) await response.body?.cancel().catch(() => {})
  child.signal('SIGINT')
  assert.deepStrictEqual(await child.exited, { code: 0, signal: null })
})
