import assert from 'node:assert/strict'
import { DatabaseSync } from 'node:sqlite'
import { test } from 'node:test'
import { GroupCommit } from '../../../src/store/sqlite/group-commit.ts'
import { tempStoreFiles } from '../temp-files.ts'

const files = await tempStoreFiles('group-commit')

/** A WAL database with one table, a group commit over it, and a second connection that sees only what is committed. */
function fixture (options: { maxBatchWrites?: number, busyTimeoutMs?: number } = {}) {
  const file = files.next()
  const db = new DatabaseSync(file)
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}; CREATE TABLE items (name TEXT NOT NULL)`)
  const other = new DatabaseSync(file)
  const insert = db.prepare('INSERT INTO items (name) VALUES (?)')
  const commit = new GroupCommit(db, options.maxBatchWrites === undefined ? {} : { maxBatchWrites: options.maxBatchWrites })
  const committed = (): unknown[] => other.prepare('SELECT name FROM items ORDER BY rowid').all().map(row => row.name)
  const close = (): void => { commit.close(); db.close(); other.close() }
  return { db, other, commit, committed, close, add: async (name: string) => await commit.run(() => Number(insert.run(name).lastInsertRowid)) }
}

test('GroupCommit runs the writes of one turn in one transaction, committed only after the last', async () => {
  const { db, commit, committed, close } = fixture()
  const insert = db.prepare('INSERT INTO items (name) VALUES (?)')
  const seen: unknown[] = []
  const first = commit.run(() => insert.run('a'))
  const second = commit.run(() => {
    insert.run('b')
    // Inside the batch, a's row is there; to another connection, nothing is yet.
    seen.push(db.prepare('SELECT count(*) AS count FROM items').get()?.count, committed())
  })
  assert.deepStrictEqual(committed(), [])
  await Promise.all([first, second])
  assert.deepStrictEqual([seen, committed()], [[2, []], ['a', 'b']])
  close()
})

test('GroupCommit resolves each write with its value once it is committed', async () => {
  const { add, committed, close } = fixture()
  const results = await Promise.all([add('a'), add('b'), add('c')])
  assert.deepStrictEqual([results, committed()], [[1, 2, 3], ['a', 'b', 'c']])
  close()
})

test('GroupCommit rolls back and rejects only the write that throws when the batch has others', async () => {
  const { db, commit, committed, close } = fixture()
  const insert = db.prepare('INSERT INTO items (name) VALUES (?)')
  const results = await Promise.allSettled([
    commit.run(() => insert.run('a')),
    commit.run(() => {
      insert.run('half of b')
      insert.run(null)
    }),
    commit.run(() => insert.run('c'))
  ])
  assert.deepStrictEqual(results.map(result => result.status), ['fulfilled', 'rejected', 'fulfilled'])
  assert.match(String((results[1] as PromiseRejectedResult).reason), /NOT NULL constraint failed/)
  assert.deepStrictEqual(committed(), ['a', 'c'])
  close()
})

test('GroupCommit rolls back and rejects a lone write that throws', async () => {
  const { db, commit, committed, close } = fixture()
  const insert = db.prepare('INSERT INTO items (name) VALUES (?)')
  await assert.rejects(commit.run(() => { insert.run('a'); throw new Error('changed my mind') }), /changed my mind/)
  assert.deepStrictEqual([committed(), db.isTransaction], [[], false])
  close()
})

test('GroupCommit rejects every write of the batch when the transaction cannot start', async () => {
  const { other, add, committed, close } = fixture({ busyTimeoutMs: 0 })
  // Another connection holds the write lock, and the store is told not to wait for it.
  other.exec('BEGIN IMMEDIATE')
  const results = await Promise.allSettled([add('a'), add('b')])
  assert.deepStrictEqual(results.map(result => result.status), ['rejected', 'rejected'])
  assert.match(String((results[0] as PromiseRejectedResult).reason), /database is locked/)
  other.exec('COMMIT')
  await add('c')
  assert.deepStrictEqual(committed(), ['c'])
  close()
})

test('GroupCommit commits at once, in the caller\'s turn, when maxBatchWrites writes are queued', async () => {
  const { add, committed, close } = fixture({ maxBatchWrites: 3 })
  const writes = [add('a'), add('b')]
  assert.deepStrictEqual(committed(), [])
  writes.push(add('c'))
  assert.deepStrictEqual(committed(), ['a', 'b', 'c'])
  writes.push(add('d'))
  assert.deepStrictEqual(committed(), ['a', 'b', 'c'])
  await Promise.all(writes)
  assert.deepStrictEqual(committed(), ['a', 'b', 'c', 'd'])
  close()
})

test('GroupCommit close commits what is queued and rejects later writes', async () => {
  const { add, commit, committed, close } = fixture()
  const queued = add('a')
  commit.close()
  assert.deepStrictEqual(committed(), ['a'])
  assert.equal(await queued, 1)
  await assert.rejects(add('b'), { code: 'SMSGW_STORE_CLOSED', message: /the store is closed/ })
  close()
})
