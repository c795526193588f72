import assert from 'node:assert/strict'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadConfig } from '../../src/config/index.ts'
import { generateX25519KeyPair } from '../../src/relay/ratchet/index.ts'
import { identifierKeyFromKeyFile } from '../../src/relay/vault/identifiers.ts'
import { openCountryCode, sealingKeyIdOf } from '../../src/relay/vault/index.ts'
import { newSealingKeyId } from '../../src/relay/vault/key-files.ts'
import { pepperFromFile } from '../../src/relay/vault/password.ts'
import { storePlatformToken } from '../../src/relay/vault/platform-tokens.ts'
import { platforms } from '../../src/relay/payload/platforms.ts'
import { loadSealingKeyRing, type SealingKeyRing } from '../../src/relay/vault/sealing-key-ring.ts'
import { openStore } from '../../src/store/open-store.ts'
import { relaySealedFieldNames } from '../../src/store/relay-accounts.ts'
import { COUNTRY_CODE, createTestAccount, vaultOver } from '../relay/vault/stored-vault.ts'
import { unwrap } from '../relay/relaysms-vectors.ts'
import { asText, smsgw as runCli, temporaryFolder } from './cli-fixtures.ts'

// `smsgw relay new-keys|rotate-key|reseal|accounts`, run in-process through runProgram: the three key
// files, in the forms their readers take, private to their owner, never replaced; a rotation that
// puts a fresh key first and re-seals every account of the store, and its platform token, under it; the accounts counted,
// listed and deleted by entity id, an identifier never printed.

const gmail = platforms.find(platform => platform.name === 'gmail') ?? assert.fail('gmail is a platform')

interface Captured { code: number | null, stdout: string, stderr: string[] }

/** A run of the CLI, with the lines of stderr without their `smsgw: `. */
async function smsgw (argv: string[], stdin = ''): Promise<Captured> {
  const { code, stdout, stderr } = asText(await runCli(argv, { stdin }))
  return { code, stdout, stderr: stderr === '' ? [] : stderr.replace(/\n$/, '').split('\n').map(line => line.replace(/^smsgw: /, '')) }
}

test('smsgw relay new-keys writes an identifier key, a pepper and a sealing key ring that their readers take, mode 0600, and prints the configuration naming them', async () => {
  const dir = join(await temporaryFolder('relay-keys'), 'keys')
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
  assert.match(ring.value.current.id, /^k\d{8}T\d{9}Z$/)
  assert.deepStrictEqual([identifierKey.value.length, pepper.value.length, ring.value.current.key.length, ring.value.byId.size], [32, 32, 32, 1])

  // Fresh keys each time: another folder gets others.
  const other = join(dir, '..', 'other')
  assert.equal((await smsgw(['relay', 'new-keys', other])).code, 0)
  for (const name of ['identifier.key', 'pepper.key', 'sealing.keys']) assert.notEqual(await readFile(join(other, name), 'utf8'), await readFile(join(dir, name), 'utf8'), name)
})

test('smsgw relay new-keys never replaces a key file, and leaves the folder as it was when it refuses', async () => {
  const dir = await temporaryFolder('relay-keys')
  await writeFile(join(dir, 'pepper.key'), 'the pepper of accounts that exist\n')
  const refused = await smsgw(['relay', 'new-keys', dir])
  assert.equal(refused.code, 1)
  assert.deepStrictEqual(refused.stderr, [`${join(dir, 'pepper.key')} exists: smsgw relay new-keys never replaces a key (the accounts sealed or hashed under it would be lost)`])
  assert.deepStrictEqual([await readdir(dir), await readFile(join(dir, 'pepper.key'), 'utf8'), refused.stdout], [['pepper.key'], 'the pepper of accounts that exist\n', ''])
})

test('newSealingKeyId names a key by its UTC time to the millisecond', () => {
  assert.equal(newSealingKeyId(new Date('2026-12-06T18:10:05.123Z')), 'k20261206T181005123Z')
})

