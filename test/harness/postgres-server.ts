import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFreePorts, scriptPath, startScripted, stopScripted } from './child-script.ts'
import type { ScriptedServer } from './child-script.ts'

const postgres: ScriptedServer = {
  name: 'PostgreSQL server',
  script: scriptPath('postgres.sh'),
  /** postgres.sh runs initdb (1–2 s) and then waits up to 30 s for the server. */
  startTimeoutMs: 90_000,
  /** postgres.sh waits 20 s for a fast shutdown before it sends SIGKILL. */
  stopTimeoutMs: 60_000
}

export interface PostgresServer {
  /** Connection URL of the database smsgw, `postgres://smsgw@127.0.0.1:<port>/smsgw`; no password. */
  readonly url: string
  /** The server's folder: data/, postgres.log and the Unix socket. Removed by `stop()`. */
  readonly dir: string
  /**
   * Stops the server (fast shutdown, then SIGKILL after 20 s) and removes its folder.
   * Resolves once both are done; rejects with postgres.sh's output when it fails.
   */
  stop (): Promise<void>
}

/**
 * Starts a PostgreSQL server through `scripts/postgres.sh start` on a free port, in a new folder
 * under the OS temp folder. Resolves once the server accepts connections and has the database
 * smsgw; rejects with postgres.sh's output (including the tail of the server log) when it does not
 * come up.
 *
 * A watchdog of postgres.sh stops the server when this process exits without calling `stop()`.
 */
export async function startPostgresServer (): Promise<PostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), 'smsgw-postgres-'))
  const [port] = await findFreePorts(1)
  const env = {
    ...process.env,
    PG_PORT: String(port),
    PG_OWNER_PID: String(process.pid)
  }
  const url = await startScripted(postgres, dir, env, 'PG_URL')
  return { url, dir, stop: () => stopScripted(postgres, dir) }
}
