import { randomUUID } from 'node:crypto'
import { runServiceEnv } from './run-service-env.ts'

/**
 * The environment variable that carries the test run's broker address (`host:port`). The global
 * setup sets it in the test runner's process and node:test hands the environment on to every test
 * file's child process; set it yourself to run the tests against a broker you started.
 */
export const testKafkaEnv = 'SMSGW_TEST_KAFKA'

/**
 * The bootstrap address of the test run's broker. Throws when there is none, naming the ways to
 * get one.
 */
export function kafkaBrokers (): string {
  return runServiceEnv(testKafkaEnv, 'a broker', 'scripts/kafka.sh', 'KAFKA_BROKERS')
}

/**
 * A topic name no other test uses: the tests of a run share one broker, and a broker reused
 * across runs keeps the topics of earlier runs.
 */
export function uniqueTopicName (purpose: string): string {
  return `test-${purpose}-${randomUUID()}`
}
