import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { DestinationPolicy } from '../../src/http/webhooks/index.ts'
import { newPostgresLocation, withAdmin } from '../store/store-kinds.ts'
import { ApiClient, eventually, hasFinal, kinds, readStatusStream, sealedRequest, temporaryFolder } from './app-fixtures.ts'
import { demoPublicKey, startApp } from './embedded-app-fixture.ts'

// Two instances of the one-command app sharing one PostgreSQL store (and one data folder, so one
// vault and one API key file): both accept requests, one consumes them, the other stands by and
// takes over when the first goes. Every part is real: PostgreSQL, SMPP to the demo simulators,
// HTTP on real ports.

// The webhook receiver below is on the loop-back, an internal destination: the instances read
// their configuration from the environment, where an operator would allow it.
process.env.SMSGW_WEBHOOKS_ALLOWED_DESTINATIONS = '127.0.0.1'

const RECIPIENT = '+255713550921'
const BODY = 'Standby check 7741 for the Mwanza depot'

/** The epoch of the store's consumer lease: 0 until an instance first takes it. */
async function leaseEpoch (url: string): Promise<number> {
  return await withAdmin(async admin => Number((await admin.query<{ epoch: string }>('SELECT epoch FROM smsgw_consumer_lease')).rows[0]?.epoch), url)
}

test('two instances on one PostgreSQL store: the standby accepts, the consumer delivers, and the standby takes over when the consumer stops', { timeout: 60_000 }, async t => {
  const dataDir = await temporaryFolder('embedded-standby')
  const url = await newPostgresLocation()
  const consumer = await startApp(t, dataDir, url)
  await eventually('the first instance holds the consumer lease', async () => await leaseEpoch(url) === 1)
  const standby = await startApp(t, dataDir, url)
  assert.ok(consumer.app.newApiKey !== undefined)
  const api = new ApiClient(standby.app.url, consumer.app.newApiKey)
  const demoPub = demoPublicKey(consumer.app, 'demo')

  const sendAll = async (prefix: string): Promise<string[]> => {
    const correlIds = Array.from({ length: 20 }, (_, n) => `${prefix}-${n}`)
    for (const correlId of correlIds) {
      const answer = await api.send(await sealedRequest(demoPub, 'demo', correlId, { to: RECIPIENT, sender: 'DEMO', body: BODY }))
      assert.equal(answer.status, 202, correlId)
    }
    return correlIds
  }
  const expectDelivered = async (correlIds: readonly string[]): Promise<void> => {
    for (const correlId of correlIds) assert.deepStrictEqual(kinds(await api.statusesWhen(correlId, hasFinal)), ['SENT', 'DELIVERED'], correlId)
  }

  // The demo client's webhook, in the API key file both instances read (each looks at most once a second).
  const hooks: string[] = []
  const receiver = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => { body += chunk.toString() })
    request.on('end', () => {
      const status = JSON.parse(body) as { 'correl-id': string, 'sms-status': string }
      hooks.push(`${status['correl-id']} ${status['sms-status']}`)
      response.end()
    })
  })
  await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve))
  t.after(() => { receiver.close() })
  await (await ApiKeyFile.open(join(dataDir, 'api-keys.json'), { webhookDestinations: DestinationPolicy.allowing(['127.0.0.1']) })).setWebhook('demo', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`)
  await sleep(1_200)

  // Accepted by the standby, consumed and delivered by the consumer, read back from the standby,
  // and streamed live by the standby as the consumer reports them.
  const stream = await readStatusStream(standby.app.url, consumer.app.newApiKey)
  t.after(stream.close)
  const first = await sendAll('before')
  await expectDelivered(first)
  await eventually('the standby\'s stream shows the consumer\'s statuses', () => first.every(correlId => stream.seen.some(status => status['correl-id'] === correlId && status['sms-status'] === 'DELIVERED')))
  assert.equal(stream.seen.filter(status => status['correl-id'] === 'before-0').length, 2, 'SENT and DELIVERED, once each')
  // Each status is posted to the webhook once: by the instance that reported it, not by both.
  await eventually('the webhook to receive every status', () => hooks.length >= 2 * first.length)
  await sleep(500)
  assert.deepStrictEqual([...hooks].sort(), first.flatMap(correlId => [`${correlId} DELIVERED`, `${correlId} SENT`]).sort())
  assert.equal(await leaseEpoch(url), 1)
  assert.ok(consumer.log.some(line => line.includes('"before-0"')), 'the consumer handled the requests')
  assert.ok(!standby.log.some(line => line.includes('"before-0"')), 'the standby did not')

  // The consumer stops: the standby takes the lease (a new epoch) and delivers what comes next.
  await consumer.app.close()
  await eventually('the standby holds the consumer lease', async () => await leaseEpoch(url) === 2)
  const second = await sendAll('after')
  await expectDelivered(second)
  assert.ok(standby.log.some(line => line.includes('"after-0"')), 'the standby handled the later requests')

  // The store holds the sealed requests and the statuses; never a recipient or a body.
  const tables = await withAdmin(async admin => {
    const rows = await Promise.all(['smsgw_requests', 'smsgw_statuses', 'smsgw_ledger', 'smsgw_correlations'].map(async table =>
      (await admin.query(`SELECT * FROM ${table}`)).rows))
    return JSON.stringify(rows)
  }, url)
  assert.ok(tables.includes('"before-0"'), 'the tables were read')
  for (const secret of [RECIPIENT, BODY, RECIPIENT.slice(1)]) {
    assert.ok(!tables.includes(secret), `the store holds ${secret}`)
    assert.ok(!consumer.log.join('\n').includes(secret) && !standby.log.join('\n').includes(secret), `a log holds ${secret}`)
  }
})
