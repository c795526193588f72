import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { asText, smsgw, smsgwLines, temporaryFolder, TEST_PASSWORD, VECTOR_VAULT_PASSWORD, vectorPath } from './cli-fixtures.ts'

// Where the CLI finds the vault password: --password-file, then $SMSGW_VAULT_PASSWORD, then the
// Java sms-client's positional argument (with a warning), then a prompt on the terminal. Every
// run goes through smsgw() (in-process, with no terminal), which also asserts that TEST_PASSWORD
// shows in no output. A real process without a terminal: launcher.test.ts.

const folder = await temporaryFolder()
const vault = join(folder, 'vault.p12')
const pubFile = join(folder, 'client.pub')
const env = { SMSGW_VAULT_PASSWORD: TEST_PASSWORD }
const wrongEnv = { SMSGW_VAULT_PASSWORD: 'not-the-password' }
const plaintext = 'To: +31629845432\nSender: ACME\n\npassword sources'
const noPassword = 'smsgw: no vault password: give --password-file FILE or set SMSGW_VAULT_PASSWORD'
const positionalWarning = 'smsgw: a password on the command line is visible to other users; use --password-file or $SMSGW_VAULT_PASSWORD'
let publicKey: string
let sealed: Buffer

async function passwordFile (name: string, content: string): Promise<string> {
  const file = join(folder, name)
  await writeFile(file, content)
  return file
}

before(async () => {
  // An X25519 key: made in milliseconds, and the password handling does not depend on the key type.
  assert.equal((await smsgw(['vault', 'new-keypair', '--type', 'x25519', vault, 'client1'], { env })).code, 0)
  const pubkey = await smsgw(['vault', 'pubkey', vault, 'client1'], { env })
  publicKey = pubkey.stdout.toString('latin1')
  await writeFile(pubFile, publicKey)
  sealed = (await smsgw(['encrypt', '--format', 'v2', pubFile], { stdin: plaintext })).stdout
})

test('vault password is read from --password-file without its final line ending', async () => {
  const files = await Promise.all([
    passwordFile('lf', `${TEST_PASSWORD}\n`),
    passwordFile('crlf', `${TEST_PASSWORD}\r\n`),
    passwordFile('bare', TEST_PASSWORD)
  ])
  const results = await Promise.all(files.map(async file => asText(await smsgw(['vault', 'aliases', '--password-file', file, vault]))))
  const ok = { code: 0, stdout: 'client1\n', stderr: '' }
  assert.deepStrictEqual(results, [ok, ok, ok])
})

test('vault password keeps all but one final line ending when --password-file ends in a blank line', async () => {
  // Only one line ending is stripped: a password file with a blank line after it holds another password.
  const file = await passwordFile('two-newlines', `${TEST_PASSWORD}\n\n`)
  const result = await smsgw(['vault', 'aliases', '--password-file', file, vault])
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: `smsgw: ${vault}: Wrong vault password: the file's MAC does not match\n` })
})

test('vault password is read from SMSGW_VAULT_PASSWORD', async () => {
  const result = await smsgw(['vault', 'aliases', vault], { env })
  assert.deepStrictEqual(asText(result), { code: 0, stdout: 'client1\n', stderr: '' })
})

test('vault password from --password-file wins over SMSGW_VAULT_PASSWORD', async () => {
  const file = await passwordFile('right', TEST_PASSWORD)
  const result = await smsgw(['vault', 'aliases', '--password-file', file, vault], { env: wrongEnv })
  assert.deepStrictEqual(asText(result), { code: 0, stdout: 'client1\n', stderr: '' })
})

test('vault password from SMSGW_VAULT_PASSWORD wins over a positional one, without a warning', async () => {
  const result = await smsgw(['pubkey', vault, 'not-the-password', 'client1'], { env })
  assert.deepStrictEqual(asText(result), { code: 0, stdout: publicKey, stderr: '' })
})

test('vault password is taken in the Java order pubkey VAULT PASS CLIENT, with a warning', async () => {
  const result = await smsgw(['pubkey', vault, TEST_PASSWORD, 'CLIENT1'])
  assert.deepStrictEqual(asText(result), { code: 0, stdout: publicKey, stderr: `${positionalWarning}\n` })
})

test('vault password is taken in the Java order aliases VAULT PASS, with a warning', async () => {
  const result = await smsgw(['aliases', vault, TEST_PASSWORD])
  assert.deepStrictEqual(asText(result), { code: 0, stdout: 'client1\n', stderr: `${positionalWarning}\n` })
})

