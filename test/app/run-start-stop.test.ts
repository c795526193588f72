// How `smsgw run` starts and stops as a user meets it (issue 9, item 12): a taken HTTP port, and
// Ctrl-C under `npm start`.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { test, type TestContext } from 'node:test'
import { NpmScript } from '../harness/npm-script.ts'
import { temporaryFolder, within } from './app-fixtures.ts'
import { childEnv, RunChild } from './run-child.ts'

async function listening (port: number): Promise<Server> {
  const server = createServer()
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  return server
}

async function close (server: Server): Promise<void> {
  server.close()
  await once(server, 'close')
}

/** A port of 127.0.0.1 that was free a moment ago. */
async function freePort (): Promise<number> {
  const server = await listening(0)
  const { port } = server.address() as { port: number }
  await close(server)
  return port
}

async function holdPort (t: TestContext): Promise<number> {
  const server = await listening(0)
  t.after(async () => { await close(server) })
  return (server.address() as { port: number }).port
}

test('smsgw run exits 1 naming the address and --port when its HTTP port is taken, and releases the SMSC simulator\'s port', { timeout: 30_000 }, async t => {
  const httpPort = await holdPort(t)
  const smscPort = await freePort()
  const child = new RunChild(await temporaryFolder('run-port-taken'), {}, ['--port', String(httpPort), '--smsc-port', String(smscPort)])
  t.after(() => { if (child.running) child.signal('SIGKILL') })

  const exit = await within(child.exited, 20_000, 'smsgw run exits')

  assert.deepStrictEqual(exit, { code: 1, signal: null })
  assert.deepStrictEqual(child.stderr.split('\n').filter(line => line.startsWith('smsgw: ')),
    [`smsgw: cannot listen on 127.0.0.1:${httpPort}: the port is in use by another program; choose another with --port`])
  // The demo SMSC had started on its port before the HTTP server failed: it is free again.
  await close(await listening(smscPort))
})

test('npm start stops cleanly with exit code 0 on Ctrl-C, though the signal reaches smsgw run twice', { timeout: 40_000 }, async t => {
  const npm = new NpmScript('start', ['--data', await temporaryFolder('npm-start'), '--port', '0', '--smsc-port', '0'], childEnv({}))
  t.after(() => { npm.kill() })
  await npm.outputMatch(/Ctrl-C stops it\./, 30_000)

  npm.interrupt()

  assert.deepStrictEqual(await within(npm.exited, 10_000, 'npm exits after Ctrl-C'), { code: 0, signal: null })
})
