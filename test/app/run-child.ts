import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { temporaryFolder } from './app-fixtures.ts'

// `bin/smsgw run` as a user starts it: the real launcher in a child process, its output read as
// a user reads it.

export const REPO = fileURLToPath(new URL('../../', import.meta.url))
export const SMSGW = fileURLToPath(new URL('../../bin/smsgw', import.meta.url))

const execFileAsync = promisify(execFile)
// Each start strips the types of the whole app again; a compile cache shared by this file's
// children makes the later starts cheaper.
const compileCache = await temporaryFolder('run-compile-cache')

/** The environment of a child: this one's, without the test runner's and with `extra`. */
export function childEnv (extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NODE_COMPILE_CACHE: compileCache, ...process.env, ...extra }
  for (const name of Object.keys(env)) if (name.startsWith('NODE_TEST') || (name.startsWith('SMSGW_') && !(name in extra))) delete env[name]
  return env
}

/** What the welcome text tells a user to do. */
export interface Welcome {
  readonly url: string
  readonly key: string | undefined
  /** The operator key (the dashboard's login), printed on the first start only. */
  readonly operatorKey: string | undefined
  /** The printed `bin/smsgw enc-sms …` command. */
  readonly encSms: string
  /** The printed `-d` body of the curl command, with `$PAYLOAD` still in it. */
  readonly curlBody: string
  readonly curlUrl: string
}

export class RunChild {
  readonly #child: ChildProcess
  readonly #waiters = new Set<() => void>()
  readonly exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  stdout = ''
  stderr = ''

  /** Starts `bin/smsgw run --data DIR --port 0 --smsc-port 0 ARGS…` with `env` added. */
  constructor (dataDir: string, env: Record<string, string> = {}, args: readonly string[] = []) {
    this.#child = spawn(SMSGW, ['run', '--data', dataDir, '--port', '0', '--smsc-port', '0', ...args], { cwd: REPO, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    this.#child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { this.stdout += chunk; this.#wake() })
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { this.stderr += chunk; this.#wake() })
    this.exited = new Promise(resolve => {
      this.#child.on('close', (code, signal) => {
        this.#wake()
        resolve({ code, signal })
      })
    })
  }

  get running (): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null
  }

  /**
   * Resolves once stdout holds `pattern`'s match; rejects when the child ends or after `timeoutMs`
   * (a start takes seconds, many more when other test files run beside it on a busy machine).
   */
  async stdoutMatch (pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => { finish(); reject(new Error(`no ${String(pattern)} on stdout within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`)) }, timeoutMs)
      const check = (): void => {
        const match = this.stdout.match(pattern)
        if (match !== null) {
          finish()
          resolve(match)
        } else if (!this.running) {
          finish()
          reject(new Error(`smsgw run ended early:\n${this.stdout}\n${this.stderr}`))
        }
      }
      const finish = (): void => {
        clearTimeout(timer)
        this.#waiters.delete(check)
      }
      this.#waiters.add(check)
      check()
    })
  }

  /** Waits for the welcome text and reads it as a user would. */
  async welcome (): Promise<Welcome> {
    await this.stdoutMatch(/Ctrl-C stops it\./)
    const url = (this.stdout.match(/^ {2}dashboard +(http:\/\/\S+)\/dashboard$/m) ?? assert.fail('no dashboard line'))[1] as string
    const key = this.stdout.match(/^ {2}KEY=(smsgw_\S+)$/m)?.[1]
    const operatorKey = this.stdout.match(/^ {2}operator +(smsgw_op_\S+) /m)?.[1]
    const encSms = (this.stdout.match(/^ {2}PAYLOAD=\$\((bin\/smsgw enc-sms .*)\)$/m) ?? assert.fail('no enc-sms line'))[1] as string
    const curl = this.stdout.match(/^ {4}-d "(.*)" (\S+)$/m) ?? assert.fail('no curl -d line')
    return { url, key, operatorKey, encSms, curlBody: (curl[1] as string).replaceAll('\\"', '"'), curlUrl: curl[2] as string }
  }

  signal (signal: NodeJS.Signals): void {
    this.#child.kill(signal)
  }

  /** Stdout and stderr so far. */
  get output (): string {
    return this.stdout + this.stderr
  }

  /** The JSON log lines on stdout so far. */
  get logLines (): Array<Record<string, unknown>> {
    return this.stdout.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>)
  }

  #wake (): void {
    for (const waiter of [...this.#waiters]) waiter()
  }
}

/** Runs a shell command line (as printed by the welcome text) in the repo; resolves to its stdout. */
export async function shell (commandLine: string): Promise<string> {
  const { stdout } = await execFileAsync('/bin/sh', ['-c', commandLine], { cwd: REPO, env: childEnv({}), timeout: 20_000 })
  return stdout
}
