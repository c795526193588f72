import type { EmbeddedStore } from './embedded-store.ts'
import type { PostgresStoreOptions } from './postgres/postgres-store.ts'
import type { SqliteStoreOptions } from './sqlite/sqlite-store.ts'

export type OpenStoreOptions = SqliteStoreOptions & PostgresStoreOptions

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i

/**
 * Opens the embedded store at `location`: a `postgres://` (or `postgresql://`) URL is a
 * PostgreSQL database, anything else a SQLite file. Either is created and migrated if need be.
 * Rejects when it cannot be opened as a store.
 */
export async function openStore (location: string, options: OpenStoreOptions = {}): Promise<EmbeddedStore> {
  if (POSTGRES_URL.test(location)) {
    // Loaded only when asked for: a SQLite deployment never loads the PostgreSQL client.
    const { PostgresStore } = await import('./postgres/postgres-store.ts')
    return await PostgresStore.open(location, options)
  }
  const { SqliteStore } = await import('./sqlite/sqlite-store.ts')
  return SqliteStore.open(location, options)
}
