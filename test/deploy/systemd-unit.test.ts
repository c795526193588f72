import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { smsgw } from '../cli/cli-fixtures.ts'
import { ApiClient, eventually, kinds, sealedRequest, temporaryFolder, type StatusJson } from '../app/app-fixtures.ts'
import { deployPath, readUnitFile, REPO, startCommandLine, unitValue, welcomeUrl } from './deploy-fixtures.ts'

// deploy/systemd/smsgw.service (docs/deployment.md): systemd's own verifier accepts it, it is
// hardened, and its command line, run from this checkout as the unit runs it (its credential,
// its environment file, its state directory, the shipped configuration), sends a sealed SMS a
// real client posts to a real SMPP server and reports it DELIVERED. What systemd itself would
// add (the user, the sandbox, the restart) needs a machine that boots systemd: not exercised here.

const UNIT = deployPath('systemd/smsgw.service')
const INSTALLED_AT = '/opt/smsgw'
const execFileAsync = promisify(execFile)

/** Runs `smsgw args…` in-process, asserts it succeeded, and resolves to its stdout. */
async function succeeded (args: readonly string[]): Promise<Buffer> {
  const result = await smsgw(args)
  assert.deepStrictEqual({ code: result.code, stderr: result.stderr }, { code: 0, stderr: '' }, `smsgw ${args.join(' ')}`)
  return result.stdout
}

test('smsgw.service passes systemd-analyze verify, run on the unit as installed from this checkout', async () => {
  const folder = await temporaryFolder('deploy-unit')
  // systemd checks that ExecStart's program exists: point it at this checkout's bin/smsgw.
  const installed = join(folder, 'smsgw.service')
  await writeFile(installed, (await readFile(UNIT, 'utf8')).replaceAll(`${INSTALLED_AT}/`, REPO))
  const { stdout, stderr } = await execFileAsync('systemd-analyze', ['verify', installed])
  // verify exits 0 on a setting it cannot parse and only says so: any output is a finding.
  assert.deepStrictEqual({ stdout, stderr }, { stdout: '', stderr: '' })
})

test('smsgw.service runs smsgw run as an unprivileged user, sandboxed, with its state in StateDirectory', () => {
  const unit = readUnitFile(UNIT)
  const argv = unitValue(unit, '[Service] ExecStart').split(/\s+/)
  assert.deepStrictEqual(argv.slice(0, 2), [`${INSTALLED_AT}/bin/smsgw`, 'run'])
  assert.equal(argv[argv.indexOf('--data') + 1], `/var/lib/${unitValue(unit, '[Service] StateDirectory')}`)
  assert.equal(argv[argv.indexOf('--config') + 1], '/etc/smsgw/smsgw.yaml')
  const hardening = Object.fromEntries([
    'User', 'NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'PrivateDevices', 'RestrictSUIDSGID', 'CapabilityBoundingSet', 'UMask'
  ].map(key => [key, unit.get(`[Service] ${key}`)?.[0]]))
  assert.deepStrictEqual(hardening, {
    User: 'smsgw', NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', PrivateDevices: 'yes', RestrictSUIDSGID: 'yes', CapabilityBoundingSet: '', UMask: '0077'
  })
  // V8 writes the machine code it compiles: MemoryDenyWriteExecute would kill Node at start.
  assert.equal(unit.has('[Service] MemoryDenyWriteExecute'), false)
  assert.deepStrictEqual(unit.get('[Service] Environment'), ['SMSGW_VAULT_PASSWORD_FILE=%d/vault-password'])
  assert.match(unitValue(unit, '[Service] LoadCredential'), /^vault-password:\/etc\/smsgw\/vault-password$/)
})

