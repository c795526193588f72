import { open, readFile, unlink } from 'node:fs/promises'
import { writeFileAtomic } from '../../crypto/vault/atomic-write.ts'
import { SmsgwError, errorCodes } from '../../errors.ts'
import { decodeAppState, encodeAppState, type AppState } from './app-state.ts'
import { openState, sealState } from './sealed-state.ts'

// The state file on disk: sealed with the password (sealed-state.ts), written atomically with
// mode 0600 so a crash leaves the old state or the new one, never a mix; and held by one run at a
// time (a lock file beside it), so two runs never compose with the same ratchet state and so reuse
// a message key.

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

/**
 * Runs `work` holding `<file>.lock` (created exclusively, removed after). A lock left by a run
 * that crashed is reported, not broken: only the user knows no other run is going on.
 */
export async function withStateLock<T> (file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`
  const handle = await open(lock, 'wx', 0o600).catch((cause: unknown) => {
    const held = (cause as NodeJS.ErrnoException).code === 'EEXIST'
    throw new SmsgwError(errorCodes.relayAppState, held ? `another run of smsgw relay app holds ${lock}; remove that file if none is running` : `cannot lock the state file ${file}: ${(cause as Error).message}`, { cause })
  })
  try {
    await handle.writeFile(`${process.pid}\n`)
    await handle.close()
    return await work()
  } finally {
    await unlink(lock).catch(() => {})
  }
}
