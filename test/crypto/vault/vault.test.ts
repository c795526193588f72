import assert from 'node:assert/strict'
import { copyFile, readFile, rename, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { Vault } from '../../../src/crypto/vault/vault.ts'
import { createKeyPair, removeEntry, rotateKey } from '../../../src/crypto/vault/vault-file.ts'
import type { VaultKey } from '../../../src/crypto/vault/vault-key.ts'
import { temporaryFolder, VECTOR_VAULT_PASSWORD, vectorPath } from './vault-fixtures.ts'

const PASSWORD = 'vault-test'

function aliasesOf (keys: readonly VaultKey[]): string[] {
  return keys.map(key => key.alias)
}

test('Vault load reads the aliases of the shared vectors', async () => {
  const aliases = await Promise.all(['builtin.vault', 'sms-client-test.vault', 'test-with-fail.vault']
    .map(async name => (await Vault.load(vectorPath(name), VECTOR_VAULT_PASSWORD)).aliases()))
  assert.deepStrictEqual(aliases, [['test'], ['test'], ['fail', 'test']])
})

test('the bundled assets/builtin.vault is the Java gateway\'s builtin.vault, byte for byte', async () => {
  const [bundled, javaGateways] = await Promise.all([
    readFile(new URL('../../../assets/builtin.vault', import.meta.url)), readFile(vectorPath('builtin.vault'))])
  assert.ok(bundled.equals(javaGateways))
})

test('Vault key gives the public key of test.pub for alias test of builtin.vault', async () => {
  const vault = await Vault.load(vectorPath('builtin.vault'), VECTOR_VAULT_PASSWORD)
  const key = vault.key('test')
  assert.ok(key !== undefined)
  const expected = (await readFile(vectorPath('test.pub'), 'latin1')).trim()
  assert.deepStrictEqual({ type: key.type, publicKey: key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') },
    { type: 'rsa', publicKey: expected })
  assert.deepStrictEqual(vault.skipped(), [])
})

test('Vault load rejects with SMSGW_VAULT_PASSWORD when the password is wrong', async () => {
  await assert.rejects(Vault.load(vectorPath('builtin.vault'), 'wrong'),
    { code: 'SMSGW_VAULT_PASSWORD', message: /builtin\.vault: Wrong vault password/ })
})

test('Vault load rejects with a labelled SmsgwError when the file is missing, truncated or garbage', async () => {
  const folder = await temporaryFolder()
  const truncated = join(folder, 'truncated.vault')
  await copyFile(vectorPath('builtin.vault'), truncated)
  await truncate(truncated, 1000)
  const garbage = join(folder, 'garbage.vault')
  await writeFile(garbage, 'this is not a PKCS#12 file\n')
  await assert.rejects(Vault.load(join(folder, 'missing.vault'), PASSWORD), { code: 'SMSGW_VAULT_UNREADABLE', message: /ENOENT/ })
  await assert.rejects(Vault.load(truncated, VECTOR_VAULT_PASSWORD), { code: 'SMSGW_BAD_ASN1', message: /truncated\.vault: Malformed DER/ })
  await assert.rejects(Vault.load(garbage, VECTOR_VAULT_PASSWORD), { code: 'SMSGW_BAD_ASN1', message: /garbage\.vault: Malformed DER/ })
})

test('Vault keysFor gives the current key, then the retired ones, whatever the case', async () => {
  const file = join(await temporaryFolder(), 'clients.vault')
  const first = await createKeyPair(file, PASSWORD, 'Alpha', 'x25519')
  await createKeyPair(file, PASSWORD, 'beta', 'x25519')
  const { key: second, retiredAlias } = await rotateKey(file, PASSWORD, 'alpha', 'x25519')
  const { key: third } = await rotateKey(file, PASSWORD, 'ALPHA', 'x25519')
  const vault = await Vault.load(file, PASSWORD)
  const expectedAliases = ['alpha', retiredAlias, `alpha~${second.keyId.toString('hex')}`]
  assert.deepStrictEqual({
    alpha: aliasesOf(vault.keysFor('alpha')),
    upper: aliasesOf(vault.keysFor('ALPHA')),
    keyIds: vault.keysFor('Alpha').map(key => key.keyId.toString('hex')),
    beta: aliasesOf(vault.keysFor('beta')),
    unknown: vault.keysFor('gamma'),
    retiredOnly: vault.keysFor(retiredAlias),
    aliases: vault.aliases()
  }, {
    alpha: expectedAliases,
    upper: expectedAliases,
    keyIds: [third, first, second].map(key => key.keyId.toString('hex')),
    beta: ['beta'],
    unknown: [],
    retiredOnly: [],
    aliases: [...expectedAliases, 'beta'].sort()
  })
  assert.equal(vault.key('ALPHA~' + first.keyId.toString('hex').toUpperCase())?.alias, retiredAlias)
  assert.equal(vault.key('gamma'), undefined)
  assert.throws(() => { vault.keysFor('alpha').pop() }, TypeError, 'the shared array is frozen')
})

test('Vault refresh picks up a change made by another writer', async () => {
  const file = join(await temporaryFolder(), 'shared.vault')
  await createKeyPair(file, PASSWORD, 'one', 'x25519')
  const vault = await Vault.load(file, PASSWORD)
  assert.equal(await vault.refresh(), false, 'unchanged file')
  await createKeyPair(file, PASSWORD, 'two', 'x25519')
  assert.equal(await vault.refresh(), true)
  assert.deepStrictEqual(vault.aliases(), ['one', 'two'])
  await removeEntry(file, PASSWORD, 'one')
  const [first, concurrent] = await Promise.all([vault.refresh(), vault.refresh()])
  assert.deepStrictEqual({ first, concurrent, aliases: vault.aliases() }, { first: true, concurrent: true, aliases: ['two'] })
})

test('Vault refresh keeps the old keys when the file is replaced by garbage', async () => {
  const folder = await temporaryFolder()
  const file = join(folder, 'clients.vault')
  await createKeyPair(file, PASSWORD, 'one', 'x25519')
  const vault = await Vault.load(file, PASSWORD)
  const good = await readFile(file)
  // Half of a file, as a tool writing in place would leave it for a moment.
  await writeFile(file, good.subarray(0, good.length / 2))
  await assert.rejects(vault.refresh(), { code: 'SMSGW_BAD_ASN1' })
  assert.deepStrictEqual(aliasesOf(vault.keysFor('one')), ['one'])
  assert.equal(await vault.refresh(), false, 'the same broken version is not read again')
  await writeFile(join(folder, 'next'), good)
  await rename(join(folder, 'next'), file)
  assert.equal(await vault.refresh(), true)
  assert.deepStrictEqual(vault.aliases(), ['one'])
})

test('Vault watch reloads in the background until closed', async () => {
  const file = join(await temporaryFolder(), 'watched.vault')
  await createKeyPair(file, PASSWORD, 'one', 'x25519')
  const vault = await Vault.load(file, PASSWORD)
  const errors: Error[] = []
  const reloaded = new Promise<void>(resolve => {
    vault.watch({ intervalMs: 10, onReload: () => { resolve() }, onError: error => { errors.push(error) } })
  })
  await createKeyPair(file, PASSWORD, 'two', 'x25519')
  await reloaded
  assert.deepStrictEqual({ aliases: vault.aliases(), errors }, { aliases: ['one', 'two'], errors: [] })
  vault[Symbol.dispose]()
  await createKeyPair(file, PASSWORD, 'three', 'x25519')
  await new Promise(resolve => setTimeout(resolve, 50))
  assert.deepStrictEqual(vault.aliases(), ['one', 'two'])
})