/** A deployment's key files and a SQLite store holding `accounts` accounts sealed under its first key. */
async function deploymentWithAccounts (accounts: number): Promise<{ configFile: string, ringFile: string, storeFile: string, entityIds: string[] }> {
  const dir = await temporaryFolder('relay-rotate')
  const made = await smsgw(['relay', 'new-keys', join(dir, 'keys')])
  const storeFile = join(dir, 'smsgw.db')
  const configFile = join(dir, 'smsgw.yaml')
  await writeFile(configFile, `${made.stdout}store:\n  url: ${storeFile}\n`)
  const ring = unwrapRing(join(dir, 'keys', 'sealing.keys'))
  const store = await openStore(storeFile)
  const entityIds: string[] = []
  try {
    const vault = vaultOver(store, ring)
    for (let n = 0; n < accounts; n++) {
      const { entityId } = await createTestAccount(vault, generateX25519KeyPair().publicKey, `+23765000000${n}`)
      unwrap(await storePlatformToken(vault, entityId, gmail, `user${n}@gmail.example`, '{"access_token":"a"}'))
      entityIds.push(entityId)
    }
  } finally {
    await store.close()
  }
  return { configFile, ringFile: join(dir, 'keys', 'sealing.keys'), storeFile, entityIds }
}

function unwrapRing (keyFile: string): SealingKeyRing {
  const ring = loadSealingKeyRing({ keyFile })
  assert.ok(ring.ok)
  return ring.value
}

/** The key id each sealed value of each account names, and its country code opened under `ring`. */
async function sealedState (storeFile: string, entityIds: string[], ring: SealingKeyRing): Promise<Array<{ keys: string[], countryCode: string }>> {
  const store = await openStore(storeFile)
  try {
    return await Promise.all(entityIds.map(async entityId => {
      const account = await store.relay.get(entityId)
      assert.ok(account !== undefined)
      const countryCode = openCountryCode(vaultOver(store, ring), account)
      return { keys: [...new Set(relaySealedFieldNames.map(field => sealingKeyIdOf(account.sealed[field]) ?? '?'))], countryCode: countryCode.ok ? countryCode.value : countryCode.error.code }
    }))
  } finally {
    await store.close()
  }
}

test('smsgw relay rotate-key puts a fresh key first in the ring file, keeps the old one, and re-seals every account under the new key; a second pass finds nothing to do', async () => {
  const { configFile, ringFile, storeFile, entityIds } = await deploymentWithAccounts(3)
  const before = unwrapRing(ringFile)
  assert.deepStrictEqual(await sealedState(storeFile, entityIds, before), entityIds.map(() => ({ keys: [before.current.id], countryCode: COUNTRY_CODE })))

  const rotated = await smsgw(['relay', 'rotate-key', '--config', configFile])
  assert.deepStrictEqual([rotated.code, rotated.stderr], [0, []])
  const after = unwrapRing(ringFile)
  assert.notEqual(after.current.id, before.current.id)
  assert.deepStrictEqual([...after.byId.keys()], [after.current.id, before.current.id])
  assert.deepStrictEqual(after.byId.get(before.current.id)?.key, before.current.key)
  assert.equal((await stat(ringFile)).mode & 0o777, 0o600)
  assert.deepStrictEqual(rotated.stdout.trim().split('\n').map(line => JSON.parse(line) as unknown), [
    { event: 'rotated', keyFile: ringFile, current: after.current.id },
    { event: 'resealed', current: after.current.id, resealed: 3, alreadyCurrent: 0, unopenable: 0, tokensResealed: 3, tokensAlreadyCurrent: 0, tokensUnopenable: 0 }
  ])
  assert.deepStrictEqual(await sealedState(storeFile, entityIds, after), entityIds.map(() => ({ keys: [after.current.id], countryCode: COUNTRY_CODE })))

  const again = await smsgw(['relay', 'reseal', '--config', configFile])
  assert.deepStrictEqual([again.code, JSON.parse(again.stdout) as unknown], [0, { event: 'resealed', current: after.current.id, resealed: 0, alreadyCurrent: 3, unopenable: 0, tokensResealed: 0, tokensAlreadyCurrent: 3, tokensUnopenable: 0 }])
})

test('smsgw relay reseal fails, naming the accounts, when a value opens under no key of the ring; rotate-key refuses a ring given as a value', async () => {
  const { configFile, ringFile, storeFile, entityIds } = await deploymentWithAccounts(1)
  const sealedUnder = unwrapRing(ringFile).current.id
  // The ring loses the key the account is sealed under: nothing can open it.
  await writeFile(ringFile, `k2 ${Buffer.alloc(32, 9).toString('base64')}\n`)
  const failed = await smsgw(['relay', 'reseal', '--config', configFile])
  assert.deepStrictEqual([failed.code, JSON.parse(failed.stdout) as unknown], [1, { event: 'resealed', current: 'k2', resealed: 0, alreadyCurrent: 0, unopenable: 1, tokensResealed: 0, tokensAlreadyCurrent: 0, tokensUnopenable: 1 }])
  assert.deepStrictEqual(failed.stderr, [`1 accounts hold a value no key of the ring opens (a key left the ring too early): ${entityIds[0] ?? ''}`])
  assert.deepStrictEqual((await sealedState(storeFile, entityIds, unwrapRing(ringFile)))[0]?.keys, [sealedUnder])

  const asValue = join(await temporaryFolder('relay-rotate'), 'value.yaml')
  await writeFile(asValue, `relay:\n  sealingKey: "k1 ${Buffer.alloc(32, 1).toString('base64')}"\nstore:\n  url: ${storeFile}\n`)
  const refused = await smsgw(['relay', 'rotate-key', '--config', asValue])
  assert.deepStrictEqual([refused.code, refused.stdout, refused.stderr], [1, '', ['relay.sealingKeyFile is not set: rotate-key rewrites that file (a ring given in relay.sealingKey is rotated by putting the new key first)']])
})

