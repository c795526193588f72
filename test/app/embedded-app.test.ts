import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { demoPublicKey, startApp } from './embedded-app-fixture.ts'
import { ApiClient, eventually, hasFinal, kinds, sealedRequest, temporaryFolder } from './app-fixtures.ts'
import { logIn, openBrowser } from '../http/dashboard/dashboard-browser-fixture.ts'

// The one-command experience in-process, with every real part: the SQLite queue, the gateway, the
// HTTP API on a real port, the demo SMSC simulator over real SMPP, the demo vault and API key.

const VIEWPORT = { width: 1280, height: 900 }
// Plaintext of the requests: distinctive, so that a leak into the log is found.
const RECIPIENT = '+255712904836'
const BODY = 'Parcel 5531 waits at the Kariakoo desk'

test('startEmbeddedApp accepts a sealed demo request over HTTP and reports SENT then DELIVERED from the simulator over SMPP, loop-back statuses for test, and refuses bad or unauthenticated requests', { timeout: 30_000 }, async t => {
  const dataDir = await temporaryFolder('embedded-app')
  const { app, log } = await startApp(t, dataDir)
  assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.match(app.smsc ?? '', /^127\.0\.0\.1:\d+$/)
  assert.match(app.newApiKey ?? '', /^smsgw_[0-9a-f]{12}_[\w-]{43}$/)
  const demo = new ApiClient(app.url, app.newApiKey)

  const request = await sealedRequest(demoPublicKey(app, 'demo'), 'demo', 'first', { to: RECIPIENT, sender: 'DEMO', body: BODY })
  assert.deepStrictEqual(await demo.send(request), { status: 202, body: { 'correl-id': 'first', accepted: true } })
  const statuses = await demo.statusesWhen('first', hasFinal)
  assert.deepStrictEqual(kinds(statuses), ['SENT', 'DELIVERED'])
  // The receipt came back for the message the SMSC acknowledged: both carry its message id.
  assert.match(statuses[0]?.['recall-id'] ?? '', /^\d+$/)
  assert.deepStrictEqual(statuses.map(status => [status['client-id'], status['correl-id'], status['recall-id']]), [
    ['demo', 'first', statuses[0]?.['recall-id']], ['demo', 'first', statuses[0]?.['recall-id']]
  ])

  // The `test` client answers by loop-back (spec §6): S1F1 gives SENT then FAILED, which the
  // simulator never does. Its key is made as `smsgw api-key create test` makes it, while running.
  const testKey = (await (await ApiKeyFile.open(join(dataDir, 'api-keys.json'))).create('test')).key
  const tester = new ApiClient(app.url, testKey)
  const loopback = await sealedRequest(demoPublicKey(app, 'test'), 'test', 'loop-1', { to: RECIPIENT, sender: 'TEST', body: `${BODY} S1F1` })
  // The running app looks at the key file at most once a second.
  let accepted: Awaited<ReturnType<ApiClient['send']>> | undefined
  await eventually('the new test key is honoured', async () => {
    accepted = await tester.send(loopback)
    return accepted.status !== 401
  }, 5_000)
  assert.deepStrictEqual(accepted, { status: 202, body: { 'correl-id': 'loop-1', accepted: true } })
  const loopbackStatuses = await tester.statusesWhen('loop-1', hasFinal)
  assert.deepStrictEqual(loopbackStatuses.map(status => [status['sms-status'], status['error-text']]), [
    ['SENT', undefined], ['FAILED', 'Failed after successful send']
  ])

  // The demo key sends for demo only; a bad request names its field; no key, no entry.
  assert.deepStrictEqual((await demo.send(loopback)).status, 403)
  const { deadline: _deadline, ...withoutDeadline } = request
  const bad = await demo.send({ ...withoutDeadline, 'correl-id': 'bad' })
  assert.deepStrictEqual([bad.status, bad.body.message, bad.body.errors], [400, 'deadline is missing', ['deadline is missing']])
  const anonymous = await new ApiClient(app.url, undefined).send(request)
  assert.deepStrictEqual([anonymous.status, anonymous.body.message], [401, 'missing API key: send the header Authorization: Bearer <key>'])
  const unread = await fetch(`${app.url}/v1/messages/first`)
  assert.deepStrictEqual([unread.status, unread.headers.get('www-authenticate')], [401, 'Bearer realm="smsgw"'])
  await unread.body?.cancel()

  // The dashboard's data answers operators only (issue 9, item 3): not anyone, not the demo client.
  assert.match(app.newOperatorKey ?? '', /^smsgw_op_[0-9a-f]{12}_[\w-]{43}$/)
  const historyAs = async (authorization?: string): Promise<number> => {
    const response = await fetch(`${app.url}/dashboard/history?client-id=demo&correl-id=first`, { headers: authorization === undefined ? {} : { authorization } })
    await response.body?.cancel()
    return response.status
  }
  assert.deepStrictEqual([await historyAs(), await historyAs(`Bearer ${app.newApiKey ?? ''}`), await historyAs(`Bearer ${app.newOperatorKey ?? ''}`)], [401, 401, 200])

  const ready = await fetch(`${app.url}/readyz`)
  assert.deepStrictEqual(ready.status, 200)
  await ready.body?.cancel()
  const metrics = await (await fetch(`${app.url}/metrics`)).text()
  for (const [status, client] of [['SENT', 'demo'], ['DELIVERED', 'demo'], ['SENT', 'test'], ['FAILED', 'test']]) {
    assert.match(metrics, new RegExp(`^smsgw_statuses_total\\{status="${status}",client="${client}"\\} 1$`, 'm'), `${status} of ${client} in /metrics`)
  }
  assert.match(metrics, /^smsgw_smsc_bound\{connection="smsc"\} 1$/m)
  const openapi = await (await fetch(`${app.url}/openapi.json`)).json() as { openapi: string, paths: Record<string, unknown> }
  assert.match(openapi.openapi, /^3\.1\./)
  assert.ok('/v1/messages' in openapi.paths && '/v1/messages/{correlId}' in openapi.paths, Object.keys(openapi.paths).join(' '))
  // The demo runs the relay (test/app/run-relay-demo.test.ts); with a configuration it runs only when configured (embedded-app-config.test.ts).
  const registry = await fetch(`${app.url}/v3/clients`)
  assert.equal(registry.status, 200, 'the demo\'s relay serves the gateway-client registry')
  await registry.body?.cancel()

  await app.close()
  const logText = log.join('')
  assert.match(logText, /SMSC bound/)
  for (const secret of [RECIPIENT.slice(1), BODY, 'Kariakoo', app.newApiKey ?? '-', app.newOperatorKey ?? '-', request.payload ?? '-']) {
    assert.ok(!logText.includes(secret), `${secret} in the log`)
  }
})

