import { join } from 'node:path'

/** The environment variable naming the data folder of `smsgw run` (its --data option wins). */
const DATA_DIR_ENV = 'SMSGW_DATA_DIR'
/** The data folder of `smsgw run` by default: the store, the demo vault, the API key file. */
export const DEFAULT_DATA_DIR = 'smsgw-data'

/** The data folder when no --data option names one: $SMSGW_DATA_DIR, else ./smsgw-data. */
export function dataDirOf (env: NodeJS.ProcessEnv): string {
  const fromEnv = env[DATA_DIR_ENV]
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_DATA_DIR
}

/** The store's file in the data folder when store.url names none. */
const STORE_FILE = 'smsgw.db'

/** Where the store is: store.url when set, else smsgw.db in `dataDir`. */
export function storeLocationOf (storeUrl: string | undefined, dataDir: string): string {
  return storeUrl ?? join(dataDir, STORE_FILE)
}
