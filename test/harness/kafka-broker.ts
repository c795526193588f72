import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFreePorts, scriptPath, startScripted, stopScripted } from './child-script.ts'
import type { ScriptedServer } from './child-script.ts'

const kafka: ScriptedServer = {
  name: 'Kafka broker',
  script: scriptPath('kafka.sh'),
  /** Covers a first run on a fresh machine, where `start` downloads the broker first (~40 s). */
  startTimeoutMs: 5 * 60_000,
  /** kafka.sh waits 20 s after SIGTERM before it sends SIGKILL. */
  stopTimeoutMs: 60_000
}

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
  const brokers = await startScripted(kafka, dir, env, 'KAFKA_BROKERS')
  return { brokers, dir, stop: () => stopScripted(kafka, dir) }
}
