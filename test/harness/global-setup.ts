// The module for `node --test --test-global-setup=test/harness/global-setup.ts`: it starts one
// Kafka broker and one PostgreSQL server for the whole test run and stops them at the end.
//
// node:test runs globalSetup in the runner's process before it spawns a child process per test
// file; the children inherit process.env as it is then (checked on Node 24.21, with both
// --test-isolation=process and =none), so the addresses travel in SMSGW_TEST_KAFKA and
// SMSGW_TEST_POSTGRES.
import { shareCompileCache } from './compile-cache.ts'
import { startKafkaBroker } from './kafka-broker.ts'
import type { KafkaBroker } from './kafka-broker.ts'
import { testKafkaEnv } from './kafka.ts'
import { startPostgresServer } from './postgres-server.ts'
import type { PostgresServer } from './postgres-server.ts'
import { testPostgresEnv } from './postgres.ts'

let broker: KafkaBroker | undefined
let postgres: PostgresServer | undefined

export async function globalSetup (): Promise<void> {
  shareCompileCache()
  // A broker or server given from outside (a developer's `scripts/kafka.sh start` or
  // `scripts/postgres.sh start`) is used as it is. The two start side by side; allSettled rather
  // than all, so that when one fails we still learn of the other and can stop it.
  const [kafkaStarted, postgresStarted] = await Promise.allSettled([
    process.env[testKafkaEnv] ? undefined : startKafkaBroker(),
    process.env[testPostgresEnv] ? undefined : startPostgresServer()
  ])
  if (kafkaStarted.status === 'fulfilled') broker = kafkaStarted.value
  if (postgresStarted.status === 'fulfilled') postgres = postgresStarted.value
  const failures = [kafkaStarted, postgresStarted].filter(result => result.status === 'rejected')
  if (failures.length > 0) {
    await globalTeardown().catch(() => {})
    // node prints the error (the script's output and the server log's tail) and exits with
    // status 7 before any test runs.
    throwAll(failures.map(failure => failure.reason), 'neither the Kafka broker nor the PostgreSQL server started')
  }
  if (broker) process.env[testKafkaEnv] = broker.brokers
  if (postgres) process.env[testPostgresEnv] = postgres.url
}

export async function globalTeardown (): Promise<void> {
  const stopped = await Promise.allSettled([broker?.stop(), postgres?.stop()])
  broker = undefined
  postgres = undefined
  const failures = stopped.filter(result => result.status === 'rejected')
  if (failures.length > 0) {
    throwAll(failures.map(failure => failure.reason), 'neither the Kafka broker nor the PostgreSQL server stopped cleanly')
  }
}

/** Throws the one error, or all of them in an AggregateError with `message`. */
function throwAll (errors: unknown[], message: string): never {
  if (errors.length === 1) throw errors[0]
  throw new AggregateError(errors, message)
}
