import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from '../../crypto/vault/atomic-write.ts'
import { SmsgwError, errorCodes } from '../../errors.ts'
import { decodeAppState, encodeAppState, type AppState } from './app-state.ts'
import { openState, sealState } from './sealed-state.ts'

// The state file on disk: sealed with the password (sealed-state.ts), written atomically with
// mode 0600 so a crash leaves the old state or the new one, never a mix.

export async function readAppState (file: string, password: string): Promise<AppState> {
  const bytes = await readFile(file).catch((cause: unknown) => {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT'
    throw new SmsgwError(errorCodes.relayAppState, missing ? `no state file ${file}: sign up or log in first (smsgw relay app signup|login)` : `cannot read the state file ${file}: ${(cause as Error).message}`, { cause })
  })
  const opened = openState(bytes, password)
  if (!opened.ok) throw opened.error
  const state = decodeAppState(opened.value)
  if (!state.ok) throw state.error
  return state.value
}

export async function writeAppState (file: string, state: AppState, password: string): Promise<void> {
  await writeFileAtomic(file, sealState(encodeAppState(state), password))
}
