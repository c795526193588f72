import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { runProgram } from '../../src/cli/program.ts'
import type { ProgramIo } from '../../src/cli/program-io.ts'
import { loadConfig } from '../../src/config/index.ts'
import { identifierKeyFromKeyFile } from '../../src/relay/vault/identifiers.ts'
import { sealingKeyIdOf } from '../../src/relay/vault/key-files.ts'
import { pepperFromFile } from '../../src/relay/vault/password.ts'
import { loadSealingKeyRing } from '../../src/relay/vault/sealing-key-ring.ts'

// `smsgw relay new-keys DIR`, run in-process through runProgram: the three key files, in the
// forms their readers take, private to their owner, never replaced.

interface Captured { code: number, stdout: string, stderr: string[] }

async function smsgw (argv: string[]): Promise<Captured> {
  let stdout = ''
  const stderr: string[] = []
  const io: ProgramIo = {
    readStdin: async () => Buffer.alloc(0),
    writeStdout: async data => { stdout += data.toString() },
    warn: line => { stderr.push(line) }
  }
  const code = await runProgram(argv, io)
  return { code, stdout, stderr }
}

test('smsgw relay new-keys writes an identifier key, a pepper and a sealing key ring that their readers take, mode 0600, and prints the configuration naming them', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'relay-keys-')), 'keys')
  const made = await smsgw(['relay', 'new-keys', dir])
  assert.deepStrictEqual([made.code, made.stderr], [0, []])
  assert.deepStrictEqual((await readdir(dir)).sort(), ['identifier.key', 'pepper.key', 'sealing.keys'])
  for (const name of await readdir(dir)) assert.equal((await stat(join(dir, name))).mode & 0o777, 0o600, name)
  assert.equal((await stat(dir)).mode & 0o777, 0o700)

  // The printed configuration loads, and each file reads as its setting expects.
  const configFile = join(dir, '..', 'relay.yaml')
  await writeFile(configFile, made.stdout)
  const { relay } = await loadConfig({ file: configFile, env: {} })
  assert.ok(relay.identifierKeyFile !== undefined && relay.pepperFile !== undefined && relay.sealingKeyFile !== undefined)
  const identifierKey = identifierKeyFromKeyFile(await readFile(relay.identifierKeyFile, 'utf8'))
  const pepper = pepperFromFile(await readFile(relay.pepperFile, 'utf8'))
  const ring = loadSealingKeyRing({ keyFile: relay.sealingKeyFile })
  assert.ok(identifierKey.ok && pepper.ok && ring.ok)
  assert.match(ring.value.current.id, /^k\d{8}T\d{6}Z$/)
  assert.deepStrictEqual([identifierKey.value.length, pepper.value.length, ring.value.current.key.length, ring.value.byId.size], [32, 32, 32, 1])

  // Fresh keys each time: another folder gets others.
  const other = join(dir, '..', 'other')
  assert.equal((await smsgw(['relay', 'new-keys', other])).code, 0)
  for (const name of ['identifier.key', 'pepper.key', 'sealing.keys']) assert.notEqual(await readFile(join(other, name), 'utf8'), await readFile(join(dir, name), 'utf8'), name)
})

test('smsgw relay new-keys never replaces a key file, and leaves the folder as it was when it refuses', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'relay-keys-'))
  await writeFile(join(dir, 'pepper.key'), 'the pepper of accounts that exist\n')
  const refused = await smsgw(['relay', 'new-keys', dir])
  assert.equal(refused.code, 1)
  assert.deepStrictEqual(refused.stderr, [`${join(dir, 'pepper.key')} exists: smsgw relay new-keys never replaces a key (the accounts sealed or hashed under it would be lost)`])
  assert.deepStrictEqual([await readdir(dir), await readFile(join(dir, 'pepper.key'), 'utf8'), refused.stdout], [['pepper.key'], 'the pepper of accounts that exist\n', ''])
})

test('sealingKeyIdOf names a key by its UTC second', () => {
  assert.equal(sealingKeyIdOf(new Date('2026-12-06T18:10:05.123Z')), 'k20261206T181005Z')
})
