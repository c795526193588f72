import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { asText, smsgw, smsgwLines, temporaryFolder, VECTOR_VAULT_PASSWORD, vectorPath } from './cli-fixtures.ts'

// The command tree as a whole, run in-process: help, usage errors (exit 2) and failures (exit 1),
// each reported as one `smsgw: ` line on stderr and never as a stack trace. The launcher's own
// streams and exit codes: launcher.test.ts.

const folder = await temporaryFolder()
const vectorEnv = { SMSGW_VAULT_PASSWORD: VECTOR_VAULT_PASSWORD }
const usageHint = '(add --help for usage)'

/** The commands that `--help` of `command` lists, without `help` itself. */
function listedCommands (help: string): string[] {
  const at = help.indexOf('\nCommands:\n')
  if (at === -1) return []
  return [...help.slice(at).matchAll(/^ {2}(\S+)/gm)].map(match => match[1] as string).filter(name => name !== 'help')
}

interface HelpRun { command: string[], code: number | null, usage: string | undefined, stderr: string }

/**
 * `--help` of `command` and, through the commands its help lists, of every command below it, so
 * commands added later are covered too.
 */
async function helpTree (command: string[]): Promise<HelpRun[]> {
  const result = await smsgw([...command, '--help'])
  const help = result.stdout.toString('utf8')
  // The first line without its argument list: "Usage: smsgw vault pubkey".
  const run = { command, code: result.code, usage: help.split('\n')[0]?.replace(/ \[options\].*$/, ''), stderr: result.stderr }
  const below = await Promise.all(listedCommands(help).map(async name => await helpTree([...command, name])))
  return [run, ...below.flat()]
}

// The Java sms-client's names: hidden from the listing, but they take --help too.
const javaNames = [['new-keypair'], ['aliases'], ['pubkey']]

test('program --help prints the usage of every command on stdout and exits 0', async () => {
  const runs = (await Promise.all([helpTree([]), ...javaNames.map(helpTree)])).flat()
  const commands = runs.map(run => run.command)
  assert.ok(commands.length > 12, `only ${commands.length} commands found`)
  assert.deepStrictEqual(runs, commands.map(command => ({ command, code: 0, usage: ['Usage: smsgw', ...command].join(' '), stderr: '' })))
})

test('program -h and help COMMAND print the same usage as --help', async () => {
  const [long, short, helpCommand] = await Promise.all([
    smsgw(['vault', 'rotate', '--help']),
    smsgw(['vault', 'rotate', '-h']),
    smsgw(['vault', 'help', 'rotate'])
  ])
  assert.match(long.stdout.toString('utf8'), /^Usage: smsgw vault rotate \[options\] <vault> <client>\n/)
  assert.deepStrictEqual([asText(short), asText(helpCommand)], [asText(long), asText(long)])
})

test('program --help lists the vault and payload commands but not the Java sms-client names', async () => {
  const [top, vault] = await Promise.all([smsgw(['--help']), smsgw(['vault', '--help'])])
  const listed = listedCommands(top.stdout.toString('utf8'))
  assert.deepStrictEqual({
    payload: ['vault', 'encrypt', 'enc-sms', 'decrypt'].filter(name => listed.includes(name)),
    java: javaNames.flat().filter(name => listed.includes(name)),
    vault: listedCommands(vault.stdout.toString('utf8'))
  }, {
    payload: ['vault', 'encrypt', 'enc-sms', 'decrypt'],
    java: [],
    vault: ['new-keypair', 'aliases', 'pubkey', 'remove', 'rotate']
  })
})

test('program without a command prints its help on stderr and exits 2', async () => {
  const [top, vault] = await Promise.all([smsgw([]), smsgw(['vault'])])
  assert.deepStrictEqual([top.code, top.stdout.length, vault.code, vault.stdout.length], [2, 0, 2, 0])
  assert.match(top.stderr, /^Usage: smsgw \[options\] \[command\]\n/)
  assert.match(vault.stderr, /^Usage: smsgw vault \[options\] \[command\]\n/)
})

test('program fails with exit 2 and one smsgw line for an unknown command or option', async () => {
  const results = await Promise.all([
    smsgw(['bogus']),
    smsgw(['vault', 'bogus']),
    smsgw(['vault', 'aliases', '--bogus', 'v.p12']),
    smsgw(['--version'])
  ])
  assert.deepStrictEqual(results.map(asText), [
    { code: 2, stdout: '', stderr: `smsgw: unknown command 'bogus'\n${usageHint}\n` },
    { code: 2, stdout: '', stderr: `smsgw: unknown command 'bogus'\n${usageHint}\n` },
    { code: 2, stdout: '', stderr: `smsgw: unknown option '--bogus'\n${usageHint}\n` },
    { code: 2, stdout: '', stderr: `smsgw: unknown option '--version'\n${usageHint}\n` }
  ])
})

test('program fails with exit 2 and one smsgw line when arguments are missing', async () => {
  const cases = [
    { args: ['vault', 'new-keypair', 'v.p12'], missing: 'client' },
    { args: ['vault', 'aliases'], missing: 'vault' },
    { args: ['vault', 'pubkey', 'v.p12'], missing: 'client' },
    { args: ['vault', 'remove', 'v.p12'], missing: 'client' },
    { args: ['vault', 'rotate'], missing: 'vault' },
    { args: ['encrypt'], missing: 'pubfile' },
    { args: ['enc-sms', 'test.pub', '+31629845432', 'ACME'], missing: 'message' },
    { args: ['decrypt', 'v.p12'], missing: 'alias' },
    { args: ['pubkey', 'v.p12'], missing: 'client' }
  ]
  const results = await Promise.all(cases.map(async ({ args }) => asText(await smsgw(args))))
  assert.deepStrictEqual(results, cases.map(({ missing }) =>
    ({ code: 2, stdout: '', stderr: `smsgw: missing required argument '${missing}'\n${usageHint}\n` })))
})

