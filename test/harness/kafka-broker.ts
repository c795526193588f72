import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)
const kafkaScript = fileURLToPath(new URL('../../scripts/kafka.sh', import.meta.url))

/** Covers a first run on a fresh machine, where `start` downloads the broker first (~40 s). */
const START_TIMEOUT_MS = 5 * 60_000
/** kafka.sh waits 20 s after SIGTERM before it sends SIGKILL. */
const STOP_TIMEOUT_MS = 60_000

export interface KafkaBroker {
  /** Bootstrap address, `127.0.0.1:<port>`. */
  readonly brokers: string
  /** The broker's folder: server.properties, data/, kafka.log. Removed by `stop()`. */
  readonly dir: string
  /**
   * Stops the broker (SIGTERM, then SIGKILL after 20 s) and removes its folder.
   * Resolves once both are done; rejects with kafka.sh's output when it fails.
   */
  stop (): Promise<void>
}

/**
 * Starts a one-node KRaft broker through `scripts/kafka.sh start` on free ports, in a new folder
 * under the OS temp folder. Resolves once the broker serves requests; rejects with kafka.sh's
 * output (including the tail of the broker log) when it does not come up.
 *
 * A watchdog of kafka.sh stops the broker when this process exits without calling `stop()`.
 */
export async function startKafkaBroker (): Promise<KafkaBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'smsgw-kafka-'))
  const [port, controllerPort] = await findFreePorts(2)
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_OWNER_PID: String(process.pid)
  }
  let stdout: string
  try {
    ({ stdout } = await execFileAsync('bash', [kafkaScript, 'start', dir], { env, timeout: START_TIMEOUT_MS }))
  } catch (error) {
    // A timeout kills kafka.sh but not a broker it may have launched already.
    if (isKilled(error)) await runStop(dir).catch(() => {})
    throw new Error(`Kafka broker did not start in ${dir}:\n${outputOf(error)}`, { cause: error })
  }
  const brokers = /^KAFKA_BROKERS=(.+)$/m.exec(stdout)?.[1]
  if (brokers === undefined) {
    await runStop(dir)
    throw new Error(`kafka.sh start printed no KAFKA_BROKERS line:\n${stdout}`)
  }
  return { brokers, dir, stop: () => runStop(dir) }
}

async function runStop (dir: string): Promise<void> {
  try {
    await execFileAsync('bash', [kafkaScript, 'stop', dir], { timeout: STOP_TIMEOUT_MS })
  } catch (error) {
    throw new Error(`Kafka broker in ${dir} did not stop cleanly:\n${outputOf(error)}`, { cause: error })
  }
}

/**
 * Finds `count` distinct free TCP ports on 127.0.0.1 by letting the OS pick them. The servers are
 * held open together so that the ports differ, then closed; someone else could take a port before
 * the broker binds it, which kafka.sh then reports as a port in use.
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
