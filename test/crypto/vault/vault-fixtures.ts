import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

// Shared by the vault tests: where the vectors are, temporary folders, and tools that every
// machine running the tests has (OpenSSL, this Node). The JDK's keytool is in test/harness/jdk.ts,
// imported only by the tests that need it.

export { VECTOR_VAULT_PASSWORD, vectorPath } from '../../harness/fixtures.ts'
export { temporaryFolder } from '../../harness/temporary-folder.ts'

const execFileAsync = promisify(execFile)

export async function openssl (args: readonly string[]): Promise<{ stdout: string, stderr: string }> {
  return await execFileAsync('openssl', [...args])
}

/** Runs a module script in a child Node (this same binary) with extra flags; resolves to its stdout. */
export async function nodeScript (flags: readonly string[], script: string): Promise<string> {
  return (await execFileAsync(process.execPath, [...flags, '--input-type=module', '--eval', script])).stdout
}