test('smsgw relay accounts count, list and delete: entity ids and times only; delete finds the account by the digest of the identifier it is given, and never prints it', async () => {
  const dir = await temporaryFolder('relay-accounts')
  const made = await smsgw(['relay', 'new-keys', join(dir, 'keys')])
  const storeFile = join(dir, 'smsgw.db')
  const configFile = join(dir, 'smsgw.yaml')
  await writeFile(configFile, `${made.stdout}store:\n  url: ${storeFile}\n`)
  const identifierKey = identifierKeyFromKeyFile(await readFile(join(dir, 'keys', 'identifier.key'), 'utf8'))
  assert.ok(identifierKey.ok)
  const identifiers = ['+237650000001', 'someone@example.org', '+237650000002']
  const store = await openStore(storeFile)
  const vault = vaultOver(store, unwrapRing(join(dir, 'keys', 'sealing.keys')), identifierKey.value)
  const entityIds = []
  for (const identifier of identifiers) entityIds.push((await createTestAccount(vault, generateX25519KeyPair().publicKey, identifier)).entityId)
  await store.close()

  const counted = await smsgw(['relay', 'accounts', 'count', '--config', configFile])
  assert.deepStrictEqual([counted.code, JSON.parse(counted.stdout) as unknown], [0, { accounts: 3 }])
  const listed = await smsgw(['relay', 'accounts', 'list', '--config', configFile])
  const rows = listed.stdout.trim().split('\n').map(line => JSON.parse(line) as { entityId: string, createdAt: string, updatedAt: string })
  assert.deepStrictEqual(rows.map(row => row.entityId), [...entityIds].sort())
  for (const row of rows) {
    assert.deepStrictEqual(Object.keys(row), ['entityId', 'createdAt', 'updatedAt'])
    assert.ok(Math.abs(Date.parse(row.createdAt) - Date.now()) < 60_000)
  }

  const deleted = await smsgw(['relay', 'accounts', 'delete', '--config', configFile, '+237 6500 00001'])
  assert.deepStrictEqual([deleted.code, JSON.parse(deleted.stdout) as unknown], [0, { event: 'deleted', entityId: entityIds[0] }], 'spaces are removed, as the RPCs do')
  const fromStdin = await smsgw(['relay', 'accounts', 'delete', '--config', configFile, '-'], 'someone@example.org\n')
  assert.deepStrictEqual([fromStdin.code, JSON.parse(fromStdin.stdout) as unknown], [0, { event: 'deleted', entityId: entityIds[1] }])
  const again = await smsgw(['relay', 'accounts', 'delete', '--config', configFile, '+237650000001'])
  assert.deepStrictEqual([again.code, again.stdout, again.stderr], [1, '', ['no relay account has that identifier']])
  assert.deepStrictEqual(JSON.parse((await smsgw(['relay', 'accounts', 'count', '--config', configFile])).stdout) as unknown, { accounts: 1 })
  const printed = [made, counted, listed, deleted, fromStdin, again].flatMap(run => [run.stdout, ...run.stderr]).join('\n')
  assert.deepStrictEqual(identifiers.filter(identifier => printed.includes(identifier) || printed.includes(identifier.slice(1))), [])
})

test('smsgw relay accounts delete without the identifier key refuses, naming the setting', async () => {
  const dir = await temporaryFolder('relay-accounts')
  const configFile = join(dir, 'smsgw.yaml')
  await writeFile(configFile, `store:\n  url: ${join(dir, 'smsgw.db')}\n`)
  const refused = await smsgw(['relay', 'accounts', 'delete', '--config', configFile, '+237650000001'])
  assert.deepStrictEqual([refused.code, refused.stderr], [1, ['relay.identifierKeyFile is not set: the relay vault needs it']])
})
