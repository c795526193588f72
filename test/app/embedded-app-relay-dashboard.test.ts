import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { startEmbeddedApp } from '../../src/app/embedded-app.ts'
import type { DashboardFrame } from '../../src/http/dashboard/index.ts'
import { createLogger } from '../../src/log/logger.ts'
import { startPlatformSimulator } from '../../src/platform-sim/index.ts'
import { commandStatus } from '../../src/smpp/codec/index.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { smsgw } from '../cli/gateway-client-cli.ts'
import { eventually, temporaryFolder } from './app-fixtures.ts'
import { relayConfigFile, signUpAndLinkMastodon, SMSC_ACCOUNT } from './relay-app-fixture.ts'

// Issue 13, "The dashboard": `smsgw run` with the relay on shows a relay panel, live: payloads in
// by ingress and outcome, publishes by platform and outcome, decrypt failures, publish latency,
// the accounts, the gateway clients with their reliability, pending segments and unknown
// publications. Real parts throughout: the vault and publisher over gRPC, a phone's forward over
// HTTP and an MO over SMPP, the real Mastodon client against the platform simulator, Chromium.
// No number, token, payload or post text reaches the page or its event stream.

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'
]
const VIEWPORT = { width: 1440, height: 1080 }
// The screenshot goes to a temp file; SMSGW_UPDATE_SCREENSHOT=1 writes docs/dashboard-relay.png
// instead, so a test run does not change a tracked file (as test/http/dashboard/dashboard-browser.test.ts).
const SCREENSHOT = process.env.SMSGW_UPDATE_SCREENSHOT === '1'
  ? fileURLToPath(new URL('../../docs/dashboard-relay.png', import.meta.url))
  : join(tmpdir(), `smsgw-dashboard-relay-${process.pid}.png`)
const PHONE = '+237650000044'
// The gateway phone: its number is public (GET /v3/clients), and still on no part of the dashboard.
const GATEWAY_PHONE = '+237650000077'
const OTHER_GATEWAY_PHONE = '+2348030000077'
const RELAY_NUMBER = '15506'

async function tileText (page: Page, id: string): Promise<string> {
  return (await page.locator(`#${id} .value`).innerText()).replace(/\s+/g, ' ').trim()
}

/** The cells of the row of a counts table whose first cell is `name`, as text. */
async function countsRow (page: Page, table: string, name: string): Promise<Record<string, string>> {
  const headers = await page.locator(`#${table} thead th`).allTextContents()
  const cells = await page.locator(`#${table} tbody tr`, { has: page.locator('td:first-child', { hasText: new RegExp(`^${name}$`) }) }).locator('td').allTextContents()
  return Object.fromEntries(headers.map((header, index) => [header, cells[index] ?? '']))
}

/** The text of an event stream up to the end of its first frame. */
async function firstFrame (url: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(url, { headers })
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let received = ''
  while (!/^data: .*\n\n/m.test(received)) {
    const { value, done } = await reader.read()
    if (done) break
    received += decoder.decode(value, { stream: true })
  }
  await reader.cancel()
  return received
}

/** When the gateway client of `operator` last published, as the frame in `stream` says. */
function lastPublishedOf (stream: string, operator: string): number {
  const frame = JSON.parse(stream.slice(stream.indexOf('data: ') + 'data: '.length)) as DashboardFrame
  const client = frame.relay?.gatewayClients.listed.find(row => row.operator === operator) ?? assert.fail(`no ${operator} client in the frame`)
  return client.lastPublishedAtMs
}

