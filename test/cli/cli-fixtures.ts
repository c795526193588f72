import assert from 'node:assert/strict'
import { runProgram } from '../../src/cli/program.ts'
import type { ProgramIo } from '../../src/cli/program-io.ts'

// The CLI tests run the command tree in-process through runProgram, with the outside world
// (environment, standard streams, terminal, signals) given as values: no child process, no JDK.
// The few tests that need the real launcher use cli-process.ts; the JDK's tools are in
// test/harness/jdk.ts.

export { VECTOR_VAULT_PASSWORD, vectorPath } from '../harness/fixtures.ts'
export { temporaryFolder } from '../harness/temporary-folder.ts'

/** The password of the vaults the CLI tests make: distinctive, so a leak into any output is found. */
export const TEST_PASSWORD = 'cli-Test-pw-4f9e'

export interface CliResult {
  code: number | null
  stdout: Buffer
  stderr: string
}

export interface CliRun {
  /** Bytes for standard input; standard input is empty when absent. */
  stdin?: string | Buffer
  /**
   * The run's environment variables: in-process, the whole environment (none of the test
   * process's); a child process (cli-process.ts) has the test process's too, without its
   * SMSGW_VAULT_PASSWORD.
   */
  env?: Record<string, string>
}

export interface InProcessRun extends CliRun {
  /** What is typed at the password prompt; without it there is no terminal. */
  typed?: string
}

/** Every run is checked: TEST_PASSWORD never shows in stdout or stderr, and stderr holds no stack trace. */
export function checkOutput (args: readonly string[], result: CliResult): CliResult {
  assert.ok(!result.stdout.includes(TEST_PASSWORD) && !result.stderr.includes(TEST_PASSWORD),
    `the vault password leaked into the output of smsgw ${args.join(' ')}`)
  assert.doesNotMatch(result.stderr, /^\s+at /m, `stack trace from smsgw ${args.join(' ')}`)
  return result
}

/** A stop signal or `exit` in an in-process run is a test's mistake: no command under test waits for one. */
const noSignals: ProgramIo['signals'] = { on: () => {}, off: () => {} }

/**
 * Runs the smsgw command line `args` in-process and resolves to its exit code and output, as
 * bin/smsgw would give them. Unless `run.typed` is given there is no terminal: the password prompt
 * finds none, as in a process without a controlling terminal. The output is checked as
 * checkOutput says.
 */
export async function smsgw (args: readonly string[], run: InProcessRun = {}): Promise<CliResult> {
  const stdout: Buffer[] = []
  let stderr = ''
  const io: ProgramIo = {
    env: { ...run.env },
    readStdin: async () => Buffer.from(run.stdin ?? ''),
    writeStdout: async data => { stdout.push(Buffer.from(data)) },
    writeStderr: text => { stderr += text },
    promptHidden: async () => run.typed,
    signals: noSignals,
    exit: code => { assert.fail(`smsgw ${args.join(' ')} asked to exit at once with ${code}`) }
  }
  const code = await runProgram(args, io)
  return checkOutput(args, { code, stdout: Buffer.concat(stdout), stderr })
}

/** `smsgw encrypt` of `stdin`; asserts it succeeded and resolves to the base64 text. */
export async function encrypt (args: readonly string[], stdin: string | Buffer): Promise<string> {
  const result = await smsgw(['encrypt', ...args], { stdin })
  assert.deepStrictEqual({ code: result.code, stderr: result.stderr }, { code: 0, stderr: '' })
  return result.stdout.toString('latin1')
}

/** The result as text, for comparing a whole run with deepStrictEqual. */
export function asText (result: CliResult): { code: number | null, stdout: string, stderr: string } {
  return { code: result.code, stdout: result.stdout.toString('utf8'), stderr: result.stderr }
}

/** The lines of stderr that smsgw itself wrote (commander's hints like "(add --help …)" are left out). */
export function smsgwLines (stderr: string): string[] {
  return stderr.split('\n').filter(line => line.startsWith('smsgw: '))
}