test('startEmbeddedApp dashboard in a real browser shows a request sent after the page loaded, live, up to DELIVERED', { timeout: 45_000 }, async t => {
  const dataDir = await temporaryFolder('embedded-app-dashboard')
  const { app } = await startApp(t, dataDir)
  const demo = new ApiClient(app.url, app.newApiKey)
  const { page, problems } = await openBrowser(t, VIEWPORT)

  await logIn(page, `${app.url}/dashboard`, app.newOperatorKey ?? '')
  await page.locator('#connections tr', { hasText: 'smsc' }).locator('.pill', { hasText: 'bound' }).waitFor({ timeout: 10_000 })
  const row = page.locator('#requests tr', { hasText: 'live-7731' })
  assert.deepStrictEqual(await row.count(), 0)

  const request = await sealedRequest(demoPublicKey(app, 'demo'), 'demo', 'live-7731', { to: RECIPIENT, sender: 'DEMO', body: BODY })
  assert.deepStrictEqual((await demo.send(request)).status, 202)
  await row.locator('.pill', { hasText: 'DELIVERED' }).waitFor({ timeout: 10_000 })
  const cells = await row.locator('td').allTextContents()
  const recallId = (await demo.statuses('live-7731'))[0]?.['recall-id']
  assert.deepStrictEqual(cells.slice(1), ['demo', 'live-7731', 'DELIVERED', 'SENT → DELIVERED', recallId])

  const html = await page.content()
  for (const secret of [RECIPIENT.slice(1), BODY, app.newApiKey ?? '-', app.newOperatorKey ?? '-']) assert.ok(!html.includes(secret), `${secret} on the page`)
  assert.deepStrictEqual(problems, [])

  const screenshot = join(dataDir, 'dashboard.png')
  await page.screenshot({ path: screenshot, animations: 'disabled' })
  const png = await readFile(screenshot)
  assert.deepStrictEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature')
  assert.deepStrictEqual([png.subarray(12, 16).toString('latin1'), png.readUInt32BE(16), png.readUInt32BE(20)], ['IHDR', VIEWPORT.width, VIEWPORT.height])
  assert.ok(png.length > 20_000 && png.length < 4_000_000, `PNG of ${png.length} bytes`)
})

