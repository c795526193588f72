import assert from 'node:assert/strict'
import {
  constants, diffieHellman, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes
} from 'node:crypto'
import { mkdir, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { writeFileAtomic } from '../../../src/crypto/vault/atomic-write.ts'
import { decodePkcs12 } from '../../../src/crypto/vault/pkcs12.ts'
import { Vault } from '../../../src/crypto/vault/vault.ts'
import { createKeyPair, removeEntry, rotateKey } from '../../../src/crypto/vault/vault-file.ts'
import { temporaryFolder } from './vault-fixtures.ts'

const PASSWORD = 'file-test'

test('createKeyPair writes an RSA key that round-trips RSA-OAEP-SHA256, in a 0600 file', async () => {
  const folder = await temporaryFolder()
  const file = join(folder, 'new.vault')
  const created = await createKeyPair(file, PASSWORD, 'Client1')
  const key = (await Vault.load(file, PASSWORD)).key('client1')
  assert.ok(key !== undefined)
  assert.deepStrictEqual({ alias: key.alias, type: key.type, keyId: key.keyId, bits: key.privateKey.asymmetricKeyDetails?.modulusLength },
    { alias: 'client1', type: 'rsa', keyId: created.keyId, bits: 2048 })
  const secret = randomBytes(32)
  const oaep = { oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING }
  const sealed = publicEncrypt({ key: key.publicKey, ...oaep }, secret)
  assert.deepStrictEqual(privateDecrypt({ key: key.privateKey, ...oaep }, sealed), secret)
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  assert.deepStrictEqual(await readdir(folder), ['new.vault'])
})

test('createKeyPair writes an X25519 key that agrees on a secret with a fresh peer', async () => {
  const file = join(await temporaryFolder(), 'x.vault')
  await createKeyPair(file, PASSWORD, 'x', 'x25519')
  const key = (await Vault.load(file, PASSWORD)).key('x')
  assert.ok(key !== undefined)
  const peer = generateKeyPairSync('x25519')
  assert.equal(key.type, 'x25519')
  assert.deepStrictEqual(diffieHellman({ privateKey: key.privateKey, publicKey: peer.publicKey }),
    diffieHellman({ privateKey: peer.privateKey, publicKey: key.publicKey }))
})

test('createKeyPair rejects with SMSGW_VAULT_ENTRY_EXISTS when the alias is taken in any case', async () => {
  const file = join(await temporaryFolder(), 'taken.vault')
  await createKeyPair(file, PASSWORD, 'client', 'x25519')
  await assert.rejects(createKeyPair(file, PASSWORD, 'CLIENT', 'x25519'), { code: 'SMSGW_VAULT_ENTRY_EXISTS' })
})

test('createKeyPair rejects with SMSGW_USAGE when the alias is empty or has a ~', async () => {
  const file = join(await temporaryFolder(), 'usage.vault')
  await assert.rejects(createKeyPair(file, PASSWORD, '', 'x25519'), { code: 'SMSGW_USAGE' })
  await assert.rejects(createKeyPair(file, PASSWORD, 'a~b', 'x25519'), { code: 'SMSGW_USAGE' })
})

test('createKeyPair rejects with SMSGW_VAULT_PASSWORD and leaves the file alone when the password is wrong', async () => {
  const file = join(await temporaryFolder(), 'locked.vault')
  await createKeyPair(file, PASSWORD, 'one', 'x25519')
  const before = await readFile(file)
  await assert.rejects(createKeyPair(file, 'other', 'two', 'x25519'), { code: 'SMSGW_VAULT_PASSWORD' })
  assert.deepStrictEqual(await readFile(file), before)
})

test('removeEntry removes one entry and keeps the others as they were', async () => {
  const folder = await temporaryFolder()
  const file = join(folder, 'remove.vault')
  for (const alias of ['one', 'two', 'three']) await createKeyPair(file, PASSWORD, alias, 'x25519')
  const before = await decodePkcs12(await readFile(file), PASSWORD)
  await removeEntry(file, PASSWORD, 'TWO')
  assert.deepStrictEqual(await decodePkcs12(await readFile(file), PASSWORD),
    { keys: before.keys.filter(entry => entry.alias !== 'two'), otherBags: [] })
  await assert.rejects(removeEntry(file, PASSWORD, 'two'), { code: 'SMSGW_VAULT_ENTRY_MISSING' })
  await assert.rejects(removeEntry(join(folder, 'missing.vault'), PASSWORD, 'two'), { code: 'SMSGW_VAULT_UNREADABLE' })
  assert.deepStrictEqual((await readdir(folder)).sort(), ['remove.vault'])
})

test('rotateKey keeps the old key as <alias>~<key id> and gives the alias a new key', async () => {
  const file = join(await temporaryFolder(), 'rotate.vault')
  const old = await createKeyPair(file, PASSWORD, 'client', 'x25519')
  await createKeyPair(file, PASSWORD, 'other', 'x25519')
  const before = await decodePkcs12(await readFile(file), PASSWORD)
  const rotated = await rotateKey(file, PASSWORD, 'Client', 'rsa')
  const after = await decodePkcs12(await readFile(file), PASSWORD)
  assert.equal(rotated.retiredAlias, `client~${old.keyId.toString('hex')}`)
  assert.deepStrictEqual(after.keys.slice(0, 2), [{ ...before.keys[0]!, alias: rotated.retiredAlias }, before.keys[1]!])
  const vault = await Vault.load(file, PASSWORD)
  assert.deepStrictEqual(vault.keysFor('client').map(key => [key.alias, key.type, key.keyId]), [
    ['client', 'rsa', rotated.key.keyId],
    [rotated.retiredAlias, 'x25519', old.keyId]
  ])
  await assert.rejects(rotateKey(file, PASSWORD, 'nobody', 'x25519'), { code: 'SMSGW_VAULT_ENTRY_MISSING' })
})

test('writeFileAtomic leaves no temporary file behind when the rename fails', async () => {
  const folder = await temporaryFolder()
  const target = join(folder, 'occupied')
  await mkdir(join(target, 'inside'), { recursive: true })
  await assert.rejects(writeFileAtomic(target, Buffer.from('x')))
  assert.deepStrictEqual(await readdir(folder), ['occupied'])
})
