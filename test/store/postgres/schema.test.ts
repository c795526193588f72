import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { inspect } from 'node:util'
import { isUnwrittenClaim } from '../../../src/domain/ledger-record.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.ts'
import { migrations, SCHEMA_VERSION } from '../../../src/store/postgres/schema.ts'
import { testPostgresUrl } from '../../harness/postgres.ts'
import { newPostgresLocation, withAdmin } from '../store-kinds.ts'

// Opening a PostgreSQL store creates or migrates its tables (src/store/postgres/schema.ts).

const tablesIn = async (location: string): Promise<string[]> => await withAdmin(async admin => {
  const { rows } = await admin.query<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name')
  return rows.map(row => row.name)
}, location)

/** A TCP port on this machine that nothing listens on (it did a moment ago). */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

test('stores opened at once on a new schema migrate it once, to the current version', async () => {
  const location = await newPostgresLocation()
  const stores = await Promise.all([1, 2, 3].map(async () => await PostgresStore.open(location)))
  const state = await withAdmin(async admin => ({
    versions: (await admin.query('SELECT version FROM smsgw_schema')).rows,
    leases: (await admin.query('SELECT id, epoch FROM smsgw_consumer_lease')).rows
  }), location)
  assert.deepStrictEqual(state, { versions: [{ version: SCHEMA_VERSION }], leases: [{ id: 1, epoch: '0' }] })
  assert.deepStrictEqual(await tablesIn(location), ['smsgw_consumer_lease', 'smsgw_correlations', 'smsgw_gateway_clients', 'smsgw_inbound_duplicate_keys', 'smsgw_inbound_sms', 'smsgw_ledger', 'smsgw_relay_entities', 'smsgw_relay_forwards', 'smsgw_relay_limits', 'smsgw_relay_otps', 'smsgw_relay_publications', 'smsgw_relay_segments', 'smsgw_relay_tokens', 'smsgw_reliability_tests', 'smsgw_requests', 'smsgw_schema', 'smsgw_statuses'])
  // Each works on the same tables.
  const seqs = await Promise.all(stores.map(async (store, index) => await store.requests.enqueue([`from ${index}`])))
  assert.deepStrictEqual(seqs.flat().sort(), [1, 2, 3])
  await Promise.all(stores.map(async store => { await store.close() }))
})

test('a store whose schema is newer than this smsgw is refused, with both versions named, and left as it is', async () => {
  const location = await newPostgresLocation()
  await withAdmin(async admin => {
    await admin.query('CREATE TABLE smsgw_schema (version integer NOT NULL)')
    await admin.query('INSERT INTO smsgw_schema (version) VALUES (99)')
  }, location)
  await assert.rejects(PostgresStore.open(location), (error: Error) => {
    assert.equal((error as Error & { code?: string }).code, 'SMSGW_STORE_SCHEMA_NEWER')
    assert.match(error.message, new RegExp(`^cannot open the PostgreSQL store at postgres://.*: the store's schema version 99 is newer than this smsgw's \\(${SCHEMA_VERSION}\\); run a newer smsgw$`))
    return true
  })
  assert.deepStrictEqual(await tablesIn(location), ['smsgw_schema'])
  assert.deepStrictEqual(await withAdmin(async admin => (await admin.query('SELECT version FROM smsgw_schema')).rows, location), [{ version: 99 }])
})

test('an unreachable database is refused with a message that names it without its password', async () => {
  const port = await closedPort()
  const password = 'Secret-Pa55word'
  const url = new URL(testPostgresUrl())
  Object.assign(url, { username: 'smsgw', password, hostname: '127.0.0.1', port: String(port) })
  await assert.rejects(openStore(url.toString()), (error: Error) => {
    assert.equal((error as Error & { code?: string }).code, 'SMSGW_STORE_UNAVAILABLE')
    assert.match(error.message, new RegExp(`^cannot open the PostgreSQL store at postgres://smsgw:\\*\\*\\*@127\\.0\\.0\\.1:${port}/\\w+: .*ECONNREFUSED`))
    assert.ok(!inspect(error, { depth: 10 }).includes(password), 'the password appears nowhere in the error, its cause or stack')
    return true
  })
})

test('a password given as the URL\'s password parameter is hidden too', async () => {
  const port = await closedPort()
  const password = 'Query-Secret-77'
  await assert.rejects(openStore(`postgres://smsgw@127.0.0.1:${port}/smsgw?password=${password}`), (error: Error) => {
    assert.ok(!error.message.includes(password), error.message)
    return true
  })
})

test('a version 1 database is migrated with its ledger entries read as claims that did not mark their writes, so that none is ever taken over', async () => {
  const location = await newPostgresLocation()
  await withAdmin(async admin => {
    await admin.query(migrations[0] as string)
    await admin.query('CREATE TABLE smsgw_schema (version integer NOT NULL)')
    await admin.query('INSERT INTO smsgw_schema (version) VALUES (1)')
    await admin.query('INSERT INTO smsgw_ledger (key, token, source, claimed_at_ms, done) VALUES ($1, $2, $3, $4, false)', ['["acme","C1"]', 'old/1', 'send-sms/0/1', 1])
  }, location)
  const store = await PostgresStore.open(location)
  const entry = await store.ledger.get('["acme","C1"]')
  await store.close()
  assert.deepStrictEqual(entry, { token: 'old/1', source: { stream: 'send-sms/0', offset: 1n }, claimedAtMs: 1, done: false })
  assert.equal(entry !== undefined && isUnwrittenClaim(entry), false)
  assert.deepStrictEqual(await withAdmin(async admin => (await admin.query('SELECT version FROM smsgw_schema')).rows, location), [{ version: SCHEMA_VERSION }])
})
