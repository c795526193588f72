import type { Command } from 'commander'
import { dataDirOf, storeLocationOf } from '../config/data-dir.ts'
import type { EmbeddedStore } from '../store/embedded-store.ts'
import type { ProgramIo } from './program-io.ts'

export interface StoreOptions { config?: string, data: string }

/** The options of a command that reads the configuration (`settings` names what it reads there) and opens the store. */
export function storeCommand (command: Command, settings: string, io: ProgramIo): Command {
  return command
    .option('--config <file>', `the configuration file (${settings})`)
    .option('--data <dir>', 'folder of the store smsgw.db when store.url names none', dataDirOf(io.env))
}

/** Runs `work` on the store at store.url (or smsgw.db in --data), closing it after. */
export async function withStore<T> (options: StoreOptions, storeUrl: string | undefined, work: (store: EmbeddedStore) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: the other commands, the gateway too, need none of it.
  const { openStore } = await import('../store/open-store.ts')
  const store = await openStore(storeLocationOf(storeUrl, options.data))
  try {
    return await work(store)
  } finally {
    await store.close()
  }
}
