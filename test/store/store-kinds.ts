import { randomUUID } from 'node:crypto'
import { after } from 'node:test'
import pg from 'pg'
import { testPostgresUrl } from '../harness/postgres.ts'
import { sqliteStoreKind, storeKind, type StoreKind } from './store-kind.ts'

export type { StoreKind }

/**
 * Both kinds: a SQLite file in a temp folder, and a PostgreSQL schema of its own in the test
 * run's server (test/harness/global-setup.ts), named by the URL's search_path. Schemas are
 * dropped after the file's tests.
 */
export async function storeKinds (prefix: string): Promise<StoreKind[]> {
  return [await sqliteStoreKind(prefix), postgresStoreKind()]
}

/** PostgreSQL alone: a schema of its own per store (newPostgresLocation). */
export function postgresStoreKind (): StoreKind {
  return storeKind('postgres', newPostgresLocation)
}

/** A URL of the test run's PostgreSQL database whose tables go into a new, empty schema. */
export async function newPostgresLocation (): Promise<string> {
  const schema = `test_${randomUUID().replaceAll('-', '')}`
  await withAdmin(async admin => { await admin.query(`CREATE SCHEMA ${schema}`) })
  after(async () => { await withAdmin(async admin => { await admin.query(`DROP SCHEMA ${schema} CASCADE`) }) })
  const url = new URL(testPostgresUrl())
  url.searchParams.set('options', `-c search_path=${schema}`)
  return url.toString()
}

/** Runs `work` on a connection of its own to the test database (not through any store). */
export async function withAdmin<T> (work: (client: pg.Client) => Promise<T>, url = testPostgresUrl()): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}
