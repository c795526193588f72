import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const REPO = fileURLToPath(new URL('../../', import.meta.url))

/**
 * `npm run SCRIPT -- ARGS` as a user runs it in a terminal: npm leads a process group of its own,
 * and Ctrl-C (`interrupt()`) signals that whole group, as a terminal does.
 */
export class NpmScript {
  readonly #child: ChildProcess
  readonly #waiters = new Set<() => void>()
  readonly exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  output = ''

  constructor (script: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.#child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        this.output += chunk
        this.#wake()
      })
    }
    this.exited = new Promise(resolve => {
      this.#child.on('close', (code, signal) => {
        this.#wake()
        resolve({ code, signal })
      })
    })
  }

  /** Resolves once the output holds `pattern`; rejects when npm ends first or after `timeoutMs`. */
  async outputMatch (pattern: RegExp, timeoutMs: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error): void => {
        clearTimeout(timer)
        this.#waiters.delete(check)
        if (error === undefined) resolve()
        else reject(error)
      }
      const check = (): void => {
        if (pattern.test(this.output)) finish()
        else if (this.#child.exitCode !== null || this.#child.signalCode !== null) finish(new Error(`npm ended before ${String(pattern)}:\n${this.output}`))
      }
      const timer = setTimeout(() => { finish(new Error(`no ${String(pattern)} within ${timeoutMs} ms:\n${this.output}`)) }, timeoutMs)
      this.#waiters.add(check)
      check()
    })
  }

  /** Ctrl-C: SIGINT to every process of the group. */
  interrupt (): void {
    process.kill(-(this.#child.pid as number), 'SIGINT')
  }

  /** SIGKILL to whatever of the group is left (a test's clean-up). */
  kill (): void {
    try {
      process.kill(-(this.#child.pid as number), 'SIGKILL')
    } catch {
      // The group is gone already.
    }
  }

  #wake (): void {
    for (const waiter of [...this.#waiters]) waiter()
  }
}