test('startEmbeddedApp restarted on the same data folder reuses the demo vault and API key, prints no new key, and keeps the statuses', { timeout: 30_000 }, async t => {
  const dataDir = await temporaryFolder('embedded-app-restart')
  const first = await startApp(t, dataDir)
  const key = first.app.newApiKey
  assert.ok(key !== undefined)
  const demoPub = demoPublicKey(first.app, 'demo')
  const publicKeyBefore = await readFile(demoPub, 'utf8')
  const vaultBefore = await readFile(join(dataDir, 'demo.vault'))
  const keysBefore = await readFile(join(dataDir, 'api-keys.json'), 'utf8')
  // Sealed before the restart: it opens after it only if the vault kept the same demo key.
  const beforeRequest = await sealedRequest(demoPub, 'demo', 'before', { to: RECIPIENT, sender: 'DEMO', body: BODY })
  const afterRequest = await sealedRequest(demoPub, 'demo', 'after', { to: RECIPIENT, sender: 'DEMO', body: BODY })
  assert.deepStrictEqual((await new ApiClient(first.app.url, key).send(beforeRequest)).status, 202)
  const history = await new ApiClient(first.app.url, key).statusesWhen('before', hasFinal)
  assert.deepStrictEqual(kinds(history), ['SENT', 'DELIVERED'])
  await first.app.close()

  const second = await startApp(t, dataDir)
  assert.deepStrictEqual([second.app.newApiKey, second.app.newOperatorKey], [undefined, undefined])
  assert.deepStrictEqual(second.app.demo?.vault, join(dataDir, 'demo.vault'))
  assert.deepStrictEqual(await readFile(join(dataDir, 'demo.vault')), vaultBefore)
  assert.deepStrictEqual(await readFile(demoPublicKey(second.app, 'demo'), 'utf8'), publicKeyBefore)
  assert.deepStrictEqual(await readFile(join(dataDir, 'api-keys.json'), 'utf8'), keysBefore)

  const api = new ApiClient(second.app.url, key)
  assert.deepStrictEqual(await api.statuses('before'), history)
  assert.deepStrictEqual(await api.send(afterRequest), { status: 202, body: { 'correl-id': 'after', accepted: true } })
  assert.deepStrictEqual(kinds(await api.statusesWhen('after', hasFinal)), ['SENT', 'DELIVERED'])
})

test('startEmbeddedApp counts requests taken in, submits, receipts and end-to-end latency in /metrics', {
  timeout: 20_000
}, async t => {
  const dataDir = await temporaryFolder('embedded-app-metrics')
  const { app } = await startApp(t, dataDir)
  const demo = new ApiClient(app.url, app.newApiKey)
  assert.deepStrictEqual((await demo.send(await sealedRequest(demoPublicKey(app, 'demo'), 'demo', 'counted', { to: RECIPIENT, sender: 'DEMO', body: BODY }))).status, 202)
  assert.deepStrictEqual(kinds(await demo.statusesWhen('counted', hasFinal)), ['SENT', 'DELIVERED'])
  const metrics = await (await fetch(`${app.url}/metrics`)).text()
  const value = (series: string): number => Number(metrics.match(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm'))?.[1] ?? Number.NaN)
  assert.deepStrictEqual({
    requests: value('smsgw_requests_total'),
    submits: value('smsgw_smpp_submits_total{connection="smsc"}'),
    responses: value('smsgw_smpp_responses_total{connection="smsc",command_status="ESME_ROK"}'),
    receipts: value('smsgw_receipts_total{connection="smsc",state="DELIVRD"}'),
    endToEnd: value('smsgw_end_to_end_seconds_count')
  }, { requests: 1, submits: 1, responses: 1, receipts: 1, endToEnd: 1 })
})
