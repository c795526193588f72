import { runServiceEnv } from './run-service-env.ts'

/**
 * The environment variable that carries the test run's PostgreSQL URL
 * (`postgres://smsgw@127.0.0.1:<port>/smsgw`). The global setup sets it in the test runner's
 * process and node:test hands the environment on to every test file's child process; set it
 * yourself to run the tests against a server you started.
 */
export const testPostgresEnv = 'SMSGW_TEST_POSTGRES'

/**
 * The connection URL of the test run's PostgreSQL server. Throws when there is none, naming the
 * ways to get one.
 */
export function testPostgresUrl (): string {
  return runServiceEnv(testPostgresEnv, 'a server', 'scripts/postgres.sh', 'PG_URL')
}
