import assert from 'node:assert/strict'
import { once } from 'node:events'
import { readdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { asText, smsgw, smsgwLines, temporaryFolder, VECTOR_VAULT_PASSWORD, vectorPath } from './cli-fixtures.ts'
import { smsgwProcess } from './cli-process.ts'

// Smoke tests of the real launcher, bin/smsgw, as a child process: one per command family. The
// other CLI tests run the same command tree in-process (cli-fixtures.ts); these are what only a
// process shows: the launcher's exit codes, the process's own environment, standard input and
// output, and a session without a controlling terminal. Each says why it spawns.

const folder = await temporaryFolder()

test('bin/smsgw --help prints on its stdout the usage the in-process run prints, and exits 0', async () => {
  // Spawns: commander's help goes through the process's stdout, and the launcher's exit code is 0.
  const [child, inProcess] = await Promise.all([smsgwProcess(['--help']), smsgw(['--help'])])
  assert.match(child.stdout.toString('utf8'), /^Usage: smsgw \[options\] \[command\]\n/)
  assert.deepStrictEqual(asText(child), asText(inProcess))
})

test('bin/smsgw exits 2 with the usage error the in-process run gives, on its stderr', async () => {
  // Spawns: the launcher turns runProgram's code into the exit code, and commander writes to stderr.
  const [child, inProcess] = await Promise.all([smsgwProcess(['vault', 'bogus']), smsgw(['vault', 'bogus'])])
  assert.deepStrictEqual(asText(child), { code: 2, stdout: '', stderr: 'smsgw: unknown command \'bogus\'\n(add --help for usage)\n' })
  assert.deepStrictEqual(asText(child), asText(inProcess))
})

test('bin/smsgw vault aliases fails with one line when no password source is given and the process has no terminal', async () => {
  // Spawns: the prompt opens /dev/tty, which a process in a session of its own does not have.
  const result = await smsgwProcess(['vault', 'aliases', vectorPath('builtin.vault')])
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: 'smsgw: no vault password: give --password-file FILE or set SMSGW_VAULT_PASSWORD\n' })
})

test('bin/smsgw encrypt seals its standard input to its stdout, and decrypt opens it with the password of its environment', async () => {
  // Spawns: the payload commands read the process's standard input and write bytes to its stdout.
  const plaintext = 'To: +31629845432\nSender: ACME\n\nthrough the launcher'
  const sealed = await smsgwProcess(['encrypt', '--format', 'v2', vectorPath('test.pub')], { stdin: plaintext })
  assert.deepStrictEqual({ code: sealed.code, stderr: sealed.stderr }, { code: 0, stderr: '' })
  const opened = await smsgwProcess(['decrypt', vectorPath('builtin.vault'), 'test'], { stdin: sealed.stdout, env: { SMSGW_VAULT_PASSWORD: VECTOR_VAULT_PASSWORD } })
  assert.deepStrictEqual(asText(opened), { code: 0, stdout: plaintext, stderr: '' })
})

test('bin/smsgw api-key create takes its file from $SMSGW_API_KEYS_FILE of the process', async () => {
  // Spawns: the environment of a command is the process's (src/cli/main.ts).
  const file = join(folder, 'keys.json')
  const created = asText(await smsgwProcess(['api-key', 'create', 'test'], { env: { SMSGW_API_KEYS_FILE: file } }))
  assert.deepStrictEqual({ code: created.code, stderr: created.stderr }, { code: 0, stderr: '' })
  assert.deepStrictEqual(await (await ApiKeyFile.open(file)).verify(created.stdout), { keyId: created.stdout.slice(6, 18), clientId: 'test' })
})

test('bin/smsgw listen fails within 5 s, start of the process included, naming the brokers of $SMSGW_KAFKA_BROKERS when nothing listens there', async () => {
  // Spawns: the bound on a missing broker holds for a whole run of the command, from the start of Node.
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const brokers = `127.0.0.1:${(server.address() as { port: number }).port}`
  server.close()
  await once(server, 'close')
  const startedAt = Date.now()
  const result = await smsgwProcess(['listen', '--count', '1'], { env: { SMSGW_KAFKA_BROKERS: brokers } })
  const elapsedMs = Date.now() - startedAt
  assert.equal(result.code, 1, result.stderr)
  assert.match(smsgwLines(result.stderr)[0] ?? '', new RegExp(`^smsgw: no Kafka broker reachable at ${brokers} \\(connect ECONNREFUSED ${brokers}; waited at most 3000 ms\\)`))
  assert.ok(elapsedMs < 5_000, `listen took ${elapsedMs} ms`)
})

test('bin/smsgw relay new-keys writes the three key files and prints the settings naming them', async () => {
  // Spawns: one command of the relay family through the launcher.
  const dir = join(folder, 'relay-keys')
  const made = asText(await smsgwProcess(['relay', 'new-keys', dir]))
  assert.deepStrictEqual({ ...made, files: (await readdir(dir)).sort() }, {
    code: 0,
    stdout: `relay:\n  identifierKeyFile: ${join(dir, 'identifier.key')}\n  pepperFile: ${join(dir, 'pepper.key')}\n  sealingKeyFile: ${join(dir, 'sealing.keys')}\n`,
    stderr: '',
    files: ['identifier.key', 'pepper.key', 'sealing.keys']
  })
})
