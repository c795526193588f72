import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { promisify } from 'node:util'
import { fixturePath } from '../../harness/fixtures.ts'

// Shared by the vault tests: where the vectors are, temporary folders, and tools that every
// machine running the tests has (OpenSSL, this Node). The JDK's keytool is in test/harness/jdk.ts,
// imported only by the tests that need it.

export { VECTOR_VAULT_PASSWORD } from '../../harness/fixtures.ts'

const execFileAsync = promisify(execFile)

/** A file of test/fixtures/zwets, e.g. vectorPath('builtin.vault'). */
export function vectorPath (name: string): string {
  return fixturePath(`zwets/${name}`)
}

/** A fresh folder under os.tmpdir(), removed when the calling test ends (or the file, when called at top level). */
export async function temporaryFolder (): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'smsgw-vault-test-'))
  after(async () => { await rm(folder, { recursive: true, force: true }) })
  return folder
}

export async function openssl (args: readonly string[]): Promise<{ stdout: string, stderr: string }> {
  return await execFileAsync('openssl', [...args])
}

/** Runs a module script in a child Node (this same binary) with extra flags; resolves to its stdout. */
export async function nodeScript (flags: readonly string[], script: string): Promise<string> {
  return (await execFileAsync(process.execPath, [...flags, '--input-type=module', '--eval', script])).stdout
}
