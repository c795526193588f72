import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { fixturePath, LEGACY_PAYLOAD_JAVA } from '../harness/fixtures.ts'

// Black-box helpers for the CLI tests: the real launcher as a child process, the JDK's keytool
// and the JDK reference implementation of the legacy format.

export { VECTOR_VAULT_PASSWORD } from '../harness/fixtures.ts'

const execFileAsync = promisify(execFile)

export const SMSGW = fileURLToPath(new URL('../../bin/smsgw', import.meta.url))
export const KEYTOOL = '/usr/bin/keytool'

/** The password of the vaults the CLI tests make: distinctive, so a leak into any output is found. */
export const TEST_PASSWORD = 'cli-Test-pw-4f9e'

/** A file of test/fixtures/zwets, e.g. vectorPath('builtin.vault'). */
export function vectorPath (name: string): string {
  return fixturePath(`zwets/${name}`)
}

/** A fresh folder under os.tmpdir(), removed when this test file ends. Call it at top level. */
export async function temporaryFolder (): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'smsgw-cli-test-'))
  after(async () => { await rm(folder, { recursive: true, force: true }) })
  return folder
}

// Each run starts a Node that strips the types of the whole CLI again; Node's compile cache
// (shared by the runs of one test file) makes the later starts markedly cheaper.
const compileCache = await temporaryFolder()

export interface CliResult {
  code: number | null
  stdout: Buffer
  stderr: string
}

export interface CliRun {
  /** Bytes for standard input; standard input is closed (empty) when absent. */
  stdin?: string | Buffer
  /** Added to the environment, which never carries the caller's SMSGW_VAULT_PASSWORD. */
  env?: Record<string, string>
}

/**
 * Runs `bin/smsgw` with `args` and resolves to its exit code and output. The child runs in a
 * session of its own (detached), so it has no controlling terminal and the password prompt finds
 * no /dev/tty. Every run is checked: TEST_PASSWORD never shows in stdout or stderr, and stderr
 * holds no stack trace.
 */
export async function smsgw (args: readonly string[], run: CliRun = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { NODE_COMPILE_CACHE: compileCache, ...process.env, ...run.env }
  if (run.env?.SMSGW_VAULT_PASSWORD === undefined) delete env.SMSGW_VAULT_PASSWORD
  delete env.NODE_TEST_CONTEXT
  const child = spawn(SMSGW, args, { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  // A command that fails before reading standard input closes it early; that is not our error.
  child.stdin.on('error', () => {})
  child.stdin.end(run.stdin)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  const result = { code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') }
  assert.ok(!result.stdout.includes(TEST_PASSWORD) && !result.stderr.includes(TEST_PASSWORD),
    `the vault password leaked into the output of smsgw ${args.join(' ')}`)
  assert.doesNotMatch(result.stderr, /^\s+at /m, `stack trace from smsgw ${args.join(' ')}`)
  return result
}

/** The result as text, for comparing a whole run with deepStrictEqual. */
export function asText (result: CliResult): { code: number | null, stdout: string, stderr: string } {
  return { code: result.code, stdout: result.stdout.toString('utf8'), stderr: result.stderr }
}

/** The lines of stderr that smsgw itself wrote (commander's hints like "(add --help …)" are left out). */
export function smsgwLines (stderr: string): string[] {
  return stderr.split('\n').filter(line => line.startsWith('smsgw: '))
}

/** Runs the JDK's keytool in English; resolves to its stdout. */
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
