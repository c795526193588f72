import type { EmbeddedStore } from '../../src/store/embedded-store.ts'
import { openStore, type OpenStoreOptions } from '../../src/store/open-store.ts'
import { tempStoreFiles } from './temp-files.ts'

/** One kind of embedded store, for tests that every kind must pass. */
export interface StoreKind {
  readonly name: 'sqlite' | 'postgres'
  /** Where a new, empty store of this kind can be opened. */
  newLocation: () => Promise<string>
  /** Opens the store at `location` (default: a new one). */
  open: (location?: string, options?: OpenStoreOptions) => Promise<EmbeddedStore>
}

export function storeKind (name: StoreKind['name'], newLocation: () => Promise<string>): StoreKind {
  return {
    name,
    newLocation,
    open: async (location, options) => await openStore(location ?? await newLocation(), options)
  }
}

/**
 * SQLite files in a temp folder, removed after the file's tests. Apart from storeKinds
 * (store-kinds.ts), so that a test file run on SQLite alone needs no PostgreSQL server and stays a
 * unit test (test/harness/test-kinds.ts).
 */
export async function sqliteStoreKind (prefix: string): Promise<StoreKind> {
  const files = await tempStoreFiles(prefix)
  return storeKind('sqlite', async () => files.next())
}
