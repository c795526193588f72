import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runProgram } from '../../src/cli/program.ts'
import type { ProgramIo, StopSignal } from '../../src/cli/program-io.ts'
import { eventually } from '../harness/eventually.ts'
import { asText, smsgw, smsgwLines } from './cli-fixtures.ts'

// `smsgw platform-sim` in-process: it prints where it listens and the clients it accepts, serves
// until a stop signal, and refuses bad options before it listens.

test('platform-sim prints its URL and clients, serves, and stops on SIGTERM with exit 0', async () => {
  let stdout = ''
  const listeners = new Set<(signal: NodeJS.Signals) => void>()
  const io: ProgramIo = {
    env: {},
    readStdin: async () => Buffer.alloc(0),
    writeStdout: async data => { stdout += data.toString() },
    writeStderr: text => { assert.fail(`stderr: ${text}`) },
    promptHidden: async () => undefined,
    signals: { on: (_signal: StopSignal, listener) => { listeners.add(listener) }, off: (_signal: StopSignal, listener) => { listeners.delete(listener) } },
    exit: code => { assert.fail(`exit ${code}`) }
  }
  const run = runProgram(['platform-sim', '--port', '0', '--auto-approve'], io)
  await eventually('the simulator prints its URL', () => stdout.includes('listening on http://'))
  const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1] ?? assert.fail(stdout)
  assert.match(stdout, /mastodon +client id smsgw-mastodon +client secret mastodon-simulator-secret/)
  assert.match(stdout, /twitter +client id smsgw-twitter +client secret twitter-simulator-secret/)
  assert.deepEqual(await (await fetch(`${url}/_sim/posts`)).json(), { total: 0, posts: [] })
  for (const listener of listeners) listener('SIGTERM')
  assert.equal(await run, 0)
  await assert.rejects(fetch(`${url}/_sim/posts`))
})

test('platform-sim refuses a bad port or lifetime as a usage error before it listens', async () => {
  assert.deepEqual(smsgwLines(asText(await smsgw(['platform-sim', '--port', '70000'])).stderr), ['smsgw: --port must be a whole number from 0 to 65535, not \'70000\''])
  const result = await smsgw(['platform-sim', '--token-lifetime-seconds', 'soon'])
  assert.equal(result.code, 2)
  assert.match(result.stderr, /--token-lifetime-seconds must be a whole number/)
})