test('smsgw.service\'s command line, with the shipped configuration, sends a sealed SMS over SMPP and reports it DELIVERED', { timeout: 90_000 }, async t => {
  const unit = readUnitFile(UNIT)
  const root = await temporaryFolder('deploy-run')
  const etc = join(root, 'etc')
  const credentials = join(root, 'credentials')
  const state = join(root, 'state')
  await Promise.all([etc, credentials].map(async folder => await mkdir(folder, { recursive: true })))
  // What systemd makes before the start: the state directory, 0700.
  await mkdir(state, { mode: 0o700 })

  // A real SMSC: our simulator over TCP, with the account the operator was given.
  const smsc = await SmscSimulator.start({ port: 0, accounts: [{ systemId: 'esme01', password: 'Sm5c-pw9' }], receiptDelayMs: 50 })
  t.after(async () => { await smsc.close() })

  // The operator's steps of docs/deployment.md: a vault with the client's key, its password as
  // a credential, the SMSC password in the environment file, an API key for the client.
  const vaultPassword = 'vault-Secret-2'
  const vault = join(etc, 'smsgw.vault')
  await writeFile(join(credentials, 'vault-password'), `${vaultPassword}\n`, { mode: 0o600 })
  // The setup commands run in-process: what runs as the unit does is the command line below.
  await succeeded(['vault', 'new-keypair', '--password-file', join(credentials, 'vault-password'), vault, 'acme'])
  const acmePub = join(root, 'acme.pub')
  await writeFile(acmePub, await succeeded(['vault', 'pubkey', '--password-file', join(credentials, 'vault-password'), vault, 'acme']))
  await writeFile(join(etc, 'secrets.env'), 'SMSGW_SMPP_PASSWORD=Sm5c-pw9\n', { mode: 0o600 })
  const apiKey = (await succeeded(['api-key', 'create', 'acme', '--file', join(state, 'api-keys.json')])).toString('utf8').trim()
  assert.match(apiKey, /^smsgw_/)

  // The shipped configuration, with this machine's SMSC and vault in place of the examples.
  const shipped = parseYaml(await readFile(deployPath('smsgw.yaml'), 'utf8')) as { vault: Record<string, unknown>, smpp: Record<string, unknown> }
  const config = join(etc, 'smsgw.yaml')
  await writeFile(config, stringifyYaml({ ...shipped, vault: { ...shipped.vault, file: vault }, smpp: { ...shipped.smpp, host: '127.0.0.1', port: smsc.address.port } }))

  // The environment systemd gives: Environment= (with %d, the credentials folder) and the
  // EnvironmentFile=, read as systemd reads KEY=VALUE lines.
  const env: Record<string, string> = {}
  for (const setting of unit.get('[Service] Environment') ?? []) {
    const [name, value] = setting.split(/=(.*)/s) as [string, string]
    env[name] = value.replaceAll('%d', credentials)
  }
  assert.equal(unitValue(unit, '[Service] EnvironmentFile'), '-/etc/smsgw/secrets.env')
  for (const line of (await readFile(join(etc, 'secrets.env'), 'utf8')).split('\n').filter(line => line.includes('='))) {
    const [name, value] = line.split(/=(.*)/s) as [string, string]
    env[name] = value
  }

  const argv = unitValue(unit, '[Service] ExecStart').split(/\s+/)
    .map(arg => ({ '/etc/smsgw/smsgw.yaml': config, '/var/lib/smsgw': state, 8080: '0' } as Record<string, string>)[arg] ?? arg)
  const child = startCommandLine(argv, INSTALLED_AT, env)
  t.after(async () => { await child.stop() })
  const url = await welcomeUrl(child)

  await eventually('GET /readyz answers 200 once the SMSC is bound', async () => (await fetch(`${url}/readyz`)).status === 200, 20_000)
  const api = new ApiClient(url, apiKey)
  const request = await sealedRequest(acmePub, 'acme', 'deploy-1', { to: '+255712345678', sender: 'ACME', body: 'Hello from a deployment' })
  assert.equal((await api.send(request)).status, 202)
  const statuses = await api.statusesWhen('deploy-1', history => kinds(history).includes('DELIVERED'), 20_000)
  const sent = statuses.find(status => status['sms-status'] === 'SENT') as StatusJson | undefined
  assert.ok(sent?.['recall-id'] !== undefined, `SENT carries the SMSC's message id: ${JSON.stringify(statuses)}`)
  assert.equal(smsc.submitCount, 1)
  // The shipped prefixes hold: a recipient outside them never reaches the SMSC.
  assert.equal((await api.send(await sealedRequest(acmePub, 'acme', 'deploy-2', { to: '+4915112345678', sender: 'ACME', body: 'abroad' }))).status, 202)
  assert.deepStrictEqual((await api.statusesWhen('deploy-2', history => kinds(history).includes('INVALID'))).map(status => status['error-text']).filter(text => text !== undefined),
    ['Gateway disallows foreign SMS recipient: +4915112345678'])

  // docs/deployment.md's backup of the live store: a consistent copy while smsgw writes.
  const backup = join(root, 'backup.db')
  await execFileAsync('sqlite3', [join(state, 'smsgw.db'), `.backup '${backup}'`])
  const copy = new DatabaseSync(backup, { readOnly: true })
  const stored = copy.prepare('SELECT COUNT(*) AS count FROM statuses').get() as { count: number }
  copy.close()
  assert.ok(stored.count >= 3, `the backup holds the statuses: ${stored.count}`)

  child.kill('SIGTERM')
  assert.deepStrictEqual(await child.exit(20_000), { code: 0, signal: null })
  assert.ok(!child.output.includes(vaultPassword) && !child.output.includes('Sm5c-pw9') && !child.output.includes(apiKey), 'no secret in the output')
})
