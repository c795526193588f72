import assert from 'node:assert/strict'
import { DatabaseSync } from 'node:sqlite'
import { test } from 'node:test'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { tempStoreFiles } from '../temp-files.ts'

const files = await tempStoreFiles('correlation-table')

test('CorrelationTable get reads the record JSON of the correl-id topic, and a value that is not one as none', async () => {
  const store = SqliteStore.open(files.next())
  const db = new DatabaseSync(store.file)
  db.prepare('INSERT INTO correlations (key, record, stored_at_ms) VALUES (?, ?, 0), (?, ?, 0)').run(
    '4711', '{"recall-id":"4711","client-id":"test","correl-id":"C1"}',
    'broken', 'not json'
  )
  db.close()
  assert.deepStrictEqual([store.correlations.get('4711'), store.correlations.get('broken')], [{ recallId: '4711', clientId: 'test', correlId: 'C1' }, undefined])
  store.close()
})
