import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { forwarderAuthorization } from '../../src/relay/gateway-clients/forwarder-key.ts'
import { openStore } from '../../src/store/open-store.ts'
import { newPostgresLocation, withAdmin } from '../store/store-kinds.ts'
import { temporaryFolder } from './cli-fixtures.ts'
import { addCameroonClient, jsonLines, smsgw } from './gateway-client-cli.ts'

// `smsgw relay gateway-client set-key` on PostgreSQL through store.url: a replaced key no longer
// names its client, and no key is in the rows, only digests.

test('smsgw relay gateway-client set-key on PostgreSQL replaces the client\'s key, and the rows hold only digests', async () => {
  const folder = await temporaryFolder('gateway-client-cli')
  const storeUrl = await newPostgresLocation()
  const configFile = join(folder, 'smsgw.json')
  await writeFile(configFile, JSON.stringify({ store: { url: storeUrl } }))
  const where = ['--config', configFile]
  await addCameroonClient(where)
  const key = (await smsgw(['relay', 'gateway-client', 'set-key', '+237650000001', ...where])).stdout
  const replacement = (await smsgw(['relay', 'gateway-client', 'set-key', '+237650000001', ...where])).stdout
  assert.notEqual(replacement, key)
  const store = await openStore(storeUrl)
  try {
    const authorize = forwarderAuthorization(store.gatewayClients.clients)
    assert.deepStrictEqual([await authorize(key), await authorize(replacement)], [undefined, { msisdn: '+237650000001' }], 'the old key no longer names the client')
  } finally {
    await store.close()
  }
  const listed = jsonLines((await smsgw(['relay', 'gateway-client', 'list', ...where])).stdout) as Array<{ forwarderKey: boolean }>
  assert.deepStrictEqual(listed.map(client => client.forwarderKey), [true])
  const rows = await withAdmin(async admin => JSON.stringify((await admin.query('SELECT * FROM smsgw_gateway_clients')).rows), storeUrl)
  assert.ok(rows.includes('+237650000001'), 'the public number is in the clear')
  for (const secret of [key, replacement]) assert.ok(!rows.includes(secret.slice('smsgw_gc_'.length)), 'a key is in no row, only its digest')
})
