import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { eventually } from '../harness/eventually.ts'
import { temporaryFolder, within } from './app-fixtures.ts'
import { RunChild, shell } from './run-child.ts'

// `npm start` shows both directions (issue 13): the real `bin/smsgw run` in a child, with no
// configuration, on a temporary data folder. The three `smsgw relay app` commands of its welcome,
// run exactly as printed (by /bin/sh, in the repository), sign up the demo user, link the
// simulated Mastodon and post by SMS through the demo SMSC's relay number: the post reaches the
// platform simulator's record and the delivery notice SMS the outbound side's requests on the
// dashboard. Ctrl-C exits 0; restarted on the same data, the account and its linked token still
// work and the printed post command posts again.

interface RecordedPostJson { platform: string, account: string, text: string }

/** What the welcome prints of the relay demo. */
function relayWelcome (stdout: string): { platformsUrl: string, commands: string[] } {
  const platformsUrl = (stdout.match(/^ {2}platforms +simulator (http:\/\/\S+)\/ /m) ?? assert.fail('no platforms line'))[1] as string
  return { platformsUrl, commands: [...stdout.matchAll(/^ {2}(bin\/smsgw relay app .*)$/gm)].map(match => match[1] as string) }
}

async function posts (platformsUrl: string): Promise<RecordedPostJson[]> {
  return ((await (await fetch(`${platformsUrl}/_sim/posts`)).json()) as { posts: RecordedPostJson[] }).posts
}

interface DashboardFrame {
  requests: Array<{ clientId: string, correlId: string, statuses: string[] }>
  relay?: { ingress: Array<{ ingress: string, counts: Record<string, number> }>, publishes: Array<{ platform: string, counts: Record<string, number> }> }
}

/** The dashboard's next frame (GET /dashboard/events), as the operator's page reads it. */
async function dashboardFrame (url: string, operatorKey: string): Promise<DashboardFrame> {
  const frames = await fetch(`${url}/dashboard/events`, { headers: { authorization: `Bearer ${operatorKey}` } })
  assert.equal(frames.status, 200)
  const reader = (frames.body as ReadableStream<Uint8Array>).getReader()
  let frame = ''
  while (!frame.includes('\n\n')) frame += new TextDecoder().decode((await reader.read()).value)
  await reader.cancel()
  return JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? '{}') as DashboardFrame
}

/** The demo client's delivery notices among the dashboard's requests, with their statuses. */
async function noticesOnDashboard (url: string, operatorKey: string): Promise<Array<{ correlId: string, statuses: string[] }>> {
  return (await dashboardFrame(url, operatorKey)).requests.filter(request => request.clientId === 'demo' && request.correlId.startsWith('relay-notice-'))
    .map(request => ({ correlId: request.correlId, statuses: request.statuses }))
}

async function stop (child: RunChild): Promise<void> {
  child.signal('SIGINT')
  assert.deepEqual(await within(child.exited, 20_000, 'smsgw run exits after Ctrl-C'), { code: 0, signal: null })
}

test('npm start shows both directions: the printed relay app commands post to the simulated Mastodon by SMS, the delivery notice goes out; again after a restart', { timeout: 240_000 }, async t => {
  // A space in the path: the printed commands quote what the shell would split.
  const dataDir = join(await temporaryFolder('run-relay-demo'), 'demo data')
  const first = new RunChild(dataDir)
  t.after(() => { if (first.running) first.signal('SIGKILL') })
  const { url, operatorKey } = await first.welcome()
  const printed = relayWelcome(first.stdout)
  assert.equal(printed.commands.length, 3, first.stdout)
  const [signup, link, send] = printed.commands as [string, string, string]
  assert.match(signup, /^bin\/smsgw relay app signup /)
  assert.match(link, /^bin\/smsgw relay app link mastodon /)
  assert.match(send, /^bin\/smsgw relay app send mastodon .* --via smsc /)
  // The simulator's page is served where the welcome says.
  assert.match(await (await fetch(`${printed.platformsUrl}/`)).text(), /<html/i)

  assert.equal(JSON.parse(await shell(signup)).event, 'signed-up')
  assert.deepEqual(JSON.parse(await shell(link)), { event: 'linked', platform: 'mastodon', accounts: ['sim-user'] })
  assert.equal(JSON.parse(await shell(send)).event, 'sent')
  await eventually('the post on the simulator', async () => (await posts(printed.platformsUrl)).length === 1, 30_000)
  assert.deepEqual((await posts(printed.platformsUrl)).map(post => [post.platform, post.account, post.text]), [['mastodon', 'sim-user', 'Hello from an SMS']])
  // The notice goes over SMPP to the demo SMSC, which confirms its delivery.
  const key = operatorKey ?? assert.fail('no operator key on the first start')
  await eventually('the delivery notice delivered', async () => (await noticesOnDashboard(url, key)).some(notice => notice.statuses.includes('DELIVERED')), 30_000)
  // The relay panel counts the payload in by SMPP and its publish to Mastodon.
  const { relay } = await dashboardFrame(url, key)
  assert.deepEqual([relay?.ingress.find(ingress => ingress.ingress === 'smpp')?.counts.published, relay?.publishes.find(publishes => publishes.platform === 'mastodon')?.counts.published], [1, 1])
  await stop(first)
  const keyFiles = ['identifier.key', 'pepper.key', 'sealing.keys', 'demo-app.password', 'demo-user.password'].map(name => join(dataDir, 'relay', name))
  const keys = await Promise.all(keyFiles.map(async file => await readFile(file, 'utf8')))
  // The log names neither the demo user's number nor what it posted.
  assert.deepEqual(first.logLines.map(line => JSON.stringify(line)).filter(line => line.includes('Hello from an SMS') || line.includes('237650000044')), [])

  // Restarted on the same data: signed up and linked already, so only the post is printed; it works.
  const second = new RunChild(dataDir)
  t.after(() => { if (second.running) second.signal('SIGKILL') })
  const { url: secondUrl } = await second.welcome()
  const again = relayWelcome(second.stdout)
  assert.equal(again.commands.length, 1, second.stdout)
  assert.match(second.stdout, /the demo user \+237650000044 is signed up/)
  assert.equal(JSON.parse(await shell(again.commands[0] as string)).event, 'sent')
  await eventually('the post after the restart', async () => (await posts(again.platformsUrl)).length === 1, 30_000)
  assert.deepEqual((await posts(again.platformsUrl)).map(post => [post.platform, post.account, post.text]), [['mastodon', 'sim-user', 'Hello from an SMS']])
  await eventually('the second delivery notice', async () => (await noticesOnDashboard(secondUrl, key)).length === 1, 30_000)
  await stop(second)
  assert.deepEqual(await Promise.all(keyFiles.map(async file => await readFile(file, 'utf8'))), keys, 'the relay\'s keys and the demo passwords are never replaced')
})
