import { randomUUID } from 'node:crypto'
import { after } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { testPostgresUrl } from '../../harness/postgres.ts'
import { withAdmin } from '../store-kinds.ts'

/** A database of its own in the test run's server: its URL and name. */
export interface TestDatabase {
  readonly url: string
  readonly name: string
}

/**
 * A new, empty database in the test run's server, dropped after the file's tests (with the
 * sessions still in it). Advisory locks, and so the consumer lease, belong to a database, not
 * to a schema: tests that look at the lease's lock, kill its session or must not wait for
 * another test file's consumer take a database of their own rather than newPostgresLocation's
 * schema in the shared one.
 */
export async function newPostgresDatabase (): Promise<TestDatabase> {
  const name = `test_${randomUUID().replaceAll('-', '')}`
  await withAdmin(async admin => { await admin.query(`CREATE DATABASE ${name}`) })
  after(async () => { await withAdmin(async admin => { await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }) })
  const url = new URL(testPostgresUrl())
  url.pathname = `/${name}`
  return { url: url.toString(), name }
}

/** The URL of `database` with the store's tables in `schema` (created here). */
export async function inSchema (database: TestDatabase, schema: string): Promise<string> {
  await withAdmin(async admin => { await admin.query(`CREATE SCHEMA ${schema}`) }, database.url)
  const url = new URL(database.url)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return url.toString()
}

/** The sessions holding the consumer lease's lock in `database` (27753: advisory-locks.ts), in any schema. */
export async function consumerLockHolders (database: TestDatabase): Promise<number[]> {
  return await withAdmin(async admin => {
    const { rows } = await admin.query<{ pid: number }>(`
      SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
      WHERE l.locktype = 'advisory' AND l.classid = 27753 AND l.objsubid = 2 AND l.granted AND d.datname = $1
      ORDER BY l.pid`, [database.name])
    return rows.map(row => row.pid)
  })
}

/** How many sessions are open in `database` (the admin's own is elsewhere). */
export async function sessionCount (database: TestDatabase): Promise<number> {
  return await withAdmin(async admin => Number((await admin.query<{ count: string }>('SELECT count(*) AS count FROM pg_stat_activity WHERE datname = $1', [database.name])).rows[0]?.count))
}

/** The consumer lease's row in the store at `url`. */
export async function leaseRow (url: string): Promise<{ epoch: number, holder: string }> {
  return await withAdmin(async admin => {
    const { rows } = await admin.query<{ epoch: string, holder: string }>('SELECT epoch, holder FROM smsgw_consumer_lease WHERE id = 1')
    return { epoch: Number(rows[0]?.epoch), holder: rows[0]?.holder ?? '' }
  }, url)
}

/** Resolves with what `promise` gives, or with `fallback` if it has not settled after `ms`. */
export async function within<T, F> (promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  const timer = new AbortController()
  try {
    return await Promise.race([promise, sleep(ms, fallback, { signal: timer.signal })])
  } finally {
    timer.abort()
  }
}
