import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { envVarName, type DeepPartial, type GatewayConfig } from '../../src/config/index.ts'

const SMSGW_BIN = fileURLToPath(new URL('../../bin/smsgw', import.meta.url))
/** How long `stop` waits for a process it killed with SIGKILL. */
const KILL_WAIT_MS = 5_000

/** How a child process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/**
 * The environment variables (`SMSGW_<PATH>`) that set the values of `layer`, lists joined
 * with commas as the configuration reads them back.
 */
export function configEnv (layer: DeepPartial<GatewayConfig>): Record<string, string> {
  const env: Record<string, string> = {}
  const walk = (value: unknown, path: readonly string[]): void => {
    if (value === undefined) return
    if (Array.isArray(value)) env[envVarName(path)] = value.join(',')
    else if (typeof value === 'object' && value !== null) for (const [key, child] of Object.entries(value)) walk(child, [...path, key])
    else env[envVarName(path)] = String(value)
  }
  walk(layer, [])
  return env
}

/**
 * `bin/smsgw gateway` (or another `command`, such as `run`) as a real child process: configured
 * by `env` and `args` alone (the test process's own SMSGW_* variables are not passed on), with
 * everything it writes to stdout and stderr kept for assertions and for grepping.
 */
export class GatewayProcess {
  readonly #child: ChildProcess
  readonly #stdout: string[] = []
  readonly #stderr: string[] = []
  #stderrText = ''
  readonly #listeners = new Set<() => void>()
  readonly exited: Promise<ProcessExit>
  #exit: ProcessExit | undefined

  constructor (env: Readonly<Record<string, string>>, args: readonly string[] = [], command = 'gateway') {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SMSGW_') && !name.startsWith('NODE_TEST')))
    this.#child = spawn(SMSGW_BIN, [command, ...args], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    this.#collect(this.#child.stdout, this.#stdout)
    this.#collect(this.#child.stderr, this.#stderr)
    this.#child.stderr?.on('data', (chunk: string) => { this.#stderrText += chunk })
    // 'close', not 'exit': by then everything the process wrote has been read.
    this.exited = new Promise(resolve => {
      this.#child.on('close', (code, signal) => {
        this.#exit = { code, signal }
        resolve(this.#exit)
        this.#notify()
      })
    })
  }

  #collect (stream: NodeJS.ReadableStream | null, into: string[]): void {
    let partial = ''
    stream?.setEncoding('utf8')
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      into.push(...lines.filter(line => line !== ''))
      this.#notify()
    })
    stream?.on('end', () => {
      if (partial !== '') into.push(partial)
      partial = ''
      this.#notify()
    })
  }

  #notify (): void {
    for (const listener of [...this.#listeners]) listener()
  }

  get pid (): number | undefined {
    return this.#child.pid
  }

  /** Everything written to stdout and stderr so far, stdout first. */
  get output (): string {
    return [...this.#stdout, ...this.#stderr].join('\n')
  }

  /** The lines written to stdout so far. */
  get stdoutLines (): readonly string[] {
    return [...this.#stdout]
  }

  /** Everything written to stderr so far, as written. */
  get stderr (): string {
    return this.#stderrText
  }

  /** The JSON log records on stdout (the application log, spec §9), in order. */
  get records (): Array<Record<string, unknown>> {
    return this.#stdout.flatMap(line => {
      try {
        const record: unknown = JSON.parse(line)
        return typeof record === 'object' && record !== null ? [record as Record<string, unknown>] : []
      } catch {
        return []
      }
    })
  }

  /** The log records whose `msg` is `message`. */
  logged (message: string): Array<Record<string, unknown>> {
    return this.records.filter(record => record.msg === message)
  }

  /**
   * Resolves with the first log record with `msg` equal to `message`; rejects after `timeoutMs`
   * or when the process exits first, with the output so far.
   */
  async waitForLog (message: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return await this.#waitFor(() => this.logged(message)[0], `log "${message}"`, timeoutMs)
  }

  /**
   * Resolves with the first match of `pattern` in the output (stdout, then stderr); rejects
   * after `timeoutMs` or when the process exits first, with the output so far.
   */
  async waitForOutput (pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return await this.#waitFor(() => this.output.match(pattern) ?? undefined, `print ${String(pattern)}`, timeoutMs)
  }

  /** Resolves with what `found` gives once it gives something, checked on every line and at the exit. */
  async #waitFor<T> (found: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return await new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = found()
        if (value === undefined && this.#exit === undefined) return
        clearTimeout(timer)
        this.#listeners.delete(check)
        if (value !== undefined) resolve(value)
        else reject(new Error(`smsgw exited (${JSON.stringify(this.#exit)}) and did not ${what}:\n${this.output}`))
      }
      const timer = setTimeout(() => {
        this.#listeners.delete(check)
        reject(new Error(`smsgw did not ${what} within ${timeoutMs} ms:\n${this.output}`))
      }, timeoutMs)
      this.#listeners.add(check)
      check()
    })
  }

  kill (signal: NodeJS.Signals): void {
    if (this.#exit === undefined) this.#child.kill(signal)
  }

  /** Resolves with how the process ended; rejects when it is still running after `timeoutMs`. */
  async exit (timeoutMs: number): Promise<ProcessExit> {
    let timer: NodeJS.Timeout | undefined
    try {
      return await Promise.race([this.exited, new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`smsgw still running after ${timeoutMs} ms:\n${this.output.slice(-4000)}`)), timeoutMs)
      })])
    } finally {
      clearTimeout(timer)
    }
  }

  /** For cleanup: SIGKILL unless it has ended, then wait (bounded) for the exit. */
  async stop (): Promise<void> {
    this.kill('SIGKILL')
    await this.exit(KILL_WAIT_MS)
  }
}
