import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { BUILTIN_VAULT_FILE } from '../../src/config/index.ts'
import { eventually, temporaryFolder } from '../app/app-fixtures.ts'
import { deployPath, readContainerfile, REPO, startCommandLine, welcomeUrl, type ContainerInstruction } from './deploy-fixtures.ts'

// deploy/container/Containerfile (docs/deployment.md). This machine has no container engine
// running and no registry, so the image is not built here: these tests check what can be
// checked without one (the base image, the user, that every file it copies exists, the
// secret's variable) and run its command line from this checkout against a configuration of
// the image's shape. The build itself (npm ci in the image, the image's file modes) is not
// exercised.

const CONTAINERFILE = deployPath('container/Containerfile')
const instructions = readContainerfile(CONTAINERFILE)
const packageJson = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }

function all (name: string): ContainerInstruction[] {
  return instructions.filter(instruction => instruction.instruction === name)
}

/** An exec-form instruction's words (`["a", "b"]`). */
function execForm (name: string): string[] {
  const [only, ...more] = all(name)
  assert.ok(only !== undefined && more.length === 0, `one ${name}`)
  return JSON.parse(only.args) as string[]
}

const WORKDIR = all('WORKDIR')[0]?.args ?? assert.fail('no WORKDIR')

test('Containerfile builds on a Debian image of the Node major package.json pins, and runs as a user that is not root', () => {
  const from = all('FROM').map(instruction => instruction.args)
  const nodeMajor = (packageJson.dependencies.node ?? '').split('.')[0]
  assert.deepStrictEqual(from, [`docker.io/library/node:${nodeMajor}-bookworm-slim`])
  const user = all('USER').at(-1)?.args
  assert.ok(user !== undefined && !['root', '0'].includes(user), `USER ${String(user)}`)
  // The user is the last word: nothing after it runs as root.
  const lastUser = instructions.findLastIndex(instruction => instruction.instruction === 'USER')
  assert.deepStrictEqual(instructions.slice(lastUser + 1).map(instruction => instruction.instruction).filter(name => name === 'RUN' || name === 'COPY'), [])
})

test('Containerfile copies only files of the repository, and the state volume belongs to its user', () => {
  const sources = all('COPY').flatMap(instruction => instruction.args.split(/\s+/).slice(0, -1))
  assert.ok(sources.length > 0)
  assert.deepStrictEqual(sources.filter(source => !existsSync(join(REPO, source))), [])
  // What smsgw run needs at run time is copied: the launcher, the sources, the built-in vault.
  for (const needed of ['bin/', 'src/', 'assets/', 'package.json', 'package-lock.json']) assert.ok(sources.includes(needed), needed)
  assert.ok(existsSync(BUILTIN_VAULT_FILE))
  const volume = all('VOLUME')[0]?.args ?? assert.fail('no VOLUME')
  const user = all('USER').at(-1)?.args ?? ''
  assert.ok(all('RUN').some(run => run.args.includes(`chown ${user}:${user} ${volume}`)), `RUN chown ${user}:${user} ${volume}`)
  assert.ok(all('RUN').some(run => /\bnpm ci --omit=dev\b/.test(run.args)))
})

test('Containerfile\'s ENTRYPOINT and CMD, run from this checkout with the image\'s configuration and a secret, serve the API', { timeout: 60_000 }, async t => {
  const argv = [...execForm('ENTRYPOINT'), ...execForm('CMD')]
  const at = (flag: string): string => argv[argv.indexOf(flag) + 1] ?? assert.fail(`no ${flag}`)
  assert.deepStrictEqual(argv.slice(1, 2), ['run'])
  const volume = all('VOLUME')[0]?.args
  assert.equal(at('--data'), volume)
  // The image copies the shipped configuration to where CMD reads it.
  assert.ok(all('COPY').some(copy => copy.args === `deploy/smsgw.yaml ${at('--config')}`))

  const root = await temporaryFolder('deploy-container')
  const data = join(root, 'volume')
  await mkdir(data, { mode: 0o700 })
  // The secret, where ENV says the image finds it; the vault's password (the built-in one, here).
  const secretVariable = all('ENV').map(env => env.args.split('='))
    .find(([name]) => name === 'SMSGW_VAULT_PASSWORD_FILE') ?? assert.fail('no ENV SMSGW_VAULT_PASSWORD_FILE')
  assert.match(secretVariable[1] ?? '', /^\/run\/secrets\//)
  const secret = join(root, 'smsgw-vault-password')
  await writeFile(secret, '123456\n', { mode: 0o600 })
  // The shipped configuration with the built-in vault and no SMSC reachable: the process must
  // start, serve, and report the SMSC not ready rather than fail.
  const shipped = parseYaml(await readFile(deployPath('smsgw.yaml'), 'utf8')) as Record<string, Record<string, unknown>>
  const config = join(root, 'smsgw.yaml')
  await writeFile(config, stringifyYaml({ ...shipped, vault: { file: BUILTIN_VAULT_FILE }, smpp: { ...shipped.smpp, host: '127.0.0.1', port: 1 } }))

  const local = argv.map((arg, index) => argv[index - 1] === '--config' ? config : argv[index - 1] === '--data' ? data : argv[index - 1] === '--port' ? '0' : argv[index - 1] === '--host' ? '127.0.0.1' : arg)
  const child = startCommandLine(local, WORKDIR, { SMSGW_VAULT_PASSWORD_FILE: secret })
  t.after(async () => { await child.stop() })
  const url = await welcomeUrl(child)
  assert.equal((await fetch(`${url}/healthz`)).status, 200)
  const ready = await fetch(`${url}/readyz`)
  assert.deepStrictEqual({ status: ready.status, body: await ready.json() }, { status: 503, body: { ready: false, checks: { queue: true, smsc: false } } })
  await eventually('the store is in the volume', () => existsSync(join(data, 'smsgw.db')))
  child.kill('SIGTERM')
  assert.deepStrictEqual(await child.exit(20_000), { code: 0, signal: null })
})
