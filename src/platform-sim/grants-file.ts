import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from '../crypto/vault/atomic-write.ts'
import type { Grant } from './oauth-authority.ts'

// The simulator's live grants in a file (`grantsFile`), so that a token the relay keeps for a
// linked account still works after a restart (the demo of `smsgw run`). The tokens are the
// simulator's own, of no platform: the file is written atomically, readable by its owner only.

export interface GrantsFile {
  /** The grants kept by the last run; none when the file does not exist yet. */
  readonly grants: readonly Grant[]
  /** Writes `grants()` soon; writes never overlap and the latest change is always written. */
  keep: (grants: () => readonly Grant[]) => void
  /** Resolves once every change so far is on disk (before the simulator says it closed). */
  flushed: () => Promise<void>
}

export async function openGrantsFile (file: string): Promise<GrantsFile> {
  const grants = grantsOf(file, await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '[]'
    throw error
  }))
  let writing = Promise.resolve()
  let due = false
  return {
    grants,
    keep: current => {
      if (due) return
      due = true
      writing = writing.then(async () => {
        due = false
        await writeFileAtomic(file, Buffer.from(JSON.stringify(current())))
      }).catch((error: unknown) => { process.emitWarning(`platform simulator: ${(error as Error).message}`) })
    },
    flushed: async () => { await writing }
  }
}

const FIELDS = ['platform', 'clientId', 'account', 'scope', 'accessToken', 'refreshToken'] as const

function grantsOf (file: string, text: string): Grant[] {
  const parsed: unknown = JSON.parse(text)
  const valid = Array.isArray(parsed) && parsed.every(grant => typeof grant === 'object' && grant !== null &&
    FIELDS.every(field => typeof grant[field] === 'string') && Number.isSafeInteger(grant.expiresAtMs))
  if (!valid) throw new Error(`${file} is not a platform simulator's grants file: remove it (the links made through it are then lost)`)
  return parsed as Grant[]
}
