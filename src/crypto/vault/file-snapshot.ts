import { open, stat } from 'node:fs/promises'
import type { BigIntStats } from 'node:fs'
import { errorCodes, SmsgwError } from '../../errors.ts'

/**
 * What tells one version of a file from the next without reading it: device, inode (a rename
 * over it), size, and nanosecond mtime/ctime (an in-place rewrite). Compared as a string.
 */
export type FileVersion = string

function versionOf (stats: BigIntStats): FileVersion {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`
}

function unreadable (file: string, error: unknown): SmsgwError {
  const reason = (error as NodeJS.ErrnoException).code ?? String(error)
  return new SmsgwError(errorCodes.vaultUnreadable, `Cannot read vault file ${file}: ${reason}`, { cause: error, retryable: true })
}

/** The current version of `file`; rejects with SMSGW_VAULT_UNREADABLE when it cannot be stat'ed. */
export async function statFileVersion (file: string): Promise<FileVersion> {
  try {
    return versionOf(await stat(file, { bigint: true }))
  } catch (error) {
    throw unreadable(file, error)
  }
}

/**
 * The bytes of `file` and the version they were read at. The version comes from the open
 * handle before reading, so a writer finishing mid-read leaves a newer version behind, and the
 * next refresh reads again.
 */
export async function readFileSnapshot (file: string): Promise<{ bytes: Buffer, version: FileVersion }> {
  let handle
  try {
    handle = await open(file, 'r')
    const version = versionOf(await handle.stat({ bigint: true }))
    return { bytes: await handle.readFile(), version }
  } catch (error) {
    throw unreadable(file, error)
  } finally {
    await handle?.close()
  }
}
