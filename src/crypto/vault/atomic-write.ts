import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { SmsgwError, errorCodes } from '../../errors.ts'

/** Vault files hold private keys: readable by their owner only. */
export const VAULT_FILE_MODE = 0o600

/**
 * Replaces `file` with `bytes` so that readers see the old file or the new one, never a mix:
 * write a temporary file in the same folder (same file system, so rename is atomic), fsync
 * it, rename it over `file`, then fsync the folder so the rename survives a crash. The
 * temporary file is removed when anything fails.
 */
export async function writeFileAtomic (file: string, bytes: Buffer, mode = VAULT_FILE_MODE): Promise<void> {
  const folder = dirname(file)
  const temporary = join(folder, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', mode)
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, file)
  } catch (cause) {
    await unlink(temporary).catch(() => {})
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (cause as Error).message
    throw new SmsgwError(errorCodes.vaultUnwritable, `cannot write ${file}: ${reason}`, { cause })
  }
  const folderHandle = await open(folder, 'r')
  try {
    await folderHandle.sync()
  } finally {
    await folderHandle.close()
  }
}
