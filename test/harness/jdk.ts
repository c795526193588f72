import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { LEGACY_PAYLOAD_JAVA } from './fixtures.ts'

// The JDK's tools, for the tests that check interoperability with Java: keytool and the JDK
// reference implementation of the legacy payload format. A test importing this module needs a
// JDK (test/harness/test-kinds.ts), so only those tests import it.

const execFileAsync = promisify(execFile)

const KEYTOOL = '/usr/bin/keytool'

/** Runs the JDK's keytool in English; resolves to its stdout, rejects with its stderr in the message. */
export async function keytool (args: readonly string[]): Promise<string> {
  return (await execFileAsync(KEYTOOL, ['-J-Duser.language=en', ...args])).stdout
}

/**
 * Runs the JDK cross-check of the legacy format (`java legacy-payload.java …`, test/fixtures/java) with `stdin`;
 * resolves to its stdout bytes.
 */
export async function payloadRef (args: readonly string[], stdin: string | Buffer): Promise<Buffer> {
  const child = spawn('java', [LEGACY_PAYLOAD_JAVA, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  child.stdin.end(stdin)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  assert.equal(code, 0, `java legacy-payload.java ${args.join(' ')} failed: ${Buffer.concat(stderr).toString('utf8')}`)
  return Buffer.concat(stdout)
}
