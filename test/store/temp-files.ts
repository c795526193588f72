import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'

/**
 * A fresh folder under the OS temp folder for this test file's store files, removed after its
 * tests; `next()` names a new file in it.
 */
export async function tempStoreFiles (prefix: string): Promise<{ dir: string, next: () => string }> {
  const dir = await mkdtemp(join(tmpdir(), `smsgw-${prefix}-`))
  after(async () => { await rm(dir, { recursive: true, force: true }) })
  let count = 0
  return { dir, next: () => join(dir, `store-${++count}.db`) }
}
