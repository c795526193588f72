import { join } from 'node:path'
import { temporaryFolder } from '../harness/temporary-folder.ts'

/**
 * A fresh folder under the OS temp folder for this test file's store files, removed after its
 * tests; `next()` names a new file in it.
 */
export async function tempStoreFiles (prefix: string): Promise<{ dir: string, next: () => string }> {
  const dir = await temporaryFolder(prefix)
  let count = 0
  return { dir, next: () => join(dir, `store-${++count}.db`) }
}
