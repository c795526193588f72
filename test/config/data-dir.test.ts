import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { dataDirOf, DEFAULT_DATA_DIR, storeLocationOf } from '../../src/config/data-dir.ts'

// Where `smsgw run`, `smsgw gateway` (for the relay) and `smsgw relay` find the data folder and the store.

test('dataDirOf takes $SMSGW_DATA_DIR, else ./smsgw-data', () => {
  assert.deepEqual([dataDirOf({ SMSGW_DATA_DIR: '/var/lib/smsgw' }), dataDirOf({ SMSGW_DATA_DIR: '' }), dataDirOf({})], ['/var/lib/smsgw', DEFAULT_DATA_DIR, DEFAULT_DATA_DIR])
})

test('storeLocationOf is store.url when set, else smsgw.db in the data folder', () => {
  assert.deepEqual([storeLocationOf('postgres://db/smsgw', '/data'), storeLocationOf(undefined, '/data')], ['postgres://db/smsgw', join('/data', 'smsgw.db')])
})
