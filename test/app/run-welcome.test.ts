// What the printout of `smsgw run` gives a newcomer (issue 9, item 13): a way to reach the
// loop-back client `test`, and an API key file that `smsgw api-key` finds without being told.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { ApiClient, eventually, hasFinal, kinds, temporaryFolder, within } from './app-fixtures.ts'
import { childEnv, RunChild, SMSGW, shell } from './run-child.ts'

const execFileAsync = promisify(execFile)

/** The `test` block of the printout: the key line and the commands, as a user copies them. */
function loopBackBlock (stdout: string): { key: string, encSms: string, curlBody: string, curlUrl: string } {
  const key = (stdout.match(/^ {2}TEST_KEY=(.+)$/m) ?? assert.fail(`no TEST_KEY line in:\n${stdout}`))[1] as string
  const encSms = (stdout.match(/^ {2}TEST_PAYLOAD=\$\((bin\/smsgw enc-sms .*)\)$/m) ?? assert.fail('no TEST_PAYLOAD line'))[1] as string
  const curl = stdout.match(/^ {4}-d "(\{\\"client-id\\":\\"test\\".*)" (\S+)$/m) ?? assert.fail('no curl -d line for test')
  return { key, encSms, curlBody: (curl[1] as string).replaceAll('\\"', '"'), curlUrl: curl[2] as string }
}

async function stop (child: RunChild): Promise<void> {
  child.signal('SIGINT')
  assert.deepStrictEqual(await within(child.exited, 10_000, 'exit after SIGINT'), { code: 0, signal: null })
}

test('smsgw run prints a key and commands for the loop-back client test that send a request to SENT and DELIVERED', { timeout: 40_000 }, async t => {
  const child = new RunChild(await temporaryFolder('run-welcome'))
  t.after(() => { if (child.running) child.signal('SIGKILL') })
  const { url } = await child.welcome()
  const block = loopBackBlock(child.stdout)
  assert.match(block.key, /^smsgw_\S+$/)
  assert.ok(child.stdout.includes(`The loop-back client test's API key (shown once): ${block.key}\n`))

  const payload = await shell(block.encSms)
  const request = JSON.parse(block.curlBody.replace('$TEST_PAYLOAD', payload)) as Record<string, string>
  const api = new ApiClient(url, block.key)
  assert.deepStrictEqual(await api.send(request), { status: 202, body: { 'correl-id': 'first-test', accepted: true } })
  assert.equal(block.curlUrl, `${url}/v1/messages`)
  assert.deepStrictEqual(kinds(await api.statusesWhen('first-test', hasFinal)), ['SENT', 'DELIVERED'])
  await stop(child)
})

test('smsgw api-key run where smsgw run would run uses its key file: a key made first works, and the printout says how to make one', { timeout: 40_000 }, async t => {
  const folder = await temporaryFolder('run-key-file')
  // Both with their defaults, in the same folder: `smsgw api-key` first, then `smsgw run`
  // (whose default --data is ./smsgw-data).
  const { stdout: key } = await execFileAsync(SMSGW, ['api-key', 'create', 'test'], { cwd: folder, env: childEnv({}) })
  const child = new RunChild(join(folder, 'smsgw-data'))
  t.after(() => { if (child.running) child.signal('SIGKILL') })
  const { url } = await child.welcome()

  // The run found the key: it made none for `test`, and tells how to make another.
  const keyFile = join(folder, 'smsgw-data', 'api-keys.json')
  assert.equal(loopBackBlock(child.stdout).key, `$(bin/smsgw api-key create test --file ${keyFile})`)
  const response = await fetch(`${url}/v1/messages/none`, { headers: { authorization: `Bearer ${key}` } })
  await response.body?.cancel()
  assert.equal(response.status, 404, 'the key made by smsgw api-key is accepted')

  // The printed command makes a key the running gateway takes (it rereads the file within 1 s).
  const made = await shell(`${loopBackBlock(child.stdout).key.slice(2, -1)}`)
  assert.match(made, /^smsgw_\S+$/)
  await eventually('the printed command\'s key is accepted', async () => {
    const answer = await fetch(`${url}/v1/messages/none`, { headers: { authorization: `Bearer ${made}` } })
    await answer.body?.cancel()
    return answer.status === 404
  })
  await stop(child)
})
