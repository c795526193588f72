// The harness's PostgreSQL server (scripts/postgres.sh), checked with psql: there is no
// PostgreSQL client library in the project yet.
import { ok, rejects, strictEqual } from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { startPostgresServer } from './postgres-server.ts'
import { testPostgresUrl } from './postgres.ts'

const execFileAsync = promisify(execFile)

/** Runs the SQL commands in one psql session and returns its unaligned, quiet output. */
async function psql (connection: string, ...commands: string[]): Promise<string> {
  const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', connection, ...commands.flatMap(sql => ['-c', sql])]
  const { stdout } = await execFileAsync('psql', args, { timeout: 10_000 })
  return stdout.trim()
}

test('the test run\'s server lets smsgw in without a password, to write and read', async () => {
  const url = testPostgresUrl()
  strictEqual(await psql(url, "select current_user, current_database(), current_setting('fsync')"), 'smsgw|smsgw|on')
  strictEqual(await psql(url, 'create temp table t (n int)', 'insert into t values (1), (2)', 'select sum(n) from t'), '3')
})

test('a server of its own listens on its socket in dir, and stop() ends it and removes dir', { timeout: 120_000 }, async () => {
  const server = await startPostgresServer()
  try {
    ok(existsSync(join(server.dir, 'data', 'PG_VERSION')))
    strictEqual(await psql(server.url, 'select 1'), '1')
    const port = new URL(server.url).port
    strictEqual(await psql(`host=${server.dir} port=${port} user=smsgw dbname=smsgw`, 'select 2'), '2')
  } finally {
    await server.stop()
  }
  ok(!existsSync(server.dir))
  await rejects(psql(server.url, 'select 1'))
})
