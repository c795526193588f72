import assert from 'node:assert/strict'
import { test } from 'node:test'
import pg from 'pg'
import type { QueryResult, QueryResultRow } from 'pg'
import { PostgresRelayTable } from '../../../src/store/postgres/relay-table.ts'
import { RetryingPool } from '../../../src/store/postgres/retrying-pool.ts'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.ts'
import type { NewRelayAccount } from '../../../src/store/relay-accounts.ts'
import { newPostgresLocation } from '../store-kinds.ts'

// RetryingPool runs a statement again when the connection broke, possibly after its COMMIT: the
// relay table's writes must then answer as the first run would (src/store/postgres/relay-table.ts).

/** Runs every statement twice, as a retry after a commit whose answer was lost. */
class ReplayingPool extends RetryingPool {
  override async query<R extends QueryResultRow = QueryResultRow> (text: string, values?: unknown[]): Promise<QueryResult<R>> {
    await super.query<R>(text, values)
    return await super.query<R>(text, values)
  }
}

const account: NewRelayAccount = {
  entityId: 'c'.repeat(32),
  identifierHash: 'd'.repeat(128),
  deviceLookup: 'e'.repeat(128),
  passwordHash: '$argon2id$test',
  sealed: {
    countryCode: Buffer.from([1]),
    serverPublishKeyPair: Buffer.from([2]),
    serverDeviceIdKeyPair: Buffer.from([3]),
    clientPublishPublicKey: Buffer.from([4]),
    clientDeviceIdPublicKey: Buffer.from([5]),
    deviceId: Buffer.from([6]),
    ratchetState: Buffer.from([7])
  }
}

test('a create or compare-and-set run twice (a retry after its commit) answers as the first run did', async () => {
  const location = await newPostgresLocation()
  const store = await PostgresStore.open(location)
  const pool = new pg.Pool({ connectionString: location, max: 2 })
  try {
    const replaying = new PostgresRelayTable(new ReplayingPool(pool), Date.now)
    assert.equal(await replaying.create(account), true, 'its own insert is not a conflict')
    assert.equal(await replaying.create({ ...account, deviceLookup: 'f'.repeat(128) }), false, 'another create of the entity is')
    assert.equal(await replaying.update(account.entityId, 1, { sealed: { ratchetState: Buffer.from([8]) } }), 2, 'its own write is not a lost race')
    assert.equal(await replaying.update(account.entityId, 1, { sealed: { ratchetState: Buffer.from([9]) } }), undefined, 'a stale version still loses')
    const stored = await store.relay.get(account.entityId)
    assert.deepEqual([stored?.stateVersion, stored?.sealed.ratchetState], [2, Buffer.from([8])])
  } finally {
    await pool.end()
    await store.close()
  }
})
