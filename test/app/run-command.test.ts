import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { openStore } from '../../src/store/open-store.ts'
import { asText, smsgw } from '../cli/cli-fixtures.ts'
import { newPostgresLocation } from '../store/store-kinds.ts'
import { ApiClient, eventually, hasFinal, kinds, sealedRequest, temporaryFolder, within, type StatusJson } from './app-fixtures.ts'
import { RunChild, shell } from './run-child.ts'

// `smsgw run` (src/cli/run-command.ts) end to end: the real CLI in a child process, driven as a
// user drives it from the welcome text, stopped with Ctrl-C or killed with SIGKILL.

// How long a claim of a killed process is honoured before its request counts as "outcome
// unknown" (default 60 s); short, so a restart settles within the test.
const TAKEOVER = { SMSGW_PIPELINE_CLAIM_TAKEOVER_MS: '500' }

/** Ctrl-C, then the exit; rejects when the child has not exited after 10 s. */
async function interrupt (child: RunChild): Promise<{ code: number | null, signal: NodeJS.Signals | null }> {
  child.signal('SIGINT')
  return await within(child.exited, 10_000, 'exit after SIGINT')
}

test('smsgw run prints a welcome whose enc-sms and curl commands send a request that is DELIVERED, and exits 0 on Ctrl-C', { timeout: 40_000 }, async t => {
  const dataDir = await temporaryFolder('run')
  const child = new RunChild(dataDir)
  t.after(() => { if (child.running) child.signal('SIGKILL') })
  const welcome = await child.welcome()
  assert.match(welcome.url, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/)
  assert.ok(welcome.key !== undefined)
  assert.ok(child.stdout.includes(`The demo client's API key (shown once): ${welcome.key}\n`))
  assert.match(welcome.encSms, new RegExp(`^bin/smsgw enc-sms ${join(dataDir, 'demo.pub')} \\+\\d+ \\w+ "[^"]+"$`))
  assert.deepStrictEqual(welcome.curlUrl, `${welcome.url}/v1/messages`)

  const payload = await shell(welcome.encSms)
  const request = JSON.parse(welcome.curlBody.replace('$PAYLOAD', payload)) as Record<string, string>
  assert.deepStrictEqual(Object.keys(request), ['client-id', 'correl-id', 'deadline', 'payload'])
  const api = new ApiClient(welcome.url, welcome.key)
  assert.deepStrictEqual(await api.send(request), { status: 202, body: { 'correl-id': request['correl-id'], accepted: true } })
  assert.match(child.stdout, new RegExp(`curl -s -H "Authorization: Bearer \\$KEY" ${welcome.url}/v1/messages/${request['correl-id']} `))
  assert.deepStrictEqual(kinds(await api.statusesWhen(request['correl-id'] as string, hasFinal)), ['SENT', 'DELIVERED'])

  // The printed operator key logs in to the dashboard (issue 9, item 3); the demo client's key does not.
  assert.match(welcome.operatorKey ?? '', /^smsgw_op_[0-9a-f]{12}_[\w-]{43}$/)
  const login = async (key: string | undefined): Promise<number> => {
    const response = await fetch(`${welcome.url}/dashboard/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) })
    await response.body?.cancel()
    return response.status
  }
  assert.deepStrictEqual([await login(welcome.operatorKey), await login(welcome.key)], [204, 401])

  assert.deepStrictEqual(await interrupt(child), { code: 0, signal: null })
  assert.deepStrictEqual(child.stderr, '')
})

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`smsgw run on a ${kind} store killed with SIGKILL while it works loses no accepted request and submits none twice after a restart`, { timeout: 50_000 }, async t => {
    await killAndRestart(t, kind)
  })
}

async function killAndRestart (t: TestContext, kind: 'sqlite' | 'postgres'): Promise<void> {
  const dataDir = await temporaryFolder('run-kill')
  const location = kind === 'sqlite' ? join(dataDir, 'smsgw.db') : await newPostgresLocation()
  const env = kind === 'sqlite' ? TAKEOVER : { ...TAKEOVER, SMSGW_STORE_URL: location }
  const first = new RunChild(dataDir, env)
  t.after(() => { if (first.running) first.signal('SIGKILL') })
  const welcome = await first.welcome()
  const api = new ApiClient(welcome.url, welcome.key)
  const demoPub = join(dataDir, 'demo.pub')
  const correlIds = Array.from({ length: 200 }, (_, n) => `k-${n}`)
  const requests = await Promise.all(correlIds.map(async (correlId, n) =>
    await sealedRequest(demoPub, 'demo', correlId, { to: `+2557${String(n).padStart(8, '0')}`, sender: 'DEMO', body: `kill test ${n}` })))

  // The kill comes once the stream shows 60 SENT: the rest is queued, claimed or in the window.
  const stream = await fetch(`${welcome.url}/v1/statuses/stream`, { headers: { authorization: `Bearer ${welcome.key ?? ''}` } })
  assert.deepStrictEqual(stream.status, 200)
  const sentBeforeKill = new Set<string>()
  const reading = (async () => {
    const decoder = new TextDecoder()
    let text = ''
    for await (const chunk of stream.body as ReadableStream<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true })
      for (const [, data] of text.matchAll(/^data: (.*)$/gm)) {
        const status = JSON.parse(data as string) as StatusJson
        if (status['sms-status'] === 'SENT') sentBeforeKill.add(status['correl-id'])
      }
      text = text.slice(text.lastIndexOf('\n') + 1)
      if (sentBeforeKill.size >= 60 && first.running) first.signal('SIGKILL')
    }
  })().catch(() => {})
  const accepted: string[] = []
  const queue = [...requests]
  await Promise.all(Array.from({ length: 32 }, async () => {
    for (let request = queue.shift(); request !== undefined && first.running; request = queue.shift()) {
      const answer = await api.send(request).catch(() => undefined)
      if (answer?.status === 202) accepted.push(request['correl-id'] as string)
    }
  }))
  assert.deepStrictEqual((await within(first.exited, 15_000, `the kill (${sentBeforeKill.size} SENT seen)`)).signal, 'SIGKILL')
  await reading
  const killedAtSecond = Math.floor(Date.now() / 1000)
  // What the ledger held at the kill: the requests marked `writing` (about to be written to the
  // SMSC's window, or written), not finished. Each may have reached the SMSC, so none may be
  // submitted again. Those only claimed (waiting for a window slot) never left: the restart
  // takes them over and sends them (issue 9, item 9).
  const store = await openStore(location)
  const unfinished = (await store.ledger.all()).filter(({ entry }) => !entry.done)
  const claimedAtKill = new Set(unfinished.filter(({ entry }) => entry.writingAtMs !== undefined).map(({ key }) => (JSON.parse(key) as [string, string])[1]))
  const onlyClaimedAtKill = unfinished.length - claimedAtKill.size
  await store.close()
  // Restart in a later second: a status stamped up to killedAtSecond came from the first process.
  await sleep(1000 - (Date.now() % 1000) + 50)

  const second = new RunChild(dataDir, env)
  t.after(() => { if (second.running) second.signal('SIGKILL') })
  const again = await second.welcome()
  assert.deepStrictEqual(again.key, undefined)
  const api2 = new ApiClient(again.url, welcome.key)
  const unknown = (): Set<string> => new Set(second.logLines.filter(line => /outcome unknown/.test(String(line.msg))).map(line => String(line.correlId)))
  const fromFirst = (status: StatusJson): boolean => Date.parse(status.timestamp) / 1000 <= killedAtSecond
  // Where each accepted request may end (spec §7; docs/embedded-mode.md, "What kill -9 guarantees"):
  // - marked writing at the kill, not finished: logged "outcome unknown", no status from the restart;
  // - finished before the kill: SENT, and DELIVERED unless its receipt was due from the simulator
  //   that died with the first process;
  // - not marked writing at the kill (claimed only, or not even): submitted once by the restart,
  //   SENT then DELIVERED.
  const outcome = (statuses: readonly StatusJson[], correlId: string): string => {
    const shape = kinds(statuses).join(',')
    const allFromFirst = statuses.every(fromFirst)
    if (claimedAtKill.has(correlId)) return unknown().has(correlId) && allFromFirst ? 'outcome unknown' : 'pending'
    if (statuses.length > 0 && allFromFirst) return shape === 'SENT,DELIVERED' ? 'delivered before the kill' : shape === 'SENT' ? 'receipt lost' : 'pending'
    return shape === 'SENT,DELIVERED' && !statuses.some(fromFirst) ? 'delivered after the restart' : 'pending'
  }
  const final = new Map<string, StatusJson[]>()
  await eventually('every accepted request settled', async () => {
    for (const correlId of accepted) {
      if (final.has(correlId)) continue
      const statuses = await api2.statuses(correlId)
      if (outcome(statuses, correlId) !== 'pending') final.set(correlId, statuses)
    }
    return final.size === accepted.length
  }, 20_000).catch(async (error: Error) => {
    const pending = await Promise.all(accepted.filter(id => !final.has(id)).slice(0, 5).map(async id =>
      `${id} claimed ${claimedAtKill.has(id)} logged ${unknown().has(id)}: ${JSON.stringify(await api2.statuses(id))}`))
    assert.fail(`${error.message}\n${pending.join('\n')}`)
  })
  // Settled is not moving: a second look after the receipt delay finds the same statuses, and no
  // request, accepted or not, has two SENT.
  await sleep(1_000)
  for (const correlId of correlIds) {
    const statuses = await api2.statuses(correlId)
    assert.ok(kinds(statuses).filter(kind => kind === 'SENT').length <= 1, `${correlId}: ${JSON.stringify(statuses)}`)
    if (final.has(correlId)) assert.deepStrictEqual(statuses, final.get(correlId), correlId)
  }
  assert.deepStrictEqual([...unknown()].filter(correlId => !claimedAtKill.has(correlId)), [])
  const tally: Record<string, number> = {}
  for (const [correlId, statuses] of final) tally[outcome(statuses, correlId)] = (tally[outcome(statuses, correlId)] ?? 0) + 1
  t.diagnostic(`accepted ${accepted.length}, SENT seen before the kill ${sentBeforeKill.size}, marked writing at the kill ${claimedAtKill.size}, only claimed ${onlyClaimedAtKill}, ${JSON.stringify(tally)}`)
  // The kill came mid-way: with requests in the SMSC's window.
  assert.ok(accepted.length >= 60, `accepted ${accepted.length}`)
  assert.ok((tally['outcome unknown'] ?? 0) > 0, JSON.stringify(tally))
  assert.deepStrictEqual(await interrupt(second), { code: 0, signal: null })
}

test('smsgw run logs no recipient, sender or body on stdout or stderr: not when delivered, not on refusals, not around a SIGKILL and its restart', { timeout: 50_000 }, async t => {
  const dataDir = await temporaryFolder('run-plaintext')
  // Debug logs, and a recipient prefix, so that foreign numbers are refused (docs/configuration.md).
  const env = { ...TAKEOVER, SMSGW_LOG_LEVEL: 'debug', SMSGW_SMPP_PREFIXES: '+255' }
  const first = new RunChild(dataDir, env)
  t.after(() => { if (first.running) first.signal('SIGKILL') })
  const welcome = await first.welcome()
  const demo = new ApiClient(welcome.url, welcome.key)
  const created = asText(await smsgw(['api-key', 'create', 'test', '--file', join(dataDir, 'api-keys.json')]))
  assert.deepStrictEqual({ code: created.code, stderr: created.stderr }, { code: 0, stderr: '' })
  const testKey = created.stdout.trim()
  const tester = new ApiClient(welcome.url, testKey)
  const demoPub = join(dataDir, 'demo.pub')
  const secrets: string[] = []
  const sms = (to: string, sender: string, body: string): { to: string, sender: string, body: string } => {
    secrets.push(to.slice(1), sender, body)
    return { to, sender, body }
  }
  // Each case with the statuses it gets, [sms-status, error-text], the error text as a pattern.
  const cases = [
    { api: demo, request: await sealedRequest(demoPub, 'demo', 'p-ok', sms('+255768203914', 'ZXQMARA', 'Ndege 4417 imetua salama')), statuses: [['SENT', /^$/], ['DELIVERED', /^$/]] },
    { api: demo, request: await sealedRequest(demoPub, 'demo', 'p-sender', sms('+255768203915', 'SENDERTOOLONG93', 'Mzigo 2290 uko tayari')), statuses: [['INVALID', /^SMS sender does not have a 1-11 character length: SENDERTOOLONG93$/]] },
    { api: demo, request: await sealedRequest(demoPub, 'demo', 'p-foreign', sms('+4915209387741', 'ZXQMARA', 'Paket 6620 ist da')), statuses: [['INVALID', /^Gateway disallows foreign SMS recipient: \+4915209387741$/]] },
    { api: demo, request: await sealedRequest(join(dataDir, 'test.pub'), 'demo', 'p-wrong-key', sms('+255768203916', 'ZXQMARA', 'Siri 5512 ya mlango')), statuses: [['INVALID', /^Failed to parse request payload: /]] },
    { api: tester, request: await sealedRequest(join(dataDir, 'test.pub'), 'test', 'p-fail', sms('+255768203917', 'ZXQMARA', 'Mtihani 8830 FAIL')), statuses: [['FAILED', /^You requested this to FAIL$/]] }
  ] as const
  await eventually('the new test key is honoured', async () => (await tester.send({})).status !== 401, 5_000)
  for (const { api, request } of cases) assert.deepStrictEqual((await api.send(request)).status, 202, request['correl-id'])
  for (const { api, request, statuses } of cases) {
    const got = await api.statusesWhen(request['correl-id'] as string, hasFinal)
    assert.deepStrictEqual(kinds(got), statuses.map(([kind]) => kind), request['correl-id'])
    // The contract echoes recipients and senders in some error texts: the plaintext was there to leak.
    got.forEach((status, n) => { assert.match(status['error-text'] ?? '', statuses[n]?.[1] ?? /^$/, request['correl-id']) })
  }

  // The crash path: a burst of requests, killed while it is worked on, then a restart that finds
  // requests of unknown outcome and submits the rest.
  const burst = await Promise.all(Array.from({ length: 40 }, async (_, n) =>
    await sealedRequest(demoPub, 'demo', `p-burst-${n}`, sms(`+2557690${String(n).padStart(5, '0')}8`, 'ZXQMARA', `Kundi ${n} la 7341`))))
  const sends = burst.map(async request => await demo.send(request).catch(() => undefined))
  await sleep(50)
  first.signal('SIGKILL')
  await Promise.all(sends)
  assert.deepStrictEqual((await within(first.exited, 10_000, 'the kill')).signal, 'SIGKILL')
  const second = new RunChild(dataDir, env)
  t.after(() => { if (second.running) second.signal('SIGKILL') })
  await second.welcome()
  await sleep(1_500)
  assert.deepStrictEqual(await interrupt(second), { code: 0, signal: null })

  const output = first.output + second.output
  assert.match(first.stdout, /"msg":"SMSC bound"/)
  assert.match(output, /"level":"debug"/)
  const payloads = [...cases.map(({ request }) => request), ...burst].map(request => request.payload as string)
  for (const secret of [...secrets, ...payloads]) assert.ok(!output.includes(secret), `${secret.slice(0, 40)} in the output of smsgw run`)
})
