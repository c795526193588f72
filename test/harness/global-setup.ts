// The module for `node --test --test-global-setup=test/harness/global-setup.ts`: it starts one
// Kafka broker for the whole test run and stops it at the end.
//
// node:test runs globalSetup in the runner's process before it spawns a child process per test
// file; the children inherit process.env as it is then (checked on Node 24.21, with both
// --test-isolation=process and =none), so the address travels in SMSGW_TEST_KAFKA.
import { startKafkaBroker } from './kafka-broker.ts'
import type { KafkaBroker } from './kafka-broker.ts'
import { testKafkaEnv } from './kafka.ts'

let broker: KafkaBroker | undefined

export async function globalSetup (): Promise<void> {
  // A broker given from outside (a developer's `scripts/kafka.sh start`) is used as it is.
  if (process.env[testKafkaEnv]) return
  // When this rejects, node prints the error (kafka.sh's output and the broker log's tail) and
  // exits with status 7 before any test runs.
  broker = await startKafkaBroker()
  process.env[testKafkaEnv] = broker.brokers
}

export async function globalTeardown (): Promise<void> {
  await broker?.stop()
  broker = undefined
}
