import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { checkOutput, temporaryFolder, type CliResult, type CliRun } from './cli-fixtures.ts'

// The real launcher as a child process, for the few CLI tests that need one (the launcher
// itself, the process's own streams, a process without a controlling terminal). Each run starts
// a Node that strips the types of the whole CLI again: the other tests run in-process.

const SMSGW = fileURLToPath(new URL('../../bin/smsgw', import.meta.url))

// Node's compile cache (shared by the runs of one test file) makes the later starts cheaper.
const compileCache = await temporaryFolder()

/**
 * Runs `bin/smsgw` with `args` and resolves to its exit code and output. The child runs in a
 * session of its own (detached), so it has no controlling terminal and the password prompt finds
 * no /dev/tty. Its environment is the test process's with `run.env` added, never with the
 * caller's SMSGW_VAULT_PASSWORD. The output is checked as checkOutput says.
 */
export async function smsgwProcess (args: readonly string[], run: CliRun = {}): Promise<CliResult> {
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
  return checkOutput(args, { code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') })
}
