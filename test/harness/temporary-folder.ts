import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'

/**
 * A fresh folder `smsgw-PREFIX-…` under the OS temp folder, removed when the calling test ends
 * (or the file, when called at top level).
 */
export async function temporaryFolder (prefix = 'test'): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), `smsgw-${prefix}-`))
  after(async () => { await rm(folder, { recursive: true, force: true }) })
  return folder
}
