// `smsgw send` and `smsgw listen` without a broker (issue 9, item 12), run in-process: they used
// to fail after 6 s and 36 s with messages that did not say where they had looked.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { smsgw, smsgwLines, temporaryFolder } from './cli-fixtures.ts'

const BUILTIN_VAULT = fileURLToPath(new URL('../../assets/builtin.vault', import.meta.url))
const pubkey = join(await temporaryFolder(), 'test.pub')
const exported = await smsgw(['vault', 'pubkey', BUILTIN_VAULT, 'test'], { env: { SMSGW_VAULT_PASSWORD: '123456' } })
assert.equal(exported.code, 0, exported.stderr)
await writeFile(pubkey, exported.stdout)

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
async function closedPort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

/** A server that takes connections and never answers: a broker that hangs, or not a broker at all. */
async function silentServer (t: TestContext): Promise<number> {
  const sockets = new Set<Socket>()
  const server: Server = createServer(socket => { sockets.add(socket) })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => {
    for (const socket of sockets) socket.destroy()
    server.close()
  })
  return (server.address() as { port: number }).port
}

async function timed<T> (run: () => Promise<T>): Promise<{ result: T, elapsedMs: number }> {
  const startedAt = Date.now()
  const result = await run()
  return { result, elapsedMs: Date.now() - startedAt }
}

test('smsgw send and listen fail at once, naming the brokers, when nothing listens there', { timeout: 30_000 }, async () => {
  const brokers = `127.0.0.1:${await closedPort()}`

  const send = await timed(async () => await smsgw(['send', '--brokers', brokers, '--pubkey', pubkey, '+31629845432', 'ACME', 'hello']))
  const listen = await timed(async () => await smsgw(['listen', '--count', '1'], { env: { SMSGW_KAFKA_BROKERS: brokers } }))

  for (const [name, run] of [['send', send], ['listen', listen]] as const) {
    assert.equal(run.result.code, 1, `${name}: ${run.result.stderr}`)
    const [line] = smsgwLines(run.result.stderr)
    assert.match(line ?? '', new RegExp(`^smsgw: no Kafka broker reachable at ${brokers} \\(connect ECONNREFUSED ${brokers}; waited at most 3000 ms\\); set --brokers or \\$SMSGW_KAFKA_BROKERS`), name)
    // The default bound is 3 s and a refusal ends it at once (launcher.test.ts: with the start of a process).
    assert.ok(run.elapsedMs < 5_000, `${name} took ${run.elapsedMs} ms`)
    assert.equal(run.result.stdout.length, 0, `${name} printed nothing on stdout`)
  }
})

test('smsgw send and listen give up after --connect-timeout-ms when a server takes the connection and never answers', { timeout: 30_000 }, async t => {
  const brokers = `127.0.0.1:${await silentServer(t)}`
  const [send, listen] = await Promise.all([
    timed(async () => await smsgw(['send', '--brokers', brokers, '--connect-timeout-ms', '1000', '--pubkey', pubkey, '+31629845432', 'ACME', 'hello'])),
    timed(async () => await smsgw(['listen', '--brokers', brokers, '--connect-timeout-ms', '1000']))
  ])
  for (const [name, run] of [['send', send], ['listen', listen]] as const) {
    assert.equal(run.result.code, 1, `${name}: ${run.result.stderr}`)
    assert.match(smsgwLines(run.result.stderr)[0] ?? '', new RegExp(`^smsgw: no Kafka broker reachable at ${brokers} \\(.+; waited at most 1000 ms\\)`), name)
    assert.ok(run.elapsedMs >= 1_000 && run.elapsedMs < 6_000, `${name} took ${run.elapsedMs} ms`)
  }
})

test('smsgw send and listen read $SMSGW_KAFKA_* as the gateway does: a variable that is no valid setting fails them, named', async () => {
  const [send, listen] = await Promise.all([
    smsgw(['send', '--pubkey', pubkey, '+31629845432', 'ACME', 'hello'], { env: { SMSGW_KAFKA_BROKERS: 'nohost' } }),
    smsgw(['listen', '--count', '1'], { env: { SMSGW_KAFKA_BROKER: '127.0.0.1:9092' } })
  ])
  assert.deepStrictEqual([send, listen].map(result => ({ code: result.code, stdout: result.stdout.length, stderr: result.stderr })), [
    { code: 1, stdout: 0, stderr: 'smsgw: invalid configuration (1 problem):\n  kafka.brokers[0]: must be host:port, got "nohost" (from environment variable SMSGW_KAFKA_BROKERS)\n' },
    { code: 1, stdout: 0, stderr: 'smsgw: invalid configuration (1 problem):\n  SMSGW_KAFKA_BROKER: not a setting; did you mean SMSGW_KAFKA_BROKERS? (from the environment)\n' }
  ])
})

test('smsgw listen refuses a --connect-timeout-ms that is not a whole number of milliseconds', async () => {
  const result = await smsgw(['listen', '--connect-timeout-ms', 'soon'])
  assert.deepStrictEqual([result.code, smsgwLines(result.stderr)], [2, ['smsgw: --connect-timeout-ms must be a whole number of milliseconds from 1, got soon']])
})