test('smsgw run with the relay: the dashboard\'s relay panel counts a forward, an MO, a publish and a decrypt failure live, lists the gateway client without its number, and shows no number, token or text', { timeout: 120_000 }, async t => {
  const folder = await temporaryFolder('embedded-relay-dashboard')
  const dataDir = join(folder, 'data')
  const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], retainSubmitted: 20, port: 0 })
  t.after(async () => { await smsc.close() })
  const platforms = await startPlatformSimulator({ autoApprove: true })
  t.after(async () => { await platforms.close() })
  const configFile = await relayConfigFile(folder, dataDir, smsc, platforms, { phone: PHONE, relayNumber: RELAY_NUMBER })
  // A gateway phone, registered and given a forwarding key with the CLI, as an operator does.
  const where = ['--config', configFile, '--data', dataDir]
  const added = await smsgw(['relay', 'gateway-client', 'add', GATEWAY_PHONE, '--operator', 'MTN Cameroon', '--operator-code', '62401', '--protocols', 'https', ...where])
  assert.equal(added.code, 0, added.stderr)
  const keyed = await smsgw(['relay', 'gateway-client', 'set-key', GATEWAY_PHONE, ...where])
  assert.equal(keyed.code, 0, keyed.stderr)
  const forwarderKey = keyed.stdout.trim()
  const other = await smsgw(['relay', 'gateway-client', 'add', OTHER_GATEWAY_PHONE, '--operator', 'MTN Nigeria', '--operator-code', '62130', '--protocols', 'https,smtp', ...where])
  assert.equal(other.code, 0, other.stderr)

  const log = createLogger({ level: 'warn', destination: { write: () => {} } })
  const app = await startEmbeddedApp({ dataDir, configFile, httpHost: '127.0.0.1', httpPort: 0, smscPort: 0, log, env: {} })
  t.after(async () => { await app.close() })
  const operatorKey = app.newOperatorKey ?? assert.fail('no operator key made')

  const userDataDir = await mkdtemp(join(tmpdir(), 'smsgw-chromium-'))
  const browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: VIEWPORT })
  t.after(async () => {
    await browser.close()
    await rm(userDataDir, { recursive: true, force: true })
  })
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('console', message => { if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text()) })
  page.on('pageerror', error => { problems.push(error.message) })
  await page.goto(`${app.url}/dashboard`)
  await page.locator('#operator-key').fill(operatorKey)
  await page.locator('#login-form button[type=submit]').click()
  await page.locator('#live[data-live="true"]').waitFor({ timeout: 10_000 })

  // Before any traffic: the panel is there, with the registered phone and nothing counted.
  await page.locator('#relay').waitFor({ state: 'visible', timeout: 10_000 })
  const clientRow = page.locator('#relay-clients tr', { hasText: 'MTN Cameroon' })
  await clientRow.waitFor({ timeout: 10_000 })
  const registeredCells = await clientRow.locator('td').allTextContents()
  assert.deepStrictEqual([registeredCells.slice(0, 5), registeredCells[6]], [['Cameroon', 'MTN Cameroon', '62401', 'https', '0.00 %'], 'set'])
  const before = await Promise.all(['tile-relay-in', 'tile-relay-published', 'tile-relay-decrypt', 'tile-relay-p50', 'tile-relay-accounts', 'tile-relay-clients', 'tile-relay-segments', 'tile-relay-unknown'].map(async id => await tileText(page, id)))
  assert.deepStrictEqual(before, ['0', '0', '0', '–', '0', '2', '0', '0'])
  assert.deepStrictEqual((await page.locator('#relay-clients tr', { hasText: 'MTN Nigeria' }).locator('td').allTextContents()).slice(0, 4), ['Nigeria', 'MTN Nigeria', '62130', 'https, smtp'])
  assert.deepStrictEqual(await page.locator('#relay-publishes tbody').innerText(), 'No publishes yet')
  const streamBefore = await firstFrame(`${app.url}/dashboard/events`, { authorization: `Bearer ${operatorKey}` })

  // Traffic: a user signs up and links Mastodon; the gateway phone forwards a post, the network
  // brings another to our own bind, and a third arrives with its ratchet tag broken.
  const user = await signUpAndLinkMastodon({ vault: app.relayGrpcPort ?? assert.fail('no vault'), publisher: app.relayPublisherGrpcPort ?? assert.fail('no publisher') }, PHONE)
  const texts = [`Market prices at noon ${randomUUID()}`, `Road to Kumba open ${randomUUID()}`, `Never seen ${randomUUID()}`]
  const payloads = [user.payload(texts[0] as string), user.payload(texts[1] as string), user.payload(texts[2] as string, { tampered: true })]
  const forward = async (payload: string): Promise<Response> => await fetch(`${app.url}/v3/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-smsgw-forwarder-key': forwarderKey },
    body: JSON.stringify({ text: payload, address: PHONE, date: Date.now(), date_sent: Date.now() - 3000, thread_id: 7, type: 1 })
  })
  assert.equal((await forward(payloads[0] as string)).status, 200)
  await eventually('the gateway to bind', () => smsc.boundSessions > 0)
  const parts = (await smsc.injectMo({ from: PHONE, to: RELAY_NUMBER, text: payloads[1] as string })).commandStatuses
  assert.ok(parts.every(part => part === commandStatus.ESME_ROK), String(parts))
  await eventually('the MO\'s post', () => platforms.posts().length === 2)
  const refused = await forward(payloads[2] as string)
  assert.notEqual(refused.status, 200)
  await refused.body?.cancel()

  // The panel follows, live.
  await page.locator('#tile-relay-decrypt .value', { hasText: /^1$/ }).waitFor({ timeout: 10_000 })
  await page.locator('#tile-relay-published .value', { hasText: /^2$/ }).waitFor({ timeout: 10_000 })
  const http = await countsRow(page, 'relay-ingress', 'http')
  const smpp = await countsRow(page, 'relay-ingress', 'smpp')
  assert.deepStrictEqual([http.published, http['publish-failed'], http.total, smpp.published, smpp.total], ['1', '1', '2', '1', '1'])
  const mastodon = await countsRow(page, 'relay-publishes', 'mastodon')
  assert.deepStrictEqual([mastodon.published, mastodon.refused], ['2', '1'])
  assert.deepStrictEqual(await page.locator('#relay-decrypt-failures tr').count(), 1)
  assert.match(await page.locator('#relay-decrypt-failures tr').innerText(), /^SMSGW_\w+\s+1$/)
  assert.deepStrictEqual([await tileText(page, 'tile-relay-in'), await tileText(page, 'tile-relay-accounts')], ['3', '1'])
  assert.match(await tileText(page, 'tile-relay-p50'), /^\d+(\.\d)? ?(ms|s)$/)
  assert.match(await tileText(page, 'tile-relay-p99'), /^\d+(\.\d)? ?(ms|s)$/)
  // The forward with the phone's key moved its last publish on from its registration.
  const stream = await firstFrame(`${app.url}/dashboard/events`, { authorization: `Bearer ${operatorKey}` })
  assert.ok(lastPublishedOf(stream, 'MTN Cameroon') > lastPublishedOf(streamBefore, 'MTN Cameroon'))
  assert.deepStrictEqual(lastPublishedOf(stream, 'MTN Nigeria'), lastPublishedOf(streamBefore, 'MTN Nigeria'))

  // Nothing that names or says anything: not in the DOM, its text, or the event stream.
  const html = await page.content()
  const text = await page.locator('body').innerText()
  const secrets = [PHONE, PHONE.slice(1), PHONE.slice(4), GATEWAY_PHONE, GATEWAY_PHONE.slice(1), GATEWAY_PHONE.slice(4), OTHER_GATEWAY_PHONE.slice(1), OTHER_GATEWAY_PHONE.slice(4), forwarderKey, operatorKey, user.token, user.account, ...texts, ...payloads.map(payload => payload.slice(8, 48))]
  for (const secret of secrets) {
    assert.deepStrictEqual([html.includes(secret), text.includes(secret), stream.includes(secret)], [false, false, false], secret)
  }
  assert.deepStrictEqual(problems, [])

  await page.locator('#relay').screenshot({ path: SCREENSHOT, animations: 'disabled' })
  const png = await readFile(SCREENSHOT)
  assert.deepStrictEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature')
  assert.ok(png.length > 20_000 && png.length < 4_000_000, `PNG of ${png.length} bytes`)
})