test('vault password is taken in the Java order decrypt VAULT PASS ALIAS, with a warning', async () => {
  const result = await smsgw(['decrypt', vault, TEST_PASSWORD, 'client1'], { stdin: sealed })
  assert.deepStrictEqual(asText(result), { code: 0, stdout: plaintext, stderr: `${positionalWarning}\n` })
})

test('vault password is taken in the Java order for the builtin vault of the Java gateway', async () => {
  const [pubkey, aliases] = await Promise.all([
    smsgw(['pubkey', vectorPath('builtin.vault'), VECTOR_VAULT_PASSWORD, 'test']),
    smsgw(['aliases', vectorPath('test-with-fail.vault'), VECTOR_VAULT_PASSWORD])
  ])
  assert.deepStrictEqual([asText(pubkey), asText(aliases)], [
    { code: 0, stdout: (await readFile(vectorPath('test.pub'))).toString('latin1'), stderr: `${positionalWarning}\n` },
    { code: 0, stdout: 'fail\ntest\n', stderr: `${positionalWarning}\n` }
  ])
})

test('vault password is not defaulted to 123456 as the Java sms-client did when no source is given', async () => {
  const result = await smsgw(['aliases', vectorPath('builtin.vault')])
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: `${noPassword}\n` })
})

test('vault password missing fails every vault command with one line when there is no terminal', async () => {
  const commands = [
    ['vault', 'aliases', vault],
    ['vault', 'pubkey', vault, 'client1'],
    ['vault', 'new-keypair', '--type', 'x25519', vault, 'client2'],
    ['vault', 'remove', vault, 'client1'],
    ['vault', 'rotate', vault, 'client1'],
    ['decrypt', vault, 'client1']
  ]
  const results = await Promise.all(commands.map(async args => asText(await smsgw(args, { stdin: sealed }))))
  const failed = { code: 1, stdout: '', stderr: `${noPassword}\n` }
  assert.deepStrictEqual(results, commands.map(() => failed))
})

test('vault password is asked on the terminal when no other source gives one, and never echoed', async () => {
  const [typed, wrong, envWins] = await Promise.all([
    smsgw(['vault', 'aliases', vault], { typed: TEST_PASSWORD }),
    smsgw(['decrypt', vault, 'client1'], { typed: 'not-the-password', stdin: sealed }),
    smsgw(['vault', 'aliases', vault], { env, typed: 'not-the-password' })
  ])
  assert.deepStrictEqual([typed, wrong, envWins].map(asText), [
    { code: 0, stdout: 'client1\n', stderr: '' },
    { code: 1, stdout: '', stderr: `smsgw: ${vault}: Wrong vault password: the file's MAC does not match\n` },
    { code: 0, stdout: 'client1\n', stderr: '' }
  ])
})

test('vault password counts as missing when SMSGW_VAULT_PASSWORD is empty', async () => {
  const result = await smsgw(['vault', 'aliases', vault], { env: { SMSGW_VAULT_PASSWORD: '' } })
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: `${noPassword}\n` })
})

test('vault password fails with one line when --password-file cannot be read', async () => {
  const missing = join(folder, 'no-such-password-file')
  const result = await smsgw(['vault', 'aliases', '--password-file', missing, vault], { env })
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: `smsgw: cannot read password file ${missing}\n` })
})

test('vault password never shows in the one-line error when it is wrong', async () => {
  // smsgw() asserts that TEST_PASSWORD shows nowhere; this checks the wrong one too.
  const wrong = 'wrong-pw-ZZ81'
  const results = await Promise.all([
    smsgw(['vault', 'pubkey', vault, 'client1'], { env: { SMSGW_VAULT_PASSWORD: wrong } }),
    smsgw(['pubkey', vault, wrong, 'client1'])
  ])
  const wrongLine = `smsgw: ${vault}: Wrong vault password: the file's MAC does not match`
  assert.deepStrictEqual(results.map(result => ({ ...asText(result), lines: smsgwLines(result.stderr) })), [
    { code: 1, stdout: '', stderr: `${wrongLine}\n`, lines: [wrongLine] },
    { code: 1, stdout: '', stderr: `${positionalWarning}\n${wrongLine}\n`, lines: [positionalWarning, wrongLine] }
  ])
  assert.ok(!results.some(result => result.stderr.includes(wrong)))
})