test('program fails with exit 2 and one smsgw line when there are too many arguments', async () => {
  const results = await Promise.all([
    smsgw(['vault', 'remove', 'v.p12', 'client1', 'extra']),
    smsgw(['vault', 'pubkey', 'v.p12', 'a', 'b', 'c']),
    smsgw(['decrypt', 'v.p12', 'a', 'b', 'c']),
    smsgw(['aliases', 'v.p12', 'password', 'extra'])
  ])
  assert.deepStrictEqual(results.map(asText), [
    { code: 2, stdout: '', stderr: `smsgw: too many arguments for 'remove'. Expected 2 arguments but got 3.\n${usageHint}\n` },
    { code: 2, stdout: '', stderr: 'smsgw: expected VAULT [PASSWORD] CLIENT, got 4 arguments\n' },
    { code: 2, stdout: '', stderr: 'smsgw: expected VAULT [PASSWORD] ALIAS, got 4 arguments\n' },
    { code: 2, stdout: '', stderr: `smsgw: too many arguments for 'aliases'. Expected 2 arguments but got 3.\n${usageHint}\n` }
  ])
})

test('program fails with exit 1 and one smsgw line when the vault cannot be read', async () => {
  const missing = join(folder, 'missing.p12')
  const results = await Promise.all([
    smsgw(['vault', 'aliases', missing], { env: vectorEnv }),
    smsgw(['vault', 'pubkey', folder, 'test'], { env: vectorEnv }),
    smsgw(['decrypt', vectorPath('test.pub'), 'test'], { env: vectorEnv, stdin: 'ENCB' }),
    smsgw(['vault', 'remove', missing, 'test'], { env: vectorEnv })
  ])
  assert.deepStrictEqual(results.map(asText), [
    { code: 1, stdout: '', stderr: `smsgw: Cannot read vault file ${missing}: ENOENT\n` },
    { code: 1, stdout: '', stderr: `smsgw: Cannot read vault file ${folder}: EISDIR\n` },
    { code: 1, stdout: '', stderr: `smsgw: ${vectorPath('test.pub')}: Malformed DER: expected tag 0x30 but found 0x4d at offset 0\n` },
    { code: 1, stdout: '', stderr: `smsgw: Cannot read vault file ${missing}: ENOENT\n` }
  ])
})

test('program fails with exit 1 and one smsgw line when the vault password is wrong', async () => {
  const vault = vectorPath('builtin.vault')
  const result = await smsgw(['vault', 'aliases', vault], { env: { SMSGW_VAULT_PASSWORD: '654321' } })
  assert.deepStrictEqual(asText(result), {
    code: 1, stdout: '', stderr: `smsgw: ${vault}: Wrong vault password: the file's MAC does not match\n`
  })
})

test('program fails with exit 1 and one smsgw line when the vault cannot be written', async () => {
  const result = await smsgw(['vault', 'new-keypair', '--type', 'x25519', join(folder, 'no-such-folder', 'v.p12'), 'client1'],
    { env: vectorEnv })
  assert.deepStrictEqual({ code: result.code, stdout: result.stdout.length, lines: smsgwLines(result.stderr).length }, { code: 1, stdout: 0, lines: 1 })
  assert.match(result.stderr, /^smsgw: cannot write .*no-such-folder\/v.p12: its folder does not exist\n$/)
})

/**
 * Every module that importing src/cli/program.ts resolves, in a fresh Node. A resolve hook of
 * module.registerHooks runs in the importing thread before the import, for every specifier that
 * the ESM loader and require() resolve (grpc-js, like commander, is CommonJS loaded from ESM):
 * process.moduleLoadList names built-ins only and require.cache misses ESM. A child process,
 * because this one has loaded much through the other tests.
 */
async function modulesLoadedByProgram (): Promise<string[]> {
  const program = new URL('../../src/cli/program.ts', import.meta.url).href
  const probe = `
    import { registerHooks } from 'node:module'
    const resolved = new Set()
    registerHooks({ resolve (specifier, context, nextResolve) { const result = nextResolve(specifier, context); resolved.add(result.url); return result } })
    await import(${JSON.stringify(program)})
    process.stdout.write(JSON.stringify([...resolved]))`
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', probe])
  return JSON.parse(stdout) as string[]
}

// What `smsgw gateway` must not carry: every command's module is imported at the start, so a
// command that imports its heavy dependencies at the top puts them into the gateway's RSS (the
// relay's gRPC client and the simulators were ~25 MiB of its idle RSS; docs/performance.md, "End
// to end on Kafka"). They load in the actions that use them.
const loadedOnlyByTheirCommands = [
  '/node_modules/@grpc/', // the relay app's gRPC client
  '/node_modules/protobufjs/',
  '/node_modules/libphonenumber-js/', // the relay's phone number checks
  '/src/platform-sim/',
  '/src/smpp/simulator/',
  '/src/app/',
  '/src/relay/client/',
  '/src/relay/grpc/',
  '/src/relay/ratchet/',
  '/src/relay/vault/',
  '/src/relay/gateway-clients/'
]

test('program loads no relay client, simulator or app module before a command runs', async () => {
  const loaded = await modulesLoadedByProgram()
  // The hook saw the whole graph, CommonJS required from ESM included.
  assert.ok(loaded.some(url => url.endsWith('/src/cli/relay-app-state.ts')))
  assert.ok(loaded.some(url => url.endsWith('/node_modules/commander/lib/command.js')))
  assert.deepStrictEqual(loaded.filter(url => loadedOnlyByTheirCommands.some(part => url.includes(part))), [])
})
