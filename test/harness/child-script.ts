// Runs the throw-away servers of scripts/ (kafka.sh, postgres.sh) from TypeScript. Those scripts
// share one shape: `start DIR` sets the server up in DIR, starts it in the background and prints
// KEY=value lines on stdout (progress and errors on stderr); `stop DIR` stops it and removes DIR.
import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

export interface ScriptedServer {
  /** What the error messages call it, e.g. 'Kafka broker'. */
  readonly name: string
  /** Absolute path of the script, see `scriptPath()`. */
  readonly script: string
  /** How long `start` may take before the script is killed (and `stop` run). */
  readonly startTimeoutMs: number
  /** How long `stop` may take. */
  readonly stopTimeoutMs: number
}

/** The absolute path of a file in scripts/, e.g. scriptPath('kafka.sh'). */
export function scriptPath (file: string): string {
  return fileURLToPath(new URL(`../../scripts/${file}`, import.meta.url))
}

/**
 * Runs `<script> start <dir>` with `env` and returns the value of the `<key>=value` line it
 * prints. Rejects with the script's output when it fails; when it is killed for taking too long or
 * prints no such line, runs `stop` first so that no server stays behind.
 */
export async function startScripted (server: ScriptedServer, dir: string, env: NodeJS.ProcessEnv,
  key: string): Promise<string> {
  let stdout: string
  try {
    ({ stdout } = await execFileAsync('bash', [server.script, 'start', dir], { env, timeout: server.startTimeoutMs }))
  } catch (error) {
    // A timeout kills the script but not a server it may have launched already.
    if (isKilled(error)) await stopScripted(server, dir).catch(() => {})
    throw new Error(`${server.name} did not start in ${dir}:\n${outputOf(error)}`, { cause: error })
  }
  const value = new RegExp(`^${key}=(.+)$`, 'm').exec(stdout)?.[1]
  if (value === undefined) {
    await stopScripted(server, dir)
    throw new Error(`${basename(server.script)} start printed no ${key} line:\n${stdout}`)
  }
  return value
}

/** Runs `<script> stop <dir>`; rejects with the script's output when it fails. */
export async function stopScripted (server: ScriptedServer, dir: string): Promise<void> {
  try {
    await execFileAsync('bash', [server.script, 'stop', dir], { timeout: server.stopTimeoutMs })
  } catch (error) {
    throw new Error(`${server.name} in ${dir} did not stop cleanly:\n${outputOf(error)}`, { cause: error })
  }
}

/**
 * Finds `count` distinct free TCP ports on 127.0.0.1 by letting the OS pick them. The servers are
 * held open together so that the ports differ, then closed; someone else could take a port before
 * the server binds it, which the scripts then report as a port in use.
 */
export async function findFreePorts (count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    const ports: number[] = []
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, '127.0.0.1', resolve)
      })
      const address = server.address()
      if (address === null || typeof address === 'string') throw new Error('expected a TCP address')
      ports.push(address.port)
    }
    return ports
  } finally {
    await Promise.all(servers.map(server => new Promise(resolve => server.close(resolve))))
  }
}

function isKilled (error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'killed' in error && error.killed === true
}

function outputOf (error: unknown): string {
  if (typeof error === 'object' && error !== null && 'stderr' in error && typeof error.stderr === 'string' &&
    error.stderr !== '') {
    return error.stderr
  }
  return error instanceof Error ? error.message : String(error)
}
