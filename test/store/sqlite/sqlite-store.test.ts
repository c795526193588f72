import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { test } from 'node:test'
import { SCHEMA_VERSION } from '../../../src/store/sqlite/schema.ts'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { tempStoreFiles } from '../temp-files.ts'

const files = await tempStoreFiles('sqlite-store')
const DAY_MS = 24 * 60 * 60 * 1000

const pragma = (store: SqliteStore, name: string): unknown => {
  const db = new DatabaseSync(store.file)
  try {
    return db.prepare(`PRAGMA ${name}`).get()?.[name]
  } finally {
    db.close()
  }
}

test('SqliteStore open puts a new file in WAL mode, at the current schema', () => {
  const store = SqliteStore.open(files.next())
  assert.deepStrictEqual([pragma(store, 'journal_mode'), pragma(store, 'user_version')], ['wal', SCHEMA_VERSION])
  store.close()
})

test('SqliteStore open sets synchronous FULL and a busy timeout by default, and what it is given', () => {
  const defaults = SqliteStore.open(files.next())
  const given = SqliteStore.open(files.next(), { synchronous: 'normal', busyTimeoutMs: 1234 })
  assert.deepStrictEqual([defaults.settings(), given.settings()], [
    { journalMode: 'wal', synchronous: 'full', busyTimeoutMs: 5000 },
    { journalMode: 'wal', synchronous: 'normal', busyTimeoutMs: 1234 }
  ])
  defaults.close()
  given.close()
})

test('SqliteStore open refuses options out of range, leaving no file open', () => {
  assert.throws(() => SqliteStore.open(files.next(), { busyTimeoutMs: -1 }), /busyTimeoutMs must be a whole number of ms, got -1/)
  assert.throws(() => SqliteStore.open(files.next(), { synchronous: 'off' as 'full' }), /synchronous must be one of full, normal, got off/)
})

test('SqliteStore open refuses a file that is not a database', async () => {
  const file = files.next()
  await writeFile(file, 'not a database, but long enough to have a header of sorts: '.repeat(10))
  assert.throws(() => SqliteStore.open(file), /file is not a database/)
})

test('SqliteStore close commits queued writes and rejects later ones', async () => {
  const file = files.next()
  const store = SqliteStore.open(file)
  const accepted = store.requests.enqueue(['v1'])
  store.close()
  store.close()
  assert.deepStrictEqual(await accepted, [1])
  await assert.rejects(store.requests.enqueue(['v2']), { code: 'SMSGW_STORE_CLOSED', message: /the store is closed/ })
  const reopened = SqliteStore.open(file)
  assert.deepStrictEqual(reopened.requests.queuedAfter(0, 10), [{ seq: 1, value: 'v1' }])
  reopened.close()
})

test('SqliteStore prune keeps done requests that follow a queued one', async () => {
  // Commits move over prefixes, so this does not happen; should it, the queued one is the boundary.
  const nowMs = Date.parse('2026-11-01T00:00:00Z')
  const store = SqliteStore.open(files.next(), { now: () => nowMs, retentionMs: DAY_MS })
  await store.requests.enqueue(['a', 'b', 'c'])
  await store.requests.markDone(1)
  const db = new DatabaseSync(store.file)
  db.exec("UPDATE requests SET state = 'done' WHERE seq = 3")
  db.close()
  assert.deepStrictEqual(await store.prune(new Date(nowMs + 2 * DAY_MS)), { requests: 1, statuses: 0, correlations: 0, inbound: 0 })
  assert.deepStrictEqual(store.requests.queuedAfter(0, 10), [{ seq: 2, value: 'b' }])
  assert.equal(store.requests.countQueued(), 1)
  store.close()
})
