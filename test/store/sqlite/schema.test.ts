import assert from 'node:assert/strict'
import { DatabaseSync } from 'node:sqlite'
import { test } from 'node:test'
import { isUnwrittenClaim } from '../../../src/domain/ledger-record.ts'
import { migrate, migrations, SCHEMA_VERSION } from '../../../src/store/sqlite/schema.ts'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { tempStoreFiles } from '../temp-files.ts'

const files = await tempStoreFiles('schema')

const tablesOf = (db: DatabaseSync): unknown[] => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map(row => row.name)
const versionOf = (db: DatabaseSync): unknown => db.prepare('PRAGMA user_version').get()?.user_version

test('migrate creates every table of a new database and sets its version', () => {
  const db = new DatabaseSync(files.next())
  assert.equal(migrate(db), 0)
  assert.deepStrictEqual([tablesOf(db), versionOf(db)], [['correlations', 'gateway_clients', 'inbound_duplicate_keys', 'inbound_sms', 'ledger', 'relay_entities', 'relay_forwards', 'relay_limits', 'relay_otps', 'relay_publications', 'relay_segments', 'relay_tokens', 'reliability_tests', 'requests', 'statuses'], SCHEMA_VERSION])
  db.close()
})

test('migrate changes nothing in a database at the current version', () => {
  const file = files.next()
  const first = new DatabaseSync(file)
  migrate(first)
  first.prepare("INSERT INTO requests (value, accepted_at_ms, state) VALUES ('v', 1, 'queued')").run()
  first.close()
  const second = new DatabaseSync(file)
  assert.equal(migrate(second), SCHEMA_VERSION)
  assert.deepStrictEqual(second.prepare('SELECT value FROM requests').all().map(row => row.value), ['v'])
  second.close()
})

test('migrate refuses a database written by a newer smsgw and leaves it as it is', () => {
  const db = new DatabaseSync(files.next())
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
  assert.throws(() => migrate(db), { code: 'SMSGW_STORE_SCHEMA_NEWER', message: new RegExp(`schema version ${SCHEMA_VERSION + 1} is newer than this smsgw's \\(${SCHEMA_VERSION}\\)`) })
  assert.deepStrictEqual([tablesOf(db), versionOf(db), db.isTransaction], [[], SCHEMA_VERSION + 1, false])
  db.close()
})

test('migrate rolls a failing migration back whole', () => {
  const db = new DatabaseSync(files.next())
  // A table of the first migration already there makes it fail halfway through.
  db.exec('CREATE TABLE ledger (key TEXT)')
  assert.throws(() => migrate(db), /table ledger already exists/)
  assert.deepStrictEqual([tablesOf(db), versionOf(db), db.isTransaction], [['ledger'], 0, false])
  db.close()
})

test('migrate keeps the ledger entries of a version 1 database as claims that did not mark their writes, so that none is ever taken over', () => {
  const file = files.next()
  const db = new DatabaseSync(file)
  db.exec(migrations[0] as string)
  db.exec('PRAGMA user_version = 1')
  db.prepare('INSERT INTO ledger (key, token, source, claimed_at_ms, done) VALUES (?, ?, ?, ?, ?)').run('["acme","C1"]', 'old/1', 'embedded/0/1', 1, 0)
  assert.equal(migrate(db), 1)
  db.close()
  const store = SqliteStore.open(file)
  const entry = store.ledger.get('["acme","C1"]')
  store.close()
  assert.deepStrictEqual(entry, { token: 'old/1', source: { stream: 'embedded/0', offset: 1n }, claimedAtMs: 1, done: false })
  assert.equal(entry !== undefined && isUnwrittenClaim(entry), false)
})
