import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { promisify } from 'node:util'
import { fixturePath } from '../../harness/fixtures.ts'

// Shared by the vault tests: where the vectors are, temporary folders, and the real tools.

export { VECTOR_VAULT_PASSWORD } from '../../harness/fixtures.ts'

const execFileAsync = promisify(execFile)

export const KEYTOOL = '/usr/bin/keytool'

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

/** Runs the JDK's keytool; resolves to its stdout, rejects with its stderr in the message. */
export async function keytool (args: readonly string[]): Promise<string> {
  return (await execFileAsync(KEYTOOL, ['-J-Duser.language=en', ...args])).stdout
}

export async function openssl (args: readonly string[]): Promise<{ stdout: string, stderr: string }> {
  return await execFileAsync('openssl', [...args])
}

/** Runs a module script in a child Node (this same binary) with extra flags; resolves to its stdout. */
export async function nodeScript (flags: readonly string[], script: string): Promise<string> {
  return (await execFileAsync(process.execPath, [...flags, '--input-type=module', '--eval', script])).stdout
}
